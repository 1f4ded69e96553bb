package markdown

import (
	"strings"
	"testing"
)

func TestDownloadTarget(t *testing.T) {
	const u = "https://k8s.io/examples/pods/pod.yaml"
	cases := []struct {
		cmd, want string
		ok        bool
	}{
		{"curl -O " + u, "pod.yaml", true},
		{"curl -sSLO " + u, "pod.yaml", true},
		{"curl --remote-name " + u, "pod.yaml", true},
		{"curl -o my.yaml " + u, "my.yaml", true},
		{"curl -sLo my.yaml " + u, "my.yaml", true},
		{"curl -omy.yaml " + u, "my.yaml", true},
		{"curl --output=my.yaml " + u, "my.yaml", true},
		{"curl --output my.yaml " + u, "my.yaml", true},
		{"curl -O --output-dir out " + u, "out/pod.yaml", true},
		{"curl " + u, "-", true},
		{"curl -XPOST " + u, "-", true},
		{"curl -H Origin " + u, "-", true},
		{"curl -s " + u + "?x=1", "-", true},
		{"curl -LO " + u + "?raw=true", "pod.yaml", true},
		{"wget " + u, "pod.yaml", true},
		{"wget -q " + u, "pod.yaml", true},
		{"wget -O my.yaml " + u, "my.yaml", true},
		{"wget -qO- " + u, "-", true},
		{"wget -O - " + u, "-", true},
		{"wget --output-document=my.yaml " + u, "my.yaml", true},
		{"wget -P dir " + u, "dir/pod.yaml", true},
		{"wget -o log.txt " + u, "pod.yaml", true},
		{"kubectl apply -f " + u, "", false},
		{"curl -s localhost:8080", "", false},
	}
	for _, c := range cases {
		got, ok := DownloadTarget(strings.Fields(c.cmd))
		if got != c.want || ok != c.ok {
			t.Errorf("DownloadTarget(%s) = %q, %v; want %q, %v", c.cmd, got, ok, c.want, c.ok)
		}
	}
}

package markdown

import (
	"testing"

	"github.com/docrun/docrun/markdown/shell"
)

func TestNeedsContainer(t *testing.T) {
	cases := map[string]string{
		"kubectl logs web-0":                                   "kubectl logs",
		"kubectl -n x exec web -- ls":                          "kubectl exec",
		"kubectl port-forward svc/x 8080:80 &":                 "kubectl port-forward",
		"kubectl run t -i --rm --image=busybox -- wget -qO- x": "kubectl run -i",
		"kubectl run web --image=nginx":                        "",
		"kubectl get pods\nkubectl cp web:/x ./x":              "kubectl cp",
		"echo kubectl logs":                                    "",
	}
	for code, want := range cases {
		got, ok := NeedsContainer(code)
		if got != want || ok != (want != "") {
			t.Errorf("%q: got %q %v, want %q", code, got, ok, want)
		}
	}
}

func TestKubectlInteractive(t *testing.T) {
	cases := []struct {
		args       string
		background bool
		want       bool
	}{
		{"exec -it web -- sh", false, true},
		{"exec -it web -- ls /", false, false},
		{"exec -it web -- sh -c 'ls /'", false, false},
		{"-n ns exec -it web -- /bin/bash", false, true},
		{"run -it --rm --image=busybox t", false, true},
		{"run -it --rm --image=mysql c -- mysql -h db", false, true},
		{"edit deploy/web", false, true},
		{"create --edit -f x.yaml", false, true},
		{"get pods -w", false, true},
		{"get pods -w", true, false},
		{"rollout status deploy/web --watch=true", false, false},
		{"logs -f web", false, true},
		{"proxy --port=8080", false, true},
		{"proxy --port=8080", true, false},
		{"get pods", false, false},
	}
	for _, c := range cases {
		if got := kubectlInteractive(kubectlArgv(c.args), c.background); got != c.want {
			t.Errorf("%q (background %v): got %v want %v", c.args, c.background, got, c.want)
		}
	}
}

// kubectlArgv reads "kubectl ARGS" with the shell parser and returns ARGS.
func kubectlArgv(s string) []string {
	return shell.Parse("kubectl " + s).Calls[0].Args[1:]
}

// TestNetworkFlag checks which curl and wget commands need the internet:
// a URL of a host outside the cluster and this machine, and a bare
// address outside the private ranges; not a site example URL, a name
// inside the cluster, this machine, or a private address.
func TestNetworkFlag(t *testing.T) {
	for code, want := range map[string]bool{
		"curl https://dl.k8s.io/release/stable.txt":    true,
		"curl 203.0.113.140":                           true,
		"curl -s 198.51.100.7:8080/healthz":            true,
		"wget '[2001:db8::1]:80/x'":                    true,
		"curl https://k8s.io/examples/pods/pod.yaml":   false,
		"curl http://web.default.svc.cluster.local":    false,
		"curl localhost:10249/proxyMode":               false,
		"curl 127.0.0.1:8080":                          false,
		"curl 10.0.65.118":                             false,
		"curl --connect-timeout 1 -s $node:$NODEPORT":  false,
		"curl -o out.json 192.168.49.2:30080":          false,
		"curl -sSo out.json http://localhost:8080/api": false,
	} {
		if got := AnalyzeCommand(code).Network; got != want {
			t.Errorf("%q: network %v, want %v", code, got, want)
		}
	}
}

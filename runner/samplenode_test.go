package runner

import (
	"slices"
	"testing"

	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
)

func TestNamedNodes(t *testing.T) {
	cases := []struct {
		code string
		want []string
	}{
		{"kubectl label nodes node1 accelerator=example-gpu-x100", []string{"node1"}},
		{"kubectl label node a b disktype-", []string{"a", "b"}},
		{"kubectl taint nodes node1 key1=value1:NoSchedule", []string{"node1"}},
		{"kubectl cordon worker-2", []string{"worker-2"}},
		{"kubectl drain --ignore-daemonsets worker-2", []string{"worker-2"}},
		{"kubectl describe node/kind-worker pod/web", []string{"kind-worker"}},
		{"kubectl get nodes", nil},
		{"kubectl get nodes -l disktype=ssd", nil},
		{"kubectl label nodes --all zone=a", nil},
		{"kubectl label nodes <your-node-name> disktype=ssd", nil},
		{"kubectl label nodes $NODE disktype=ssd", nil},
		{"kubectl get pods web", nil},
		{"kubectl label pods web app=x", nil},
	}
	for _, c := range cases {
		var got []string
		for _, k := range kubectl.Calls(shell.Parse(c.code)) {
			got = append(got, namedNodes(k)...)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("namedNodes(%q) = %q, want %q", c.code, got, c.want)
		}
	}
}

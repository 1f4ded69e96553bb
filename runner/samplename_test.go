package runner

import (
	"slices"
	"testing"

	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
)

func TestNamedObjects(t *testing.T) {
	cases := []struct {
		code string
		want []string
	}{
		{"kubectl label nodes node1 accelerator=example-gpu-x100", []string{"nodes/node1"}},
		{"kubectl label node a b disktype-", []string{"node/a", "node/b"}},
		{"kubectl taint nodes node1 key1=value1:NoSchedule", []string{"nodes/node1"}},
		{"kubectl cordon worker-2", []string{"node/worker-2"}},
		{"kubectl drain --ignore-daemonsets worker-2", []string{"node/worker-2"}},
		{"kubectl describe node/kind-worker pod/web", []string{"node/kind-worker", "pod/web"}},
		{"kubectl describe hpa cm-test", []string{"hpa/cm-test"}},
		{"kubectl get deploy web -o yaml", []string{"deploy/web"}},
		{"kubectl get pods,svc", nil},
		{"kubectl get pods -A", nil},
		{"kubectl get -f pod.yaml", nil},
		{"kubectl delete pod web", nil},
		{"kubectl get nodes", nil},
		{"kubectl get nodes -l disktype=ssd", nil},
		{"kubectl label nodes --all zone=a", nil},
		{"kubectl label nodes <your-node-name> disktype=ssd", nil},
		{"kubectl label nodes $NODE disktype=ssd", nil},
		{"kubectl get pods web", []string{"pods/web"}},
		{"kubectl label pods web app=x", nil},
	}
	for _, c := range cases {
		var got []string
		for _, k := range kubectl.Calls(shell.Parse(c.code)) {
			for _, o := range namedObjects(k) {
				got = append(got, o.resource+"/"+o.name)
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("namedObjects(%q) = %q, want %q", c.code, got, c.want)
		}
	}
}

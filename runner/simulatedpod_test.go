package runner

import (
	"context"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/result"
	"github.com/docrun/docrun/runner/cluster"
)

// TestSimulatedPod checks that, on a cluster with a real node and
// simulated ones, a step that needs a running container of a Pod on a
// simulated node is skipped, and one of a Pod on the real node runs.
func TestSimulatedPod(t *testing.T) {
	node := func(name string, kwok bool) *corev1.Node {
		n := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Annotations: map[string]string{}}}
		if kwok {
			n.Annotations["kwok.x-k8s.io/node"] = "fake"
		}
		return n
	}
	pod := func(name, ns, on string) *corev1.Pod {
		return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns}, Spec: corev1.PodSpec{NodeName: on}}
	}
	objs := []runtime.Object{node("kwok-0", true), node("real", false),
		pod("shell-demo", "page", "kwok-0"), pod("web", "page", "real"), pod("pending", "page", ""), pod("other", "elsewhere", "kwok-0")}
	cs := fake.NewClientset(objs...)
	c := cluster.Detect(context.Background(), cs, nil)
	tests := []struct {
		code   string
		target *markdown.Target
		want   string
	}{
		{"kubectl exec shell-demo -- ls /\n", nil, "Pod shell-demo is on node kwok-0, which is simulated (kwok): no container runs there"},
		{"kubectl logs pod/shell-demo\n", nil, "Pod shell-demo is on node kwok-0"},
		{"kubectl port-forward shell-demo 8080:80 &\n", nil, "Pod shell-demo is on node kwok-0"},
		{"kubectl logs web\n", nil, ""},
		{"kubectl logs pending\n", nil, ""},
		{"kubectl logs missing\n", nil, ""},
		{"kubectl logs deployment/shell-demo\n", nil, ""},
		{"kubectl get pod shell-demo\n", nil, ""},
		{"kubectl -n elsewhere exec other -- true\n", nil, "Pod other is on node kwok-0"},
		{"ls /\n", &markdown.Target{Kind: "container", Pod: "shell-demo"}, "Pod shell-demo is on node kwok-0"},
		{"ls /\n", &markdown.Target{Kind: "container", Pod: "web"}, ""},
	}
	for _, tc := range tests {
		pr := &pageRun{r: &Runner{Cluster: &cluster.Cluster{Capabilities: c, Client: cs}},
			res: &result.PageResult{Cluster: &result.ClusterInfo{Namespace: "page"}}}
		st := &result.StepResult{Step: markdown.Step{Kind: markdown.KindCommand, Code: tc.code, Target: tc.target}}
		if got := pr.simulatedPod(context.Background(), st, tc.code); !strings.HasPrefix(got, tc.want) || (tc.want == "") != (got == "") {
			t.Errorf("%q in %v: skipped %q, want %q", tc.code, tc.target, got, tc.want)
		}
	}

	// On a cluster whose nodes are all simulated the capability rule
	// skips such steps already; on one without simulated nodes nothing
	// is asked.
	for _, nodes := range [][]runtime.Object{{node("kwok-0", true)}, {node("real", false)}} {
		if c := cluster.Detect(context.Background(), fake.NewClientset(nodes...), nil); c.SomeSimulated() {
			t.Errorf("SomeSimulated with nodes %v", nodes)
		}
	}
}

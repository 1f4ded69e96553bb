package runner

import (
	"context"
	"fmt"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
	"github.com/docrun/docrun/result"
)

// containerCommands need a running container of the Pod they name first.
var containerCommands = map[string]bool{"logs": true, "exec": true, "attach": true, "port-forward": true, "debug": true}

// podAt is a Pod a step names, in a namespace ("" for the page's).
type podAt struct{ name, ns string }

// simulatedPod returns why a step that needs a running container in a Pod
// does not run: on a cluster whose nodes are partly simulated, the Pod is
// on a simulated node (the local cluster puts there the Pods its real node
// must not run: hostNetwork, privileged, NET_ADMIN). Pods named by
// TYPE/NAME, not yet scheduled or that cannot be read are left to run.
func (pr *pageRun) simulatedPod(ctx context.Context, st *result.StepResult, code string) string {
	c := pr.caps()
	if !c.SomeSimulated() || st.Kind != markdown.KindCommand || pr.r.Cluster.Client == nil {
		return ""
	}
	for _, p := range containerPods(st, code) {
		ns := p.ns
		if ns == "" && pr.res.Cluster != nil {
			ns = pr.res.Cluster.Namespace
		}
		gctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		pod, err := pr.r.Cluster.Client.CoreV1().Pods(ns).Get(gctx, p.name, metav1.GetOptions{})
		cancel()
		if err != nil || !c.Simulated(pod.Spec.NodeName) {
			continue
		}
		l := &lack{"a node that runs Pod " + p.name, fmt.Sprintf("Pod %s is on node %s, which is simulated (kwok): no container runs there",
			p.name, pod.Spec.NodeName)}
		pr.recordLack(l, st.Index)
		return l.why
	}
	return ""
}

// containerPods are the Pods, by name, whose running containers a step
// needs: the container its code is typed in, the Pod of kubectl logs,
// exec, attach, port-forward and debug.
func containerPods(st *result.StepResult, code string) []podAt {
	if t := st.Target; t != nil {
		if t.Kind == "container" && t.Pod != "" && !strings.ContainsAny(t.Pod, "/$<`") {
			return []podAt{{t.Pod, t.Namespace}}
		}
		return nil
	}
	var out []podAt
	for _, inv := range kubectl.Calls(shell.Parse(code)) {
		if inv.Err != nil || !containerCommands[inv.Command()] || len(inv.Args) == 0 {
			continue
		}
		name := inv.Args[0]
		if t, n, ok := strings.Cut(name, "/"); ok && (t == "pod" || t == "pods" || t == "po") {
			name = n
		}
		if !strings.ContainsAny(name, "/$<`") {
			ns, _ := inv.Namespace()
			out = append(out, podAt{name, ns})
		}
	}
	return out
}

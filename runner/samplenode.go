package runner

import (
	"context"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
	"github.com/docrun/docrun/result"
)

// nodeResources are the names kubectl reads as the Node resource.
var nodeResources = map[string]bool{"node": true, "nodes": true, "no": true}

// namedNodes returns the names of the Nodes a kubectl command acts on by
// name: the argument of cordon, uncordon and drain; the names after a node
// resource of label, annotate, taint, describe, get, delete and patch (up
// to the first label, annotation or taint); node/NAME anywhere. Names with
// expansions or placeholders are left to the placeholder rules.
func namedNodes(c kubectl.Call) []string {
	var out []string
	add := func(n string) {
		if n != "" && !strings.ContainsAny(n, "$`<>{}*") {
			out = append(out, n)
		}
	}
	args := c.Args
	switch c.Command() {
	case "cordon", "uncordon", "drain":
		if len(args) > 0 {
			add(args[0])
		}
		return out
	case "label", "annotate", "taint", "describe", "get", "delete", "patch":
	default:
		return nil
	}
	if c.Bool("all") || c.Has("selector") {
		return nil
	}
	for i, a := range args {
		if kind, name, ok := strings.Cut(a, "/"); ok {
			if nodeResources[kind] {
				add(name)
			}
			continue
		}
		if i != 0 || !nodeResources[a] {
			continue
		}
		for _, n := range args[1:] {
			if strings.ContainsAny(n, "=:") || strings.HasSuffix(n, "-") {
				break // a label, annotation or taint, or its removal
			}
			add(n)
		}
		break
	}
	return out
}

// unknownNode returns why a command step does not run, or "": a kubectl
// command names a Node this cluster does not have (kubectl label nodes
// node1 …, "for example"): a sample name that a reader replaces with one
// of their nodes. docrun does not pick a node of the cluster for it: a
// literal name is not a placeholder, and the command would change the
// node. A step the page expects to fail runs.
func (pr *pageRun) unknownNode(ctx context.Context, st *result.StepResult, code string) string {
	if st.Kind != markdown.KindCommand || st.Fails != nil || st.Target != nil || pr.r.Cluster == nil || pr.r.Cluster.Client == nil {
		return ""
	}
	for _, c := range kubectl.Calls(shell.Parse(code)) {
		if c.Err != nil || c.Has("context") || c.Has("kubeconfig") || c.Has("server") {
			continue
		}
		for _, n := range namedNodes(c) {
			_, err := pr.r.Cluster.Client.CoreV1().Nodes().Get(ctx, n, metav1.GetOptions{})
			if apierrors.IsNotFound(err) {
				return "names the node " + n + ", which this cluster does not have: a sample name, which the reader replaces with one of their nodes"
			}
		}
	}
	return ""
}

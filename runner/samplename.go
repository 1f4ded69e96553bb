package runner

import (
	"context"
	"regexp"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
	"github.com/docrun/docrun/result"
)

// Pages show commands on objects of another cluster: "kubectl label nodes
// node1 …" under "for example", "kubectl describe hpa cm-test" with the
// output of someone's HPA. A reader types the name of one of their own
// objects; docrun does not guess which (a literal name is not a
// placeholder, and a label or taint would change the object). It skips
// such a step instead of failing it with NotFound, when the object is
// not in the cluster and the page names it nowhere else.

// nodeResources are the names kubectl reads as the Node resource.
var nodeResources = map[string]bool{"node": true, "nodes": true, "no": true}

// objectRef is an object a kubectl command names: the resource as typed
// and the name.
type objectRef struct{ resource, name string }

// namedObjects returns the objects a kubectl command acts on by name: the
// names after the resource of get and describe (TYPE NAME..., TYPE/NAME),
// and the Nodes that label, annotate, taint, delete, patch, cordon,
// uncordon and drain change (up to the first label, annotation or taint).
// Names with expansions or placeholders are left to the placeholder
// rules; a selector or --all names none.
func namedObjects(c kubectl.Call) []objectRef {
	var out []objectRef
	add := func(res, n string) {
		if n != "" && !strings.ContainsAny(n, "$`<>{}*,") {
			out = append(out, objectRef{res, n})
		}
	}
	args, any := c.Args, true
	switch c.Command() {
	case "cordon", "uncordon", "drain":
		if len(args) > 0 {
			add("node", args[0])
		}
		return out
	case "get", "describe":
	case "label", "annotate", "taint", "delete", "patch":
		any = false
	default:
		return nil
	}
	if c.Bool("all") || c.Has("selector") || c.Has("filename") || c.Has("kustomize") || c.Bool("all-namespaces") {
		return nil
	}
	for i, a := range args {
		if kind, name, ok := strings.Cut(a, "/"); ok {
			if any || nodeResources[kind] {
				add(kind, name)
			}
			continue
		}
		if i != 0 || strings.Contains(a, ",") || !(any || nodeResources[a]) {
			continue
		}
		for _, n := range args[1:] {
			if strings.ContainsAny(n, "=:") || strings.HasSuffix(n, "-") {
				break // a label, annotation or taint, or its removal
			}
			add(a, n)
		}
		break
	}
	return out
}

// sampleName returns why a command step does not run, or "": a kubectl
// command names an object this cluster does not have and no other step
// of the page names (see above). A step the page expects to fail runs.
func (pr *pageRun) sampleName(ctx context.Context, st *result.StepResult, code string) string {
	if st.Kind != markdown.KindCommand || st.Fails != nil || st.Target != nil || pr.r.Cluster == nil || pr.r.Cluster.Dynamic == nil {
		return ""
	}
	names := pr.resources()
	// A step that also changes things may make the object it reads
	// (kubectl apply of a Secret, then kubectl describe secret): only
	// the Nodes it names are looked for before it runs.
	readOnly, _ := markdown.ReadOnly(code)
	for _, c := range kubectl.Calls(shell.Parse(code)) {
		if c.Err != nil || c.Has("context") || c.Has("kubeconfig") || c.Has("server") {
			continue
		}
		for _, o := range namedObjects(c) {
			res, ok := names.lookup(o.resource)
			if !ok || pr.namedElsewhere(st, o.name) || (!readOnly && !nodeResources[o.resource]) {
				continue
			}
			dyn := pr.r.Cluster.Dynamic.Resource(res.gvr)
			var err error
			if res.namespaced {
				ns, _ := c.Namespace()
				if ns == "" && pr.res.Cluster != nil {
					ns = pr.res.Cluster.Namespace
				}
				_, err = dyn.Namespace(ns).Get(ctx, o.name, metav1.GetOptions{})
			} else {
				_, err = dyn.Get(ctx, o.name, metav1.GetOptions{})
			}
			if apierrors.IsNotFound(err) {
				kind := strings.ToLower(res.kind)
				return "names the " + kind + " " + o.name + ", which neither this cluster nor the page has: a sample name, which the reader replaces with one of their " + kind + "s"
			}
		}
	}
	return ""
}

// namedElsewhere reports whether another step of the page (a command, a
// manifest, a file it saves) names the object: then the page makes it,
// and a NotFound is the page's to report.
func (pr *pageRun) namedElsewhere(st *result.StepResult, name string) bool {
	re := regexp.MustCompile(`(?:^|[^A-Za-z0-9_.-])` + regexp.QuoteMeta(name) + `(?:$|[^A-Za-z0-9_-])`)
	for _, o := range pr.res.Steps {
		if o != st && re.MatchString(o.Code) {
			return true
		}
	}
	return false
}

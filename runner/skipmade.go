package runner

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
	"github.com/docrun/docrun/result"
)

// skippedMade are the objects a step skipped for any reason would have
// made (its manifests applied or created, kubectl create's and run's
// names). A later step that names one follows the skipped step when the
// object is not in the cluster: a reader who could not run the step has
// no such object either, and the step would fail on it ("certificate
// approve myuser" after the step that creates the request was skipped
// for a missing openssl). The rule for what the cluster lacks
// (manifestLack) reads its own skips first, with its own reasons.
type skippedMade struct {
	step int
	objs []markdown.Object
	why  string // the step's skip reason
}

// madeBySkipped records the objects a skipped command step would have
// made (unwrote calls it for those the reader took).
func (pr *pageRun) madeBySkipped(st *result.StepResult) {
	c := pr.caps()
	if c == nil || st.Target != nil {
		return
	}
	if objs := stepMade(c, st.Objects); len(objs) > 0 {
		pr.skipped = append(pr.skipped, skippedMade{step: st.Index, objs: objs, why: st.SkipReason})
	}
}

// followsSkipped returns why a command step does not run, or "": a
// kubectl command of code names an object that only a skipped step would
// have made, and no such object is in the cluster. uses are what the
// step's kubectl commands do with objects (stepObjects).
func (pr *pageRun) followsSkipped(ctx context.Context, st *result.StepResult, code string, uses []markdown.ObjectUse) string {
	c := pr.caps()
	if len(pr.skipped) == 0 || c == nil || st.Kind != markdown.KindCommand || st.Target != nil {
		return ""
	}
	for _, inv := range kubectl.Calls(shell.Parse(code)) {
		for _, r := range refs(c, inv.Invocation, uses) {
			for _, s := range pr.skipped {
				o, ok := r.find(s.objs)
				if ok && !pr.objectExists(ctx, o) {
					return fmt.Sprintf("follows step %d, which would have made %s %s: %s", s.step, o.Kind, o.Name, s.why)
				}
			}
		}
	}
	return ""
}

// objectExists reports whether an object of a step is in the cluster, in
// its namespace or the page's. A kind the cluster does not serve has no
// objects; when the cluster cannot be asked, the object is taken to be
// there (the step runs, and its outcome says).
func (pr *pageRun) objectExists(ctx context.Context, o markdown.Object) bool {
	res, ok := pr.resources().lookup(o.Kind)
	if !ok && len(pr.resNames) > 0 {
		// a kind defined since the names were read (a
		// CustomResourceDefinition the page applied)
		pr.resNames = nil
		res, ok = pr.resources().lookup(o.Kind)
	}
	if !ok {
		return len(pr.resources()) == 0
	}
	dyn := pr.r.Cluster.Dynamic.Resource(res.gvr)
	var err error
	if res.namespaced {
		ns := o.Namespace
		if ns == "" && pr.res.Cluster != nil {
			ns = pr.res.Cluster.Namespace
		}
		_, err = dyn.Namespace(ns).Get(ctx, o.Name, metav1.GetOptions{})
	} else {
		_, err = dyn.Get(ctx, o.Name, metav1.GetOptions{})
	}
	return !apierrors.IsNotFound(err)
}

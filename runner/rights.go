package runner

import (
	"context"
	"fmt"
	"slices"
	"strings"

	authorizationv1 "k8s.io/api/authorization/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/result"
	"github.com/docrun/docrun/runner/cluster"
)

// rightsLack returns why a command step does not run, or "": it makes or
// deletes cluster-scoped objects (a CustomResourceDefinition, a
// ClusterRole, a namespace) that the identity docrun runs as may not
// (RBAC, asked with a SelfSubjectAccessReview): the pods of docrun
// dispatch without --cluster-admin, a kubeconfig whose user administers
// namespaces only. The step would fail with Forbidden for a reason of
// the run, not of the page. What it would have made is unmade, so that
// the steps that use it follow it (see followLack), and the lack is
// listed in the page's missing. Objects in namespaces are left to the
// step: the run made the page's namespace, and a user who may do that
// may work in it.
// uses are what the step's kubectl commands do with objects (stepObjects).
func (pr *pageRun) rightsLack(ctx context.Context, st *result.StepResult, uses []markdown.ObjectUse) string {
	c := pr.caps()
	if c == nil || st.Kind != markdown.KindCommand || st.Target != nil || pr.r.Cluster.Client == nil {
		return ""
	}
	for _, u := range uses {
		if u.DryRun == "client" {
			continue
		}
		verb, objs := "create", stepMade(c, []markdown.ObjectUse{u})
		if u.Command == "delete" {
			verb, objs = "delete", u.Objects
		}
		for _, o := range objs {
			res, ok := pr.resources().lookup(o.Kind)
			if !ok || res.namespaced || pr.allowed(ctx, verb, res) {
				continue
			}
			gr := res.gvr.GroupResource().String()
			l := &lack{"the right to " + verb + " " + gr,
				fmt.Sprintf("the identity docrun runs as may not %s %s (RBAC): a step for a cluster administrator", verb, gr)}
			pr.recordLack(l, st.Index)
			if verb == "create" {
				pr.unmade = append(pr.unmade, unmade{step: st.Index, lack: l, objs: stepMade(c, uses)})
			}
			return l.why
		}
	}
	return ""
}

// allowed asks the API server whether the identity docrun runs as may
// do verb on a kind of object (a SelfSubjectAccessReview), once per page
// for each; when it cannot be asked, the step runs.
func (pr *pageRun) allowed(ctx context.Context, verb string, res apiResource) bool {
	key := verb + " " + res.gvr.String()
	if v, ok := pr.rights[key]; ok {
		return v
	}
	review := &authorizationv1.SelfSubjectAccessReview{Spec: authorizationv1.SelfSubjectAccessReviewSpec{
		ResourceAttributes: &authorizationv1.ResourceAttributes{Verb: verb, Group: res.gvr.Group, Resource: res.gvr.Resource}}}
	got, err := pr.r.Cluster.Client.AuthorizationV1().SelfSubjectAccessReviews().Create(ctx, review, metav1.CreateOptions{})
	ok := err != nil || got.Status.Allowed
	if pr.rights == nil {
		pr.rights = map[string]bool{}
	}
	pr.rights[key] = ok
	return ok
}

// typeCommands are the kubectl commands whose first argument is a kind
// of object (TYPE, TYPE/NAME).
var typeCommands = map[string]bool{"get": true, "describe": true, "delete": true, "edit": true, "patch": true,
	"label": true, "annotate": true, "scale": true, "explain": true, "wait": true}

// undefinedKind returns the lack of a kubectl command whose kind of
// object (kubectl get crontab) the server does not know and a
// CustomResourceDefinition a skipped step would have made defines.
func (pr *pageRun) undefinedKind(c *cluster.Capabilities, inv kubectl.Invocation) *lack {
	if !typeCommands[inv.Command()] || len(inv.Args) == 0 {
		return nil
	}
	word, _, _ := strings.Cut(inv.Args[0], "/")
	word, _, _ = strings.Cut(strings.ToLower(strings.Split(word, ",")[0]), ".")
	if word == "" || c.KindFor(word) != "" {
		return nil
	}
	for _, u := range pr.unmade {
		for _, o := range u.objs {
			if o.Defines != "" && slices.Contains(o.Names, word) {
				return &lack{u.lack.what, fmt.Sprintf("follows step %d, skipped because the cluster lacks %s: %s %s was not made",
					u.step, u.lack.what, o.Kind, o.Name)}
			}
		}
	}
	return nil
}

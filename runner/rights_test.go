package runner

import (
	"context"
	"strings"
	"testing"

	authorizationv1 "k8s.io/api/authorization/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/markdown/shell"
	"github.com/docrun/docrun/result"
	"github.com/docrun/docrun/runner/cluster"
)

// TestRightsLack runs the rules over the steps of a page that defines a
// custom kind, as an identity that may not create
// CustomResourceDefinitions: the step that defines it is skipped, the
// steps that use the kind by any of its names follow it, and the others
// run.
func TestRightsLack(t *testing.T) {
	const crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: crontabs.stable.example.com\n" +
		"spec:\n  group: stable.example.com\n  names:\n    kind: CronTab\n    plural: crontabs\n    singular: crontab\n    shortNames: [ct]\n"
	steps := []struct {
		code string
		want string // the start of the skip reason, "" when the step runs
	}{
		{"kubectl apply -f - <<EOF\n" + crd + "EOF\n", "the identity docrun runs as may not create customresourcedefinitions.apiextensions.k8s.io (RBAC)"},
		{"kubectl get crontab\n", "follows step 0, skipped because the cluster lacks the right to create customresourcedefinitions.apiextensions.k8s.io"},
		{"kubectl get ct -o yaml\n", "follows step 0"},
		{"kubectl get customresourcedefinitions crontabs.stable.example.com\n", "follows step 0"},
		{"kubectl get pods\n", ""},
		{"kubectl create deployment web --image=nginx\n", ""},
	}
	cs := fake.NewClientset()
	reviews := 0
	cs.PrependReactor("create", "selfsubjectaccessreviews", func(a k8stesting.Action) (bool, runtime.Object, error) {
		reviews++
		r := a.(k8stesting.CreateAction).GetObject().(*authorizationv1.SelfSubjectAccessReview)
		attrs := r.Spec.ResourceAttributes
		r.Status.Allowed = !(attrs.Resource == "customresourcedefinitions" && attrs.Verb == "create")
		return true, r, nil
	})
	caps := fakeCaps(t, true)
	lists := []*metav1.APIResourceList{
		{GroupVersion: "v1", APIResources: []metav1.APIResource{{Name: "pods", SingularName: "pod", Kind: "Pod", Namespaced: true}}},
		{GroupVersion: "apps/v1", APIResources: []metav1.APIResource{{Name: "deployments", SingularName: "deployment", Kind: "Deployment", Namespaced: true}}},
		{GroupVersion: "apiextensions.k8s.io/v1", APIResources: []metav1.APIResource{
			{Name: "customresourcedefinitions", SingularName: "customresourcedefinition", ShortNames: []string{"crd"}, Kind: "CustomResourceDefinition"}}},
	}
	pr := &pageRun{r: &Runner{Cluster: &cluster.Cluster{Capabilities: caps, Client: cs}}, res: &result.PageResult{},
		dir: t.TempDir(), resNames: newResourceNames(lists)}
	for i, s := range steps {
		st := &result.StepResult{Step: markdown.Step{Index: i, Kind: markdown.KindCommand, Code: s.code, Objects: usesOf(shell.Parse(s.code))}}
		got := pr.manifestLack(st, s.code, false)
		if got == "" {
			got = pr.rightsLack(context.Background(), st, stepObjects(st, s.code, false, pr.dir))
		}
		if !strings.HasPrefix(got, s.want) || (s.want == "") != (got == "") {
			t.Errorf("step %d (%.30q): skipped %q, want %q", i, s.code, got, s.want)
		}
	}
	if len(pr.res.Missing) != 1 || pr.res.Missing[0].What != "the right to create customresourcedefinitions.apiextensions.k8s.io" {
		t.Errorf("missing %+v", pr.res.Missing)
	}
	if reviews != 1 {
		t.Errorf("%d access reviews, want 1 (the answer is kept for the page)", reviews)
	}
}

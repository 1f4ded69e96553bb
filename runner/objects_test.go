package runner

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/docrun/docrun/markdown"

	"github.com/docrun/docrun/result"
)

// testNames are resource names as a cluster's discovery gives them.
var testNames = newResourceNames([]*metav1.APIResourceList{
	{GroupVersion: "events.k8s.io/v1", APIResources: []metav1.APIResource{{Name: "events", SingularName: "event", Kind: "Event", Namespaced: true, ShortNames: []string{"ev"}}}},
	{GroupVersion: "v1", APIResources: []metav1.APIResource{
		{Name: "pods", SingularName: "pod", Kind: "Pod", Namespaced: true, ShortNames: []string{"po"}},
		{Name: "pods/log", Kind: "Pod", Namespaced: true},
		{Name: "nodes", SingularName: "node", Kind: "Node", ShortNames: []string{"no"}},
		{Name: "namespaces", SingularName: "namespace", Kind: "Namespace", ShortNames: []string{"ns"}},
		{Name: "secrets", SingularName: "secret", Kind: "Secret", Namespaced: true},
		{Name: "serviceaccounts", SingularName: "serviceaccount", Kind: "ServiceAccount", Namespaced: true, ShortNames: []string{"sa"}},
		{Name: "events", SingularName: "event", Kind: "Event", Namespaced: true, ShortNames: []string{"ev"}},
	}},
	{GroupVersion: "apps/v1", APIResources: []metav1.APIResource{
		{Name: "deployments", SingularName: "deployment", Kind: "Deployment", Namespaced: true, ShortNames: []string{"deploy"}},
		{Name: "daemonsets", SingularName: "daemonset", Kind: "DaemonSet", Namespaced: true, ShortNames: []string{"ds"}},
		{Name: "replicasets", SingularName: "replicaset", Kind: "ReplicaSet", Namespaced: true, ShortNames: []string{"rs"}},
	}},
})

func TestPlaceholderUse(t *testing.T) {
	cases := []struct {
		name, code string
		want       string // the resource, "" for none, "fresh" for a new name
		readOnly   bool
	}{
		{"pod-name", "kubectl describe pod <pod-name>", "pods", true},
		{"name", "kubectl get namespaces <name>", "namespaces", true},
		{"name", "kubectl describe ns <name>", "namespaces", true},
		{"name", "kubectl rollout status deployment/<name>", "deployments", true},
		{"name", "kubectl scale --replicas=3 rs/<name>", "replicasets", false},
		{"x", "kubectl logs <x> -c app", "pods", true},
		{"x", "kubectl exec -it <x> -- ls", "pods", false},
		{"x", "kubectl cp <x>:/tmp/a ./a", "pods", false},
		{"x", "kubectl drain <x> --ignore-daemonsets", "nodes", false},
		{"x", "kubectl get pods -n <x>", "namespaces", true},
		{"insert-namespace-name-here", "kubectl create namespace <insert-namespace-name-here>", "fresh", false},
		{"name", "kubectl run <name> --image=nginx", "fresh", false},
		{"insert-some-namespace-name", "kubectl delete namespaces <insert-some-namespace-name>", "namespaces", false},
		{"your-pod-name", "kubectl get pod <your-pod-name> --output yaml", "pods", true},
		{"pod-name", "curl localhost:8001/api/v1/namespaces/default/pods/<pod-name>", "pods", false},
		{"your-secret", "echo <your-secret>", "secrets", false},
		{"daemonset-name", "echo <daemonset-name>", "daemonsets", false},
		{"POD_NAME", "kubectl label pods POD_NAME a=b", "pods", false},
		{"$POD_NAME", "kubectl exec $POD_NAME -- date", "pods", false},
		{"service-account-name", "echo <service-account-name>", "serviceaccounts", false},
		{"podname", "echo <podname>", "pods", false},
		{"name", "kubectl get <kind>/<name> -o yaml", "", false},
		{"name", "echo <name>", "", false},
		{"pod-ip", "curl <pod-ip>", "", false},
		{"directory", "kubectl apply -f <directory>", "", false},
		{"event-name", "echo <event-name>", "events", false},
	}
	for _, c := range cases {
		u := placeholderUse(c.name, c.code, testNames)
		got := u.res.gvr.Resource
		if u.fresh {
			got = "fresh"
		}
		if !u.found && !u.fresh {
			got = ""
		}
		if got != c.want || (got != "" && got != "fresh" && u.readOnly != c.readOnly) {
			t.Errorf("%s in %q: got %q (read-only %v), want %q (%v)", c.name, c.code, got, u.readOnly, c.want, c.readOnly)
		}
	}
	if r, _ := testNames.lookup("events"); r.gvr.Group != "" {
		t.Errorf("events: the core group's resource must win, got %v", r.gvr)
	}
}

func TestChangedBy(t *testing.T) {
	since := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *metav1.Time { t := metav1.NewTime(since.Add(d)); return &t }
	o := &unstructured.Unstructured{}
	o.SetManagedFields([]metav1.ManagedFieldsEntry{
		{Manager: "kubelet", Time: at(time.Minute)},
		{Manager: "kubectl-taint", Time: at(-time.Minute)},
		{Manager: "kubectl-label", Time: at(2 * time.Second)},
	})
	if verb, when, ok := changedBy(o, since); !ok || verb != "labelled" || !when.Equal(since.Add(2*time.Second)) {
		t.Errorf("got %q %v %v", verb, when, ok)
	}
	o.SetManagedFields([]metav1.ManagedFieldsEntry{{Manager: "kubectl-label", Time: at(-time.Second)}})
	if _, _, ok := changedBy(o, since); ok {
		t.Error("a change before the page is not the page's")
	}
}

func TestMadeByPage(t *testing.T) {
	cm := &unstructured.Unstructured{}
	cm.SetManagedFields([]metav1.ManagedFieldsEntry{{Manager: "kube-controller-manager"}})
	sa := &unstructured.Unstructured{}
	pod := &unstructured.Unstructured{}
	pod.SetOwnerReferences([]metav1.OwnerReference{{Kind: "ReplicaSet", Name: "web-1"}})
	pod.SetManagedFields([]metav1.ManagedFieldsEntry{{Manager: "kube-controller-manager"}})
	dep := &unstructured.Unstructured{}
	dep.SetManagedFields([]metav1.ManagedFieldsEntry{{Manager: "kubectl-create"}})
	for _, c := range []struct {
		o    *unstructured.Unstructured
		want bool
	}{{cm, false}, {sa, false}, {pod, true}, {dep, true}} {
		if got := madeByPage(c.o); got != c.want {
			t.Errorf("%v: got %v", c.o.Object, got)
		}
	}
}

func TestStepAt(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 10, 0, 0, 200e6, time.UTC)
	step := func(i int, code, stdout string) *result.StepResult {
		return &result.StepResult{Step: markdown.Step{Index: i, Kind: markdown.KindCommand, Code: code}, Stdout: stdout}
	}
	pr := &pageRun{times: []stepTime{
		{step(0, "kubectl create deployment web --image=x", "deployment.apps/web created\n"), t0, t0.Add(100 * time.Millisecond)},
		{step(1, "kubectl get pods", "web-1 Pending\n"), t0.Add(150 * time.Millisecond), t0.Add(300 * time.Millisecond)},
		{step(2, "kubectl create secret generic s", "secret/s created\n"), t0.Add(2 * time.Second), t0.Add(2100 * time.Millisecond)},
	}}
	sec := t0.Truncate(time.Second)
	cases := []struct {
		at    time.Time
		names []string
		want  int
	}{
		{sec, []string{"web-1", "web"}, 0},        // a Pod the controller made in the second of steps 0 and 1
		{sec.Add(time.Second), []string{"x"}, -1}, // after step 1, which only reads, before step 2: a controller made it
		{sec.Add(2 * time.Second), []string{"s"}, 2},
		{sec.Add(-time.Hour), []string{"x"}, -1},
	}
	for _, c := range cases {
		if got := pr.stepAt(c.at, c.names); got != c.want {
			t.Errorf("%v %v: got %d want %d", c.at, c.names, got, c.want)
		}
	}
	// a cluster-scoped object is the page's only when a step printed it
	if got := pr.printedAt(sec.Add(2*time.Second), "s"); got != 2 {
		t.Errorf("printedAt: got %d want 2", got)
	}
	if got := pr.printedAt(sec, "dev"); got != -1 {
		t.Errorf("printedAt of an object no step printed: got %d", got)
	}
}

func TestManifestName(t *testing.T) {
	tokens := placeholderTokens("insert-namespace-name-here")
	cases := []struct {
		code string
		want bool
	}{
		{"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: <insert-namespace-name-here>\n", true},
		{"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \"<insert-namespace-name-here>\"\n", true},
		{"kind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: <insert-namespace-name-here>\n", false},
		{"kind: Pod\nmetadata:\n  labels:\n    name: <insert-namespace-name-here>\n", false},
		{"kubectl get ns <insert-namespace-name-here>\n", false},
	}
	for _, c := range cases {
		if got := manifestName(c.code, tokens); got != c.want {
			t.Errorf("%q: %v, want %v", c.code, got, c.want)
		}
	}
}

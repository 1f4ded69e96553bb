package runner

import (
	"context"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
	"github.com/docrun/docrun/result"
	"github.com/docrun/docrun/runner/cluster"
)

// fakeCaps are the capabilities of a cluster that serves the core, apps
// and apiextensions groups, with names as kubectl takes them.
func fakeCaps(t *testing.T, defaultClass bool) *cluster.Capabilities {
	t.Helper()
	return fakeCapsWith(t, defaultClass)
}

// fakeCapsWith are fakeCaps of a cluster that has objs too (nodes, the
// ConfigMap of the images served offline).
func fakeCapsWith(t *testing.T, defaultClass bool, objs ...runtime.Object) *cluster.Capabilities {
	t.Helper()
	cs := fake.NewClientset(objs...)
	cs.Resources = []*metav1.APIResourceList{
		{GroupVersion: "v1", APIResources: []metav1.APIResource{
			{Name: "pods", SingularName: "pod", ShortNames: []string{"po"}, Kind: "Pod"},
			{Name: "services", SingularName: "service", ShortNames: []string{"svc"}, Kind: "Service"},
			{Name: "persistentvolumeclaims", SingularName: "persistentvolumeclaim", ShortNames: []string{"pvc"}, Kind: "PersistentVolumeClaim"},
		}},
		{GroupVersion: "apps/v1", APIResources: []metav1.APIResource{
			{Name: "statefulsets", SingularName: "statefulset", ShortNames: []string{"sts"}, Kind: "StatefulSet"},
			{Name: "deployments", SingularName: "deployment", ShortNames: []string{"deploy"}, Kind: "Deployment"},
		}},
		{GroupVersion: "apiextensions.k8s.io/v1", APIResources: []metav1.APIResource{
			{Name: "customresourcedefinitions", Kind: "CustomResourceDefinition"},
		}},
	}
	c := cluster.Detect(context.Background(), cs, nil)
	if defaultClass {
		c.DefaultStorageClass = "standard"
	}
	return c
}

const statefulSet = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: ["ReadWriteOnce"]
---
apiVersion: v1
kind: Service
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  type: LoadBalancer
`

// objectsOf reads a manifest's objects as markdown does.
func objectsOf(text string) []markdown.Object {
	objs, _ := markdown.ManifestObjects(text, "-", "")
	return objs
}

// usesOf reads what the kubectl commands of code do with objects, as
// markdown does with a page that gives no manifest file.
func usesOf(sc *shell.Script) []markdown.ObjectUse {
	return markdown.ReadObjects(sc, func(kubectl.Call, string) (string, bool) { return "", false })
}

func TestObjectsLack(t *testing.T) {
	crd := `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
spec:
  group: stable.example.com
  names:
    kind: CronTab
---
apiVersion: stable.example.com/v1
kind: CronTab
metadata:
  name: my-cron
`
	tests := []struct {
		manifest     string
		defaultClass bool
		want         string // what the cluster lacks, "" for nothing
	}{
		{statefulSet, false, "a default StorageClass"},
		{statefulSet, true, ""},
		{"apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: x}\n", true, "API extensions/v1beta1 Deployment"},
		{"apiVersion: apps/v1beta1\nkind: Deployment\nmetadata: {name: x}\n", true, "API apps/v1beta1 Deployment"},
		{"apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: {name: x}\n", true, "API stable.example.com/v1 CronTab"},
		{crd, true, ""}, // the step defines the kind it makes
		{"apiVersion: <version>\nkind: Pod\n", true, ""},
	}
	for _, tc := range tests {
		got := ""
		if l := objectsLack(fakeCaps(t, tc.defaultClass), objectsOf(tc.manifest)); l != nil {
			got = l.what
		}
		if got != tc.want {
			t.Errorf("objectsLack(%.40q, default class %v) = %q, want %q", tc.manifest, tc.defaultClass, got, tc.want)
		}
	}
}

func TestFollowUps(t *testing.T) {
	c := fakeCaps(t, false)
	made := objectsOf(statefulSet)
	tests := []struct {
		code string
		want string // the object found, "" for none
	}{
		{"kubectl get service nginx", "Service nginx"},
		{"kubectl get sts web", "StatefulSet web"},
		{"kubectl scale statefulset/web --replicas=5", "StatefulSet web"},
		{"kubectl get pods -l app=nginx", "StatefulSet web"},
		{"kubectl get pvc -l app=nginx,tier!=db", "StatefulSet web"},
		{"kubectl delete pod web-2", "StatefulSet web"},
		{`for i in 0 1; do kubectl get pod "web-$i"; done`, "StatefulSet web"},
		{"kubectl delete pvc www-web-0 www-web-1", "StatefulSet web"},
		{"kubectl logs web-0", "StatefulSet web"},
		{"kubectl cp web-0:/tmp/x ./x", "StatefulSet web"},
		{"kubectl get pods -l app=other", ""},
		{"kubectl get deployment web", ""},
		{"kubectl get pod webserver", ""},
		{"kubectl create deployment web --image=nginx", ""},
		{"kubectl config view", ""},
		{"echo web-0", ""},
	}
	for _, tc := range tests {
		sc := shell.Parse(tc.code)
		got := ""
		for _, call := range sc.Calls {
			if prog, args := call.Program(); prog == "kubectl" {
				inv, _ := kubectl.Parse(args)
				for _, r := range refs(c, inv, usesOf(sc)) {
					if o, ok := r.find(made); ok && got == "" {
						got = o.Kind + " " + o.Name
					}
				}
			}
		}
		if got != tc.want {
			t.Errorf("%s: found %q, want %q", tc.code, got, tc.want)
		}
	}
}

func TestFollowUpsOfPendingPods(t *testing.T) {
	c := fakeCaps(t, false)
	pending := pendingPods(objectsOf(statefulSet))
	tests := []struct {
		code string
		want bool
	}{
		{"kubectl get pods -l app=nginx", true},
		{"kubectl delete pod web-2", true},
		{"kubectl get pvc www-web-0", true},
		{"kubectl get service nginx", false},
		{"kubectl get statefulset web", false},
		{"kubectl scale sts web --replicas=3", false},
	}
	for _, tc := range tests {
		sc := shell.Parse(tc.code)
		prog, args := sc.Calls[0].Program()
		if prog != "kubectl" {
			t.Fatal(tc.code)
		}
		inv, _ := kubectl.Parse(args)
		got := false
		for _, r := range refs(c, inv, usesOf(sc)) {
			if _, ok := r.findPods(pending); ok {
				got = true
			}
		}
		if got != tc.want {
			t.Errorf("%s: uses the Pending Pods %v, want %v", tc.code, got, tc.want)
		}
	}
}

// TestFollowUpsForgetRemade runs manifestLack over the steps of a page
// that makes a custom object before its kind is defined (skipped), then
// defines the kind and makes the object again: the steps that use the
// object after the second making run, the one in between is skipped.
func TestFollowUpsForgetRemade(t *testing.T) {
	const cron = "apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: my-cron\n"
	const crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: crontabs.stable.example.com\n" +
		"spec:\n  group: stable.example.com\n  names:\n    kind: CronTab\n    plural: crontabs\n"
	steps := []struct {
		code string
		want string // the start of the skip reason, "" when the step runs
	}{
		{"kubectl apply -f - <<EOF\n" + cron + "EOF\n", "the server does not serve CronTab"},
		{"kubectl get crontabs/my-cron -o yaml\n", "follows step 0"},
		{"kubectl apply -f - <<EOF\n" + crd + "---\n" + cron + "EOF\n", ""},
		{"kubectl scale --replicas=5 crontabs/my-cron\n", ""},
		{"kubectl delete crontab my-cron\n", ""},
	}
	pr := &pageRun{r: &Runner{Cluster: &cluster.Cluster{Capabilities: fakeCaps(t, true)}}, res: &result.PageResult{}, dir: t.TempDir()}
	for i, s := range steps {
		st := &result.StepResult{Step: markdown.Step{Index: i, Kind: markdown.KindCommand, Code: s.code, Objects: usesOf(shell.Parse(s.code))}}
		if got := pr.manifestLack(st, s.code, false); !strings.HasPrefix(got, s.want) || (s.want == "") != (got == "") {
			t.Errorf("step %d (%.30q): skipped %q, want %q", i, s.code, got, s.want)
		}
	}
}

package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/docrun/docrun/runner/clustertest"
)

// TestReadingRules runs a page on the local cluster whose steps depend on
// how docrun reads it: placeholders written as the run's own values
// (<your-namespace>, $NAMESPACE), a variable the page never sets, a
// variable it sets, commands typed into a container's shell, and a
// command that needs a running container on a cluster of simulated nodes.
func TestReadingRules(t *testing.T) {
	env := clustertest.Require(t)
	dir := site(t, map[string]string{"content/en/docs/p.md": pageOf(
		fence("kubectl get namespace <your-namespace> -o name"),
		fence("kubectl get namespace $NAMESPACE -o name"),
		fence("echo \"$GREETING\""),
		fence("export APP=web\necho \"$APP\""),
		fence("kubectl create deployment web --image=registry.k8s.io/pause:3.10"),
		fence("kubectl logs deployment/web"),
		"Get a shell in the Pod:\n\n",
		fence("kubectl exec -it deployment/web -- sh"),
		fence("ls /"),
		fence("kubectl get deployment web -o name"),
	)})
	o := docrun(t, env, "--offline", "--yes", "--set", "GREETING=hello", filepath.Join(dir, "content/en/docs/p.md"))
	st := o.res.Pages[0].Steps
	ns := o.res.Pages[0].Cluster.Namespace
	checks := []struct {
		status, stdout, reason string
	}{
		{"passed", "namespace/" + ns + "\n", ""},
		{"passed", "namespace/" + ns + "\n", ""},
		{"passed", "hello\n", ""},
		{"passed", "web\n", ""},
		{"passed", "deployment.apps/web created\n", ""},
		{"skipped", "", "simulated (kwok)"},
		{"skipped", "", "interactive"},
		{"skipped", "", "runs inside Pod deployment/web"},
		{"passed", "deployment.apps/web\n", ""},
	}
	if len(st) != len(checks) {
		t.Fatalf("%d steps, want %d", len(st), len(checks))
	}
	for i, c := range checks {
		if st[i].Status != c.status || !strings.HasPrefix(st[i].Stdout, c.stdout) || !strings.Contains(st[i].SkipReason, c.reason) {
			t.Errorf("step %d: %s %q (%s), want %s %q (%s); stderr %s", i, st[i].Status, st[i].Stdout, st[i].SkipReason,
				c.status, c.stdout, c.reason, st[i].Stderr)
		}
	}
	if o.code != 0 {
		t.Errorf("exit %d\n%s", o.code, o.stderr)
	}
	o = docrun(t, env, "--offline", "--yes", "--step", "2", filepath.Join(dir, "content/en/docs/p.md"))
	found := false
	for _, s := range o.res.Pages[0].Steps {
		if s.Index == 2 {
			found = true
			if s.Status != "skipped" || !strings.Contains(s.SkipReason, "needs $GREETING, which the page never sets") {
				t.Errorf("unset variable: %s %q", s.Status, s.SkipReason)
			}
		}
	}
	if !found {
		t.Error("step 2 not in the result of --step 2")
	}
}

// TestCreatedBefore runs a page that shows two ways to create an object: the
// second is skipped when the first passed, and runs when the first failed
// or a step deleted the object in between.
func TestCreatedBefore(t *testing.T) {
	env := clustertest.Require(t)
	dir := site(t, map[string]string{"content/en/docs/p.md": pageOf(
		fence("kubectl create configmap colour --from-literal=colour=red"),
		"You can also create the same ConfigMap from a file:\n\n",
		fence("echo -n red > colour"),
		fence("kubectl create configmap colour --from-file=colour"),
		fence("kubectl delete configmap colour"),
		fence("kubectl create configmap colour --from-file=colour"),
		fence("kubectl create configmap shape --from-literal=shape"),
		fence("kubectl create configmap shape --from-literal=shape=round"),
	)})
	o := docrun(t, env, "--offline", "--yes", filepath.Join(dir, "content/en/docs/p.md"))
	st := o.res.Pages[0].Steps
	want := []struct{ status, reason string }{
		{"passed", ""},
		{"passed", ""},
		{"skipped", "another way to create configmap/colour, which step 0 created"},
		{"passed", ""},
		{"passed", ""},
		{"failed", ""},
		{"passed", ""}, // step 5 failed: the object does not exist yet
	}
	if len(st) != len(want) {
		t.Fatalf("%d steps, want %d", len(st), len(want))
	}
	for i, w := range want {
		if st[i].Status != w.status || !strings.Contains(st[i].SkipReason, w.reason) {
			t.Errorf("step %d: %s (%s), want %s (%s); stderr %s", i, st[i].Status, st[i].SkipReason, w.status, w.reason, st[i].Stderr)
		}
	}
}

// TestInventedName runs a page that leaves a new object's name to the
// reader: docrun chooses one, uses it for the same placeholder later, and
// finds the object by it.
func TestInventedName(t *testing.T) {
	env := clustertest.Require(t)
	dir := site(t, map[string]string{"content/en/docs/p.md": pageOf(
		"Save the following as `my-namespace.yaml`:\n\n",
		"```yaml\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: <insert-namespace-name-here>\n```\n\n",
		fence("kubectl create -f ./my-namespace.yaml"),
		"Alternatively, create it with:\n\n",
		fence("kubectl create namespace <insert-namespace-name-here>"),
		fence("kubectl get namespace <insert-namespace-name-here> -o name"),
		fence("kubectl delete namespace <insert-namespace-name-here>"),
	)})
	o := docrun(t, env, "--offline", "--yes", filepath.Join(dir, "content/en/docs/p.md"))
	st := o.res.Pages[0].Steps
	ns := o.res.Pages[0].Cluster.Namespace
	name := "example-" + strings.TrimPrefix(ns, "docrun-")
	want := []struct{ status, stdout, reason string }{
		{"skipped", "", "a manifest is applied"},
		{"passed", "namespace/" + name + " created", ""},
		{"skipped", "", "another way to create namespace/<insert-namespace-name-here>, which step 1 created"},
		{"passed", "namespace/" + name, ""},
		{"passed", "namespace \"" + name + "\" deleted", ""},
	}
	if len(st) != len(want) {
		t.Fatalf("%d steps, want %d", len(st), len(want))
	}
	for i, w := range want {
		if st[i].Status != w.status || !strings.HasPrefix(st[i].Stdout, w.stdout) || !strings.Contains(st[i].SkipReason, w.reason) {
			t.Errorf("step %d: %s %q (%s), want %s %q (%s); stderr %s", i, st[i].Status, st[i].Stdout, st[i].SkipReason, w.status, w.stdout, w.reason, st[i].Stderr)
		}
	}
	if b := st[3].Bindings; len(b) != 1 || b[0].Source != "invented" || b[0].Value != name {
		t.Errorf("bindings of step 3: %+v", b)
	}
	if len(o.res.Pages[0].Leaks) != 0 {
		t.Errorf("leaks: %v", o.res.Pages[0].Leaks)
	}
}

package main

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/docrun/docrun/runner/clustertest"
)

// TestForegroundServer runs a page that starts kubectl proxy in the
// foreground and talks to it in later steps: docrun runs the proxy in the
// background, waits for its port, stops it before the page starts it
// again on the same port, and ends it with the page. A server no later
// step talks to stays skipped as interactive.
func TestForegroundServer(t *testing.T) {
	env := clustertest.Require(t)
	before := mustRead(t, env.Kubeconfig)
	o := docrun(t, env, "--offline", "--yes", filepath.Join("testdata", "bind", "foreground.md"))
	if o.code != 0 {
		t.Fatalf("exit %d\n%s", o.code, o.stderr)
	}
	st := o.res.Pages[0].Steps
	for _, i := range []int{0, 2} {
		if st[i].Status != "passed" || !strings.HasPrefix(st[i].Note, "run in the background: later steps use it") {
			t.Errorf("step %d: %s, note %q, stderr %q", i, st[i].Status, st[i].Note, st[i].Stderr)
		}
		if !strings.Contains(st[i].Ran, "kubectl proxy --port=18481 &") {
			t.Errorf("step %d ran %q", i, st[i].Ran)
		}
	}
	for _, i := range []int{1, 3} {
		if st[i].Status != "passed" || st[i].Stdout != "1\n" {
			t.Errorf("step %d: %s %q (stderr %q)", i, st[i].Status, st[i].Stdout, st[i].Stderr)
		}
	}
	if st[4].Status != "skipped" || !strings.HasPrefix(st[4].SkipReason, "interactive") || st[4].Note != "" {
		t.Errorf("step 4 (a server nothing uses): %s %q note %q", st[4].Status, st[4].SkipReason, st[4].Note)
	}
	checkClean(t, env, before)
}

// TestObjectBindings runs pages whose placeholders name the objects they
// made: the Pod of a Deployment, a DaemonSet, the namespace a read-only
// command names, one of two Pods where the page says any will do; and a
// <pod-name> two Pods of a DaemonSet could be, which stays unbound with
// both listed.
func TestObjectBindings(t *testing.T) {
	env := clustertest.Require(t)
	before := mustRead(t, env.Kubeconfig)
	o := docrun(t, env, "--offline", "--yes", filepath.Join("testdata", "bind", "deployment.md"), filepath.Join("testdata", "bind", "daemonset.md"))
	if len(o.res.Pages) != 2 {
		t.Fatalf("exit %d\n%s", o.code, o.stderr)
	}
	dep, ds := o.res.Pages[0].Steps, o.res.Pages[1].Steps
	ns := o.res.Pages[0].Cluster.Namespace
	checks := []struct {
		page, step                string
		status, stdout            string
		name, source, description string
	}{
		{"deployment", "2", "passed", "ReplicaSet", "pod-name", "object", "the Pod of deployment web, created at step 0"},
		{"deployment", "3", "passed", "namespace/" + ns + "\n", "name", "auto", "the run's namespace"},
		{"daemonset", "3", "passed", "logger", "daemonset-name", "object", "daemonset logger, created at step 1"},
	}
	for _, c := range checks {
		st := dep
		if c.page == "daemonset" {
			st = ds
		}
		s := st[atoi(t, c.step)]
		if s.Status != c.status || s.Stdout != c.stdout {
			t.Errorf("%s step %s: %s %q, want %s %q (stderr %q, skip %q)", c.page, c.step, s.Status, s.Stdout, c.status, c.stdout, s.Stderr, s.SkipReason)
		}
		if len(s.Bindings) != 1 || s.Bindings[0].Name != c.name || s.Bindings[0].Source != c.source || s.Bindings[0].Description != c.description {
			t.Errorf("%s step %s: bindings %+v, want %s from %s: %s", c.page, c.step, s.Bindings, c.name, c.source, c.description)
		}
	}
	if s := dep[6]; s.Status != "passed" || s.Stdout != "web" || len(s.Bindings) != 1 ||
		!strings.HasPrefix(s.Bindings[0].Description, "one of 2 pods the page made, as the page allows: the Pod of deployment web") {
		t.Errorf("<pod-name> of one of two Pods, as the page allows: %s %q %+v (skip %q)", s.Status, s.Stdout, s.Bindings, s.SkipReason)
	}
	amb := ds[4]
	if amb.Status != "skipped" || !strings.Contains(amb.SkipReason, "2 pods the page made could be meant: logger-") ||
		strings.Count(amb.SkipReason, "the Pod of daemonset logger, created at step 1") != 2 {
		t.Errorf("ambiguous <pod-name>: %s %q", amb.Status, amb.SkipReason)
	}
	checkClean(t, env, before)
}

func atoi(t *testing.T, s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestInventedCredentials runs a page whose Secrets have placeholders in
// their data: docrun makes up a user name and a password once for the
// page, writes them base64-encoded under data: and as they are under
// stringData:, and hides them (also decoded) in every output.
func TestInventedCredentials(t *testing.T) {
	env := clustertest.Require(t)
	before := mustRead(t, env.Kubeconfig)
	o := docrun(t, env, "--offline", "--yes", filepath.Join("testdata", "bind", "credentials.md"))
	if o.code != 0 {
		t.Fatalf("exit %d\n%s", o.code, o.stderr)
	}
	st := o.res.Pages[0].Steps
	for _, i := range []int{1, 2} {
		if st[i].Status != "passed" || len(st[i].Bindings) != 2 {
			t.Fatalf("step %d: %s %q, bindings %+v", i, st[i].Status, st[i].Stderr+st[i].SkipReason, st[i].Bindings)
		}
		for _, b := range st[i].Bindings {
			if b.Source != "invented" || !b.Secret || b.Value != "[REDACTED]" {
				t.Errorf("step %d: binding %+v, want an invented secret, redacted", i, b)
			}
		}
	}
	if got := st[3].Stdout; got != "24\nuser-\n" {
		t.Errorf("step 3: the data decode to %q, want a 24-letter password and a user- name", got)
	}
	if got := st[4].Stdout; got != "[REDACTED]" {
		t.Errorf("step 4 shows the invented password: %q", got)
	}
	if got := st[5].Stdout; got != "user: [REDACTED]\npassword: [REDACTED]\n" {
		t.Errorf("step 5 shows %q, want the same values, hidden", got)
	}
	if regexp.MustCompile(`user-[0-9a-f]{10}`).MatchString(o.stdout) {
		t.Errorf("the result shows an invented user name:\n%s", o.stdout)
	}
	checkClean(t, env, before)
}

// TestOutputBindings runs a page that shows sample values and says to
// replace them with what an earlier command prints (a comment in a
// here-document, a sentence before a manifest saved as a file): docrun
// runs that command again and puts its output in their place.
func TestOutputBindings(t *testing.T) {
	env := clustertest.Require(t)
	before := mustRead(t, env.Kubeconfig)
	o := docrun(t, env, "--offline", "--yes", filepath.Join("testdata", "bind", "replaced.md"))
	if o.code != 0 {
		t.Fatalf("exit %d\n%s", o.code, o.stderr)
	}
	st := o.res.Pages[0].Steps
	for _, c := range []struct {
		step        int
		name, value string
	}{{2, "encoded", "cGxhdGZvcm0="}, {5, "team", "platform"}} {
		s := st[c.step]
		if s.Status != "passed" || len(s.Bindings) != 1 {
			t.Fatalf("step %d: %s %q, bindings %+v", c.step, s.Status, s.Stderr+s.SkipReason, s.Bindings)
		}
		b := s.Bindings[0]
		if b.Name != c.name || b.Value != c.value || b.Source != "output" || !strings.HasPrefix(b.Description, "the output of step ") {
			t.Errorf("step %d: binding %+v, want %s=%s from output", c.step, b, c.name, c.value)
		}
	}
	if got := st[6].Stdout; got != "cGxhdGZvcm0=\nplatform" {
		t.Errorf("step 6 prints %q", got)
	}
	checkClean(t, env, before)
}

// TestSampleNameReplaced runs a page that shows a sample Pod name and says
// in a comment to change it to the name of the Pod: docrun binds it to the
// Pod of the Deployment the page made, there and where the page shows the
// same sample name again.
func TestSampleNameReplaced(t *testing.T) {
	env := clustertest.Require(t)
	o := docrun(t, env, "--offline", "--yes", filepath.Join("testdata", "bind", "samplename.md"))
	if o.code != 0 || len(o.res.Pages) != 1 {
		t.Fatalf("exit %d\n%s", o.code, o.stderr)
	}
	steps := o.res.Pages[0].Steps
	for i, want := range map[int]string{1: "ReplicaSet", 2: "registry.k8s.io/pause:3.10"} {
		s := steps[i]
		if s.Status != "passed" || s.Stdout != want {
			t.Errorf("step %d: %s %q, want passed %q (stderr %q, skip %q)", i, s.Status, s.Stdout, want, s.Stderr, s.SkipReason)
		}
		if len(s.Bindings) != 1 || s.Bindings[0].Name != "pod-name" || s.Bindings[0].Source != "object" ||
			!strings.HasSuffix(s.Bindings[0].Description, "in place of api-6b7f9c8d5-x2x4z as line 15 says") {
			t.Errorf("step %d: bindings %+v", i, s.Bindings)
		}
	}
}

// TestPageVariables runs pages whose steps use shell variables earlier
// steps set: one only a skipped step sets (the step follows it), one a
// command filled with nothing on a page that changed nothing (skipped at
// once), one filled before the Pod it looks for exists (the command runs
// again until it finds the Pod), and a <pod-name> of a Deployment that
// gets its Pod a few seconds later (the binding waits for it).
func TestPageVariables(t *testing.T) {
	env := clustertest.Require(t)
	o := docrun(t, env, "--offline", "--yes", filepath.Join("testdata", "bind", "variables.md"), filepath.Join("testdata", "bind", "controller.md"))
	res := fullResult(t, o)
	if o.code != 0 || len(res.Pages) != 2 {
		t.Fatalf("exit %d\n%s", o.code, o.stderr)
	}
	vars, ctl := res.Pages[0].Steps, res.Pages[1].Steps
	checkSteps(t, vars, []stepCheck{
		{"skipped", "changes this machine"},
		{"skipped", "follows step 0, which would have set $NAME: changes this machine"},
		{"passed", ""},
		{"skipped", "needs $EARLY, which step 2 set from the output of EARLY=$(kubectl get pods"},
		{"passed", ""},
		{"passed", ""},
		{"passed", ""},
	})
	if !strings.Contains(vars[3].SkipReason, "no step before it changed the cluster") {
		t.Errorf("step 3: %q", vars[3].SkipReason)
	}
	if st := vars[6]; st.Verdict != "match" || !strings.HasPrefix(st.Note, "waited ") || !strings.Contains(st.Note, "for $POD: step 5 run again") {
		t.Errorf("step 6: verdict %s, note %q, stdout %q, stderr %q", st.Verdict, st.Note, st.Stdout, st.Stderr)
	}
	checkSteps(t, ctl, []stepCheck{{"passed", ""}, {"passed", ""}, {"passed", ""}})
	st := ctl[2]
	if st.Verdict != "match" || len(st.Bindings) != 1 || !strings.HasPrefix(st.Bindings[0].Description, "the Pod of deployment web, created at step 1") {
		t.Errorf("step 2: verdict %s, bindings %+v, stderr %q", st.Verdict, st.Bindings, st.Stderr)
	}
}

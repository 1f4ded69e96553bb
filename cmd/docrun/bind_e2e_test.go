package main

import (
	"path/filepath"
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

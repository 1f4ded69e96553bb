package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/docrun/docrun/runner/clustertest"
)

// TestWaitsForContainer runs, on the real node, a page that reads the log
// of a Deployment it has just created: the first try finds the container
// still starting, and docrun tries again, as a reader does, until the log
// is there.
func TestWaitsForContainer(t *testing.T) {
	env, _ := clustertest.RequireRealNode(t)
	o := docrun(t, env, "--offline", "--yes", filepath.Join("testdata", "caps", "starting.md"))
	p := fullResult(t, o).Pages[0]
	if len(p.Steps) != 2 {
		t.Fatalf("%d steps\n%s", len(p.Steps), o.stderr)
	}
	st := p.Steps[1]
	if st.Status == "skipped" && strings.Contains(st.SkipReason, "simulated") {
		t.Skipf("the Pod went to a simulated node: %s", st.SkipReason)
	}
	if st.Status != "passed" || st.Verdict != "match" {
		t.Errorf("kubectl logs: %s, verdict %s, stdout %q, stderr %q", st.Status, st.Verdict, st.Stdout, st.Stderr)
	}
	if st.Settle != nil && !strings.HasPrefix(st.Note, "waited ") {
		t.Errorf("it waited (%+v) but the note says %q", st.Settle, st.Note)
	}
	t.Logf("tries: %+v, note %q", st.Settle, st.Note)
	if o.code != 0 {
		t.Errorf("exit %d\n%s", o.code, o.stderr)
	}
}

// TestContainerShellDir runs, on the real node, steps typed into one shell
// of a container: each runs in a kubectl exec of its own, yet in the
// directory the earlier steps went to with cd, as in the reader's shell.
func TestContainerShellDir(t *testing.T) {
	env, _ := clustertest.RequireRealNode(t)
	p := capsPage(t, env, "shelldir.md")
	checkSteps(t, p.Steps, []stepCheck{
		{"passed", ""}, {"skipped", "interactive"}, {"passed", ""}, {"passed", ""}, {"passed", ""}, {"passed", ""}, {"passed", ""},
	})
	for _, i := range []int{4, 5} {
		if st := p.Steps[i]; st.Verdict != "match" {
			t.Errorf("step %d: verdict %s, stdout %q, stderr %q, ran %q", i, st.Verdict, st.Stdout, st.Stderr, st.Ran)
		}
	}
	if ran := p.Steps[3].Ran; !strings.Contains(ran, "cd /tmp\ncd demo\n") {
		t.Errorf("step 3 ran %q, want it to start in /tmp", ran)
	}
}

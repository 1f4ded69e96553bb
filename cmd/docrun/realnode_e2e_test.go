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

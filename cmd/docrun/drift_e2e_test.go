package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/docrun/docrun/drift"
	"github.com/docrun/docrun/runner/clustertest"
)

// TestDriftRun runs a translation and its source with docrun drift --run on
// the local cluster: the translation makes its ConfigMap with another
// value, so the same command then prints another output (an outcome that
// differs in a pair whose code is the same), and it reads an object by a
// name the page never made (a changed step that fails, or that docrun
// skips as a sample name, where the source's passes). Both pages run in namespaces of their own, deleted after.
func TestDriftRun(t *testing.T) {
	env := clustertest.Require(t)
	before, err := os.ReadFile(env.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, docrunBinary(t), "drift", "--run", "-o", "json", "--offline", "--yes",
		"--kubeconfig", env.Kubeconfig, "testdata/drift/content/ja/docs/colors.md")
	cmd.Env = append(os.Environ(), "PATH="+env.Bin+string(os.PathListSeparator)+os.Getenv("PATH"), "GITHUB_ACTIONS=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("docrun drift --run: %v, want exit 1\n%s", err, stderr.String())
	}
	var res drift.Result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil || len(res.Pages) != 1 {
		t.Fatalf("result: %v\n%s\n%s", err, stdout.String(), stderr.String())
	}
	r := res.Pages[0]
	if !r.Ran || len(r.Pairs) != 4 {
		t.Fatalf("ran %v, %d pairs, want 4 that ran\n%s", r.Ran, len(r.Pairs), stdout.String())
	}
	want := []struct {
		state           drift.State
		differs         bool
		trans, source   string
		transV, sourceV string
	}{
		{drift.Changed, false, "passed", "passed", "none", "none"},
		{drift.Same, true, "passed", "passed", "differs", "match"},
		{drift.Changed, true, "!passed", "passed", "none", "none"},
		{drift.Same, false, "passed", "passed", "none", "none"},
	}
	for i, w := range want {
		p := r.Pairs[i]
		if p.State != w.state || p.Run == nil {
			t.Errorf("pair %d: %s, run %+v; want %s, a run", i, p.State, p.Run, w.state)
			continue
		}
		got := p.Run
		transOK := string(got.Translation.Status) == w.trans ||
			w.trans == "!passed" && got.Translation.Status != "passed"
		if got.Differs != w.differs || !transOK || string(got.Source.Status) != w.source ||
			string(got.Translation.Verdict) != w.transV || string(got.Source.Verdict) != w.sourceV {
			t.Errorf("pair %d: run %+v, want differs %v, %s/%s, %s/%s", i, got, w.differs, w.trans, w.transV, w.source, w.sourceV)
		}
	}
	if r.Summary.OutcomeDiffers != 2 || r.Summary.Drifted != 3 {
		t.Errorf("summary %+v, want 2 outcomes differ, 3 drifted", r.Summary)
	}
	checkClean(t, env, before)
}

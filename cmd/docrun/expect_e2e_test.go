package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/docrun/docrun/runner/clustertest"
)

// readerSteps are the fields of a run's steps that say what docrun made
// of them as a reader would: an expected failure, a settled output.
type readerSteps struct {
	Pages []struct {
		Steps []struct {
			Index   int    `json:"index"`
			Status  string `json:"status"`
			Stdout  string `json:"stdout"`
			Verdict string `json:"verdict"`
			Note    string `json:"note"`
			Fails   *struct {
				Error string `json:"error"`
			} `json:"fails"`
			Settle *struct {
				Tries   int  `json:"tries"`
				Settled bool `json:"settled"`
			} `json:"settle"`
		} `json:"steps"`
	} `json:"pages"`
}

func readSteps(t *testing.T, o runOut) readerSteps {
	t.Helper()
	var r readerSteps
	if err := json.Unmarshal([]byte(o.stdout), &r); err != nil || len(r.Pages) != 1 {
		t.Fatalf("result: %v\n%s\n%s", err, o.stdout, o.stderr)
	}
	return r
}

// TestExpectedFailure runs a page whose ResourceQuota refuses a second
// Pod, as the page says: the refused step passes, "failed as the page
// expects", and the shell goes on; a step the page expects to fail that
// succeeds fails.
func TestExpectedFailure(t *testing.T) {
	env := clustertest.Require(t)
	o := docrun(t, env, "--offline", "--yes", "testdata/expect/content/en/docs/expected-failure.md")
	st := readSteps(t, o).Pages[0].Steps
	checks := []struct {
		index          int
		status, stdout string
		note           string
	}{
		{1, "passed", "resourcequota/pod-demo created", ""},
		{2, "passed", "pod/pod-1 created", ""},
		{3, "passed", "", "failed as the page expects"},
		{4, "passed", "pod-2\n", ""},
		{5, "passed", "", "failed as the page expects"},
		{6, "passed", "", "failed as the page expects"},
		{7, "failed", "pod/pod-1", "the page expects an error (Forbidden); the command succeeded"},
	}
	for _, c := range checks {
		s := st[c.index]
		if s.Status != c.status || !strings.HasPrefix(s.Stdout, c.stdout) || s.Note != c.note {
			t.Errorf("step %d: %s %q %q, want %s %q %q", c.index, s.Status, s.Stdout, s.Note, c.status, c.stdout, c.note)
		}
	}
	if f := st[3].Fails; f == nil || f.Error != "Forbidden" {
		t.Errorf("step 3 fails = %+v, want Forbidden", f)
	}
	if st[3].Verdict != "match" && st[3].Verdict != "similar" {
		t.Errorf("step 3 verdict %s, want the page's error", st[3].Verdict)
	}
	if o.code != 1 {
		t.Errorf("exit %d, want 1 (step 7 succeeds where the page expects a failure)\n%s", o.code, o.stderr)
	}
}

// TestSettle runs a page that lists a Deployment's Pods while they are on
// their way to Running: the read-only step runs again until they are, and
// a step that writes a file is never run again. With --settle 0 nothing
// runs again.
func TestSettle(t *testing.T) {
	env := clustertest.Require(t)
	page := "testdata/expect/content/en/docs/settle.md"
	st := readSteps(t, docrun(t, env, "--offline", "--yes", page)).Pages[0].Steps
	get := st[1]
	if get.Status != "passed" || get.Verdict != "similar" || get.Settle == nil || !get.Settle.Settled || get.Settle.Tries < 2 ||
		!strings.HasPrefix(get.Note, "settled after ") {
		t.Errorf("kubectl get pods: %s %s %+v %q, want passed, similar, settled after 2 tries or more", get.Status, get.Verdict, get.Settle, get.Note)
	}
	if w := st[2]; w.Settle != nil || w.Verdict != "differs" {
		t.Errorf("a step that writes a file ran again: %+v %s", w.Settle, w.Verdict)
	}
	if c := st[3]; c.Stdout != "1\n" {
		t.Errorf("reads.txt has %q lines, want 1", c.Stdout)
	}

	st = readSteps(t, docrun(t, env, "--offline", "--yes", "--settle", "0", page)).Pages[0].Steps
	if get := st[1]; get.Settle != nil || get.Verdict != "differs" {
		t.Errorf("--settle 0: %+v %s, want no settle and the first output", get.Settle, get.Verdict)
	}
}

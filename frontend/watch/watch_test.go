package watch

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/render/html"

	"github.com/docrun/docrun/result"
)

// site makes a site in a temporary folder with a page and an include, and
// returns the page's path and the include's.
func site(t *testing.T, page string) (string, string) {
	t.Helper()
	root := t.TempDir()
	docs := filepath.Join(root, "content", "en", "docs")
	inc := filepath.Join(root, "content", "en", "includes")
	for _, d := range []string{docs, inc} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	p, i := filepath.Join(docs, "page.md"), filepath.Join(inc, "inc.md")
	write(t, i, "Included text ALPHA.\n")
	write(t, p, page)
	return p, i
}

func write(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// syncBuffer is a Stderr the test can read while the watch writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start watches page into a file of a temporary folder until the test ends.
func start(t *testing.T, page string, base *html.Report) (string, *syncBuffer) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "page.html")
	stderr := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Watch(ctx, Options{Page: page, Out: out, Baseline: base, Stderr: stderr, Generator: "docrun test"})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Watch: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("Watch did not stop when its context was cancelled")
		}
	})
	return out, stderr
}

// waitFor waits until the file at path has content for which ok is true.
func waitFor(t *testing.T, path, what string, ok func(string) bool) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		data, _ := os.ReadFile(path)
		if ok(string(data)) {
			return string(data)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never had %s; last content:\n%s", path, what, data)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func contains(s string) func(string) bool {
	return func(c string) bool { return strings.Contains(c, s) }
}

const page1 = `---
title: Watched page
---

Intro MARKER1.

{{< include "inc.md" >}}

` + "```shell\nkubectl get pods\n```\n\n```shell\necho hello\n```\n"

func TestWatchWriteRenameInclude(t *testing.T) {
	page, inc := site(t, page1)
	out, _ := start(t, page, nil)
	got := waitFor(t, out, "the first render", contains("MARKER1"))
	for _, want := range []string{"Watched page", "ALPHA", "kubectl get pods", "not run"} {
		if !strings.Contains(got, want) {
			t.Errorf("first render lacks %q", want)
		}
	}

	// A plain write.
	write(t, page, strings.Replace(page1, "MARKER1", "MARKER2", 1))
	waitFor(t, out, "the written change", contains("MARKER2"))

	// A save by rename, as editors do.
	tmp := filepath.Join(filepath.Dir(page), ".page.md.swp")
	write(t, tmp, strings.Replace(page1, "MARKER1", "MARKER3 &lt;b&gt;", 1))
	if err := os.Rename(tmp, page); err != nil {
		t.Fatal(err)
	}
	waitFor(t, out, "the renamed save", contains("MARKER3"))

	// A change to the include (in another folder) alone.
	write(t, inc, "Included text BETA.\n")
	got = waitFor(t, out, "the include's change", contains("BETA"))
	if strings.Contains(got, "ALPHA") {
		t.Error("the include's old text is still shown")
	}

	// The include changed by rename too.
	tmp = filepath.Join(filepath.Dir(inc), "inc.md~")
	write(t, tmp, "Included text GAMMA.\n")
	if err := os.Rename(tmp, inc); err != nil {
		t.Fatal(err)
	}
	waitFor(t, out, "the include's renamed save", contains("GAMMA"))

	left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*.tmp"))
	if len(left) > 0 {
		t.Errorf("temporary files left next to the output: %v", left)
	}
}

func TestWatchParseError(t *testing.T) {
	page, _ := site(t, page1)
	out, stderr := start(t, page, nil)
	waitFor(t, out, "the first render", contains("MARKER1"))

	write(t, page, "---\ntitle: <script>alert(1)</script>\nunterminated front matter\n")
	got := waitFor(t, out, "the error page", contains("could not be parsed"))
	if !strings.Contains(got, "not terminated") {
		t.Errorf("error page does not show the error:\n%s", got)
	}
	if strings.Contains(got, "<script>") {
		t.Errorf("error page has unescaped content:\n%s", got)
	}
	if !strings.Contains(stderr.String(), "not terminated") {
		t.Errorf("stderr lacks the error: %q", stderr.String())
	}

	write(t, page, strings.Replace(page1, "MARKER1", "FIXED", 1))
	got = waitFor(t, out, "the fixed page", contains("FIXED"))
	if strings.Contains(got, "could not be parsed") {
		t.Error("the fixed page still shows the error")
	}
}

func TestWatchStale(t *testing.T) {
	page, _ := site(t, page1)
	p, err := markdown.ParsePage(page, markdown.Options{})
	if err != nil {
		t.Fatal(err)
	}
	base := &html.Report{Result: &result.PageResult{Cluster: &result.ClusterInfo{Context: "kind-test"}, Steps: []*result.StepResult{}}}
	for _, s := range p.Doc.Steps {
		base.Result.Steps = append(base.Result.Steps, &result.StepResult{Step: s, Status: result.Passed, Stdout: "OUT-" + s.Code})
	}
	out, _ := start(t, page, base)
	got := waitFor(t, out, "the first render", contains("MARKER1"))
	if strings.Contains(got, StaleReason) {
		t.Error("an unchanged page has stale steps")
	}

	// Change the second step and insert one above the first: the first
	// keeps its outcome though it moved, the others are stale.
	edited := strings.Replace(page1, "echo hello", "echo changed", 1)
	edited = strings.Replace(edited, "Intro MARKER1.", "Intro EDITED.\n\n```shell\nkubectl version\n```", 1)
	write(t, page, edited)
	got = waitFor(t, out, "the edited page", contains("EDITED"))
	if !strings.Contains(got, "OUT-kubectl get pods") {
		t.Error("the unchanged step lost its outcome")
	}
	if strings.Contains(got, "OUT-echo hello") {
		t.Error("the changed step kept its outcome")
	}
	if n := strings.Count(got, StaleReason); n < 2 {
		t.Errorf("%d mentions of %q, want the two stale steps (and the note)", n, StaleReason)
	}
	if !strings.Contains(got, "steps 0, 2 changed since the last run") {
		t.Errorf("the report does not say which steps are stale")
	}
}

func TestMerge(t *testing.T) {
	steps := []markdown.Step{{Index: 0, Code: "a", Runnable: true}, {Index: 1, Code: "b", Runnable: true},
		{Index: 2, Code: "a", Runnable: true}, {Index: 3, Code: "x", Reason: "not a command"}}
	base := []*result.StepResult{{Step: markdown.Step{Code: "a"}, Status: result.Failed}, {Step: markdown.Step{Code: "c"}, Status: result.Passed}}
	outs, stale := merge(&result.PageResult{}, steps, base)
	want := []result.Status{result.Failed, result.NotRun, result.NotRun, result.NotRun}
	for i, o := range outs {
		if o.Status != want[i] || o.Step.Index != i {
			t.Errorf("step %d: %s (index %d), want %s", i, o.Status, o.Step.Index, want[i])
		}
	}
	if len(stale) != 3 {
		t.Errorf("stale = %v, want steps 1, 2 and 3", stale)
	}
	if outs[3].Step.Reason != StaleReason+"; not a command" {
		t.Errorf("reason = %q", outs[3].Step.Reason)
	}
}

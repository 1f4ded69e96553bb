package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/runner"
	"github.com/docrun/docrun/runner/cluster"
	"github.com/docrun/docrun/runner/match"
)

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRenderPages renders the project's own pages without running them.
func TestRenderPages(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runMain(t, "render", "../../../content/en", "../../../content/ja", "-o", dir)
	if code != 0 {
		t.Fatalf("render: exit %d\n%s%s", code, out, errOut)
	}
	index := filepath.Join(dir, "index.html")
	if !strings.Contains(out, index) {
		t.Errorf("render did not print the index path: %q", out)
	}
	ix := readFile(t, index)
	files, _ := filepath.Glob(filepath.Join(dir, "*.html"))
	if len(files) != 5 {
		t.Fatalf("want 4 pages and index.html, got %v", files)
	}
	for _, f := range files {
		if f == index {
			continue
		}
		if !strings.Contains(ix, `href="`+filepath.Base(f)+`"`) {
			t.Errorf("index.html does not link %s", filepath.Base(f))
		}
		page := readFile(t, f)
		if !strings.Contains(page, `class="badge b-notrun">not run</span>`) || strings.Contains(page, "b-passed\">passed</span>") {
			t.Errorf("%s: steps should show as not run", f)
		}
	}
	for _, want := range []string{">en<", ">ja<", "単一のPodを実行する"} {
		if !strings.Contains(ix, want) {
			t.Errorf("index.html has no %q", want)
		}
	}
}

func TestRenderUsage(t *testing.T) {
	for _, args := range [][]string{
		{"render", "page.md"},
		{"render", "-o", t.TempDir()},
		{"render", "page.md", "--from", "r.json", "-o", t.TempDir()},
	} {
		if code, _, errOut := runMain(t, args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", args, code, ExitUsage, errOut)
		}
	}
	// A page that cannot be parsed is reported, rendered with its error,
	// and the exit status says so.
	bad := writePage(t, "bad.md", "---\ntitle: x\n")
	dir := t.TempDir()
	code, _, errOut := runMain(t, "render", bad, "-o", dir)
	if code != ExitFail || !strings.Contains(errOut, "bad.md:1:") {
		t.Errorf("bad page: exit %d, %q", code, errOut)
	}
	if ix := readFile(t, filepath.Join(dir, "index.html")); !strings.Contains(ix, "front matter") {
		t.Errorf("index.html does not show the page's error")
	}
}

// TestRenderFrom renders a saved run result: a page that still exists gets
// its prose, a page that is gone is rendered from the result alone, and
// secrets left in the result are hidden.
func TestRenderFrom(t *testing.T) {
	page := writePage(t, "page.md", "---\ntitle: Kept page\n---\n\nSome prose.\n\n```shell\necho hello\n```\n")
	doc, err := markdown.Parse(page, markdown.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJlMTIz"
	kept := &runner.PageResult{Document: *doc, Started: time.Now(), DurationMS: 1500, Leaks: []string{},
		Cluster: &cluster.Info{Context: "kwok-docrun", Server: "https://127.0.0.1:1", Version: "v1.37.2", Namespace: "docrun-x"},
		Steps: []*runner.StepResult{{Step: doc.Steps[0], Status: runner.Failed, ExitCode: 3,
			Stdout: "hello\nAuthorization: Bearer " + token + "\nthe password is s3cr3t-pw-9\n", Verdict: match.None}}}
	goneDoc := markdown.Document{Path: filepath.Join(t.TempDir(), "gone.md"), Title: "Gone page", Lang: "en",
		Steps: []markdown.Step{{Index: 0, Line: 7, Kind: markdown.KindCommand, Lang: "shell", Code: "kubectl get ns\n", Section: "Look", SectionID: "look"}}}
	gone := &runner.PageResult{Document: goneDoc, Leaks: []string{},
		Steps: []*runner.StepResult{{Step: goneDoc.Steps[0], Status: runner.Passed,
			Stdout: "default Active\napiVersion: v1\ndata:\n  pw: czNjcjN0LXB3LTk=\nkind: Secret\n"}}}
	res := &runner.Result{Pages: []*runner.PageResult{kept, gone}}
	data, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	rj := filepath.Join(t.TempDir(), "result.json")
	if err := os.WriteFile(rj, data, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if code, out, errOut := runMain(t, "render", "--from", rj, "-o", dir); code != 0 {
		t.Fatalf("render --from: exit %d\n%s%s", code, out, errOut)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.html"))
	var keptHTML, goneHTML string
	for _, f := range files {
		switch s := readFile(t, f); {
		case strings.Contains(s, "<title>Kept page"):
			keptHTML = s
		case strings.Contains(s, "<title>Gone page"):
			goneHTML = s
		}
	}
	for _, want := range []string{"Some prose.", `b-failed">failed</span>`, "exit 3", "kwok-docrun", "docrun-x"} {
		if !strings.Contains(keptHTML, want) {
			t.Errorf("kept page's report has no %q", want)
		}
	}
	if strings.Contains(keptHTML, token) || !strings.Contains(keptHTML, "Bearer [REDACTED]") {
		t.Errorf("the token in the saved result was not redacted")
	}
	// The password shows on the first page; the Secret that holds it on
	// the second.
	if strings.Contains(keptHTML, "s3cr3t-pw-9") || !strings.Contains(keptHTML, "the password is [REDACTED]") {
		t.Errorf("the password revealed by a later page was not redacted")
	}
	for _, want := range []string{"could not be read", `id="look"`, "kubectl get ns", "default Active", `b-passed">passed</span>`} {
		if !strings.Contains(goneHTML, want) {
			t.Errorf("gone page's report has no %q", want)
		}
	}
	// --no-redact shows what the result holds.
	dir2 := t.TempDir()
	runMain(t, "render", "--from", rj, "-o", dir2, "--no-redact")
	files, _ = filepath.Glob(filepath.Join(dir2, "*.html"))
	found := false
	for _, f := range files {
		found = found || strings.Contains(readFile(t, f), token)
	}
	if !found {
		t.Errorf("--no-redact hid the token")
	}
}

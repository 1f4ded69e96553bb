package render

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/runner"
	"github.com/docrun/docrun/runner/redact"

	"github.com/docrun/docrun/result"
)

// sampleResult is a run of two pages: one with a step of every status, one
// that could not be parsed.
func sampleResult() *result.Result {
	step := func(i, line int, section, code string) markdown.Step {
		return markdown.Step{Index: i, Line: line, Kind: markdown.KindCommand, Lang: "shell", Code: code, Section: section}
	}
	p := &result.PageResult{Started: time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC), DurationMS: 4200, Leaks: []string{},
		Cluster: &result.ClusterInfo{Context: "kwok-docrun", Server: "https://127.0.0.1:6443", Version: "v1.37.2", Namespace: "docrun-1"}}
	p.Path, p.Title, p.Lang = "content/en/docs/tasks/demo.md", "Demo", "en"
	exp := &markdown.Expected{Line: 14, Text: "NAME\nnginx\n"}
	s1 := step(1, 12, "Inspect", "# list them\nkubectl get pods\n")
	s1.Expected = exp
	p.Steps = []*result.StepResult{
		{Step: step(0, 8, "Create", "kubectl create ns demo\n"), Status: result.Passed, DurationMS: 300, Stdout: "namespace/demo created\n"},
		{Step: s1, Status: result.Passed, DurationMS: 100, Stdout: "No resources\n", Verdict: result.VerdictDiffers, Diff: "-nginx\n+No resources"},
		{Step: step(2, 20, "Inspect", "kubectl delete pod nginx\n"), Status: result.Failed, ExitCode: 1, DurationMS: 80,
			Stderr: "Error from server (NotFound): pods \"nginx\" not found\n"},
		{Step: step(3, 24, "Inspect", "sleep 600\n"), Status: result.Timeout, ExitCode: 124, DurationMS: 120000},
		{Step: step(4, 28, "Inspect", "kubectl edit pod nginx\n"), Status: result.Skipped, SkipReason: "interactive: waits for a person"},
		{Step: step(5, 32, "Inspect", "kubectl get pods\n"), Status: result.Passed, DurationMS: 90, Stdout: "x\x1b[31m\x00\n"},
	}
	bad := &result.PageResult{Leaks: []string{}, Error: "content/en/docs/tasks/bad.md:3: front matter starting here is not terminated"}
	bad.Path = "content/en/docs/tasks/bad.md"
	return &result.Result{Pages: []*result.PageResult{p, bad}, Summary: result.Summary{DurationMS: 4300}}
}

// The JUnit schema as Jenkins, GitLab and GitHub reporters read it,
// written out independently of the writer's types.
type xSuites struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    *int     `xml:"tests,attr"`
	Failures *int     `xml:"failures,attr"`
	Errors   *int     `xml:"errors,attr"`
	Time     *string  `xml:"time,attr"`
	Suites   []xSuite `xml:"testsuite"`
}

type xSuite struct {
	Name      *string `xml:"name,attr"`
	Tests     *int    `xml:"tests,attr"`
	Failures  *int    `xml:"failures,attr"`
	Errors    *int    `xml:"errors,attr"`
	Skipped   *int    `xml:"skipped,attr"`
	Time      *string `xml:"time,attr"`
	Timestamp *string `xml:"timestamp,attr"`
	Hostname  *string `xml:"hostname,attr"`
	ID        *string `xml:"id,attr"`
	Package   *string `xml:"package,attr"`
	Props     []struct {
		Name  *string `xml:"name,attr"`
		Value *string `xml:"value,attr"`
	} `xml:"properties>property"`
	Cases []xCase `xml:"testcase"`
}

type xCase struct {
	Name      *string `xml:"name,attr"`
	Classname *string `xml:"classname,attr"`
	Time      *string `xml:"time,attr"`
	File      string  `xml:"file,attr"`
	Line      string  `xml:"line,attr"`
	Failure   *struct {
		Message *string `xml:"message,attr"`
		Type    *string `xml:"type,attr"`
		Text    string  `xml:",chardata"`
	} `xml:"failure"`
	Error *struct {
		Message *string `xml:"message,attr"`
		Type    *string `xml:"type,attr"`
	} `xml:"error"`
	Skipped *struct {
		Message *string `xml:"message,attr"`
	} `xml:"skipped"`
	SystemOut *string `xml:"system-out"`
	SystemErr *string `xml:"system-err"`
}

func TestJUnitSchema(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, sampleResult()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, `<?xml version="1.0" encoding="UTF-8"?>`) {
		t.Errorf("no XML declaration: %.60s", out)
	}
	var doc xSuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, out)
	}
	if doc.Tests == nil || doc.Failures == nil || doc.Errors == nil || doc.Time == nil {
		t.Fatalf("testsuites lacks tests, failures, errors or time")
	}
	if len(doc.Suites) != 2 {
		t.Fatalf("want a testsuite per page, got %d", len(doc.Suites))
	}
	for _, s := range doc.Suites {
		if s.Name == nil || s.Tests == nil || s.Failures == nil || s.Errors == nil || s.Skipped == nil ||
			s.Time == nil || s.Timestamp == nil || s.Hostname == nil || s.ID == nil || s.Package == nil {
			t.Fatalf("testsuite lacks a required attribute: %+v", s)
		}
		if _, err := time.Parse("2006-01-02T15:04:05", *s.Timestamp); err != nil {
			t.Errorf("timestamp %q is not ISO 8601 without zone: %v", *s.Timestamp, err)
		}
		if *s.Tests != len(s.Cases) {
			t.Errorf("suite %s: tests=%d but %d cases", *s.Name, *s.Tests, len(s.Cases))
		}
		failures, skipped, errors := 0, 0, 0
		for _, c := range s.Cases {
			if c.Name == nil || c.Classname == nil || c.Time == nil {
				t.Fatalf("testcase lacks name, classname or time: %+v", c)
			}
			if c.Failure != nil {
				failures++
				if c.Failure.Message == nil || c.Failure.Type == nil {
					t.Errorf("failure lacks message or type")
				}
			}
			if c.Error != nil {
				errors++
			}
			if c.Skipped != nil {
				skipped++
			}
		}
		if failures != *s.Failures || skipped != *s.Skipped || errors != *s.Errors {
			t.Errorf("suite %s: counts %d/%d/%d, attributes %d/%d/%d", *s.Name, failures, skipped, errors, *s.Failures, *s.Skipped, *s.Errors)
		}
	}
	s := doc.Suites[0]
	if *s.Name != "content/en/docs/tasks/demo.md" || len(s.Cases) != 6 || *s.Failures != 2 || *s.Skipped != 1 {
		t.Fatalf("suite = %s %d cases, %d failures, %d skipped", *s.Name, len(s.Cases), *s.Failures, *s.Skipped)
	}
	if len(s.Props) != 4 || *s.Props[0].Name != "context" || *s.Props[0].Value != "kwok-docrun" {
		t.Errorf("properties: %+v", s.Props)
	}
	c := s.Cases[1]
	if *c.Name != "Inspect: kubectl get pods" || c.File != "content/en/docs/tasks/demo.md" || c.Line != "12" {
		t.Errorf("case 1: name %q file %q line %q", *c.Name, c.File, c.Line)
	}
	if *s.Cases[5].Name != "Inspect: kubectl get pods (step 5)" {
		t.Errorf("duplicate names are not told apart: %q", *s.Cases[5].Name)
	}
	f := s.Cases[2].Failure
	if f == nil || !strings.Contains(*f.Message, "content/en/docs/tasks/demo.md:20") || !strings.Contains(f.Text, "NotFound") {
		t.Errorf("failure: %+v", f)
	}
	if tf := s.Cases[3].Failure; tf == nil || *tf.Type != "timeout" {
		t.Errorf("timeout: %+v", tf)
	}
	if sk := s.Cases[4].Skipped; sk == nil || !strings.Contains(*sk.Message, "demo.md:28: interactive") {
		t.Errorf("skipped: %+v", sk)
	}
	if o := s.Cases[5].SystemOut; o == nil || strings.ContainsAny(*o, "\x1b\x00") {
		t.Errorf("system-out keeps control characters: %q", *o)
	}
	if e := doc.Suites[1].Cases[0].Error; e == nil || !strings.Contains(*e.Message, "bad.md:3") {
		t.Errorf("page error: %+v", doc.Suites[1].Cases)
	}
}

func TestGitHubAnnotations(t *testing.T) {
	t.Setenv("GITHUB_WORKSPACE", "")
	var buf bytes.Buffer
	if err := WriteGitHub(&buf, sampleResult()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("want 4 annotations, got:\n%s", buf.String())
	}
	want := []string{
		"::warning file=content/en/docs/tasks/demo.md,line=14,title=docrun%3A output differs from the page::step 1: ",
		"::error file=content/en/docs/tasks/demo.md,line=20,title=docrun%3A Inspect%3A kubectl delete pod nginx::step 2 failed (exit 1)%0A",
		"::error file=content/en/docs/tasks/demo.md,line=24,title=docrun%3A Inspect%3A sleep 600::step 3 timeout",
		"::error file=content/en/docs/tasks/bad.md,line=3,title=docrun%3A the page could not run::",
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("annotation %d:\n got %s\nwant %s...", i, lines[i], w)
		}
	}
	if strings.Count(buf.String(), "\n") != 4 {
		t.Errorf("a message spans lines: newlines must be %%0A")
	}
}

func TestFileName(t *testing.T) {
	used := map[string]bool{"index.html": true}
	order := []struct{ in, want string }{
		{"../shared/corpus/content/ja/docs/tasks/a.md", "ja-docs-tasks-a.html"},
		{"content/en/docs/x y.md", "en-docs-x_y.html"},
		{"/tmp/page.md", "page.html"},
		{"/other/page.md", "page-2.html"},
		{"index.md", "index-2.html"},
	}
	for _, o := range order {
		if got := FileName(o.in, used); got != o.want {
			t.Errorf("FileName(%q) = %q, want %q", o.in, got, o.want)
		}
	}
}

func TestRedactResult(t *testing.T) {
	res := sampleResult()
	st := res.Pages[0].Steps[0]
	st.Stdout = "token: abcdefgh123\n"
	st.Ran = "curl -H 'Authorization: Bearer abcdefgh123'"
	st.Bindings = []result.Binding{{Name: "api-token", Value: "zyxwvut987", Source: "set"}}
	res.Pages[0].Steps[1].Stderr = "the key zyxwvut987 leaked"
	res.Pages[0].Notes = []string{"export MY_PASSWORD=hunter22"}
	runner.Redact(res, redact.New())
	for _, s := range []string{st.Stdout, st.Ran, st.Bindings[0].Value, res.Pages[0].Steps[1].Stderr, res.Pages[0].Notes[0]} {
		if strings.Contains(s, "abcdefgh123") || strings.Contains(s, "zyxwvut987") || strings.Contains(s, "hunter22") || !strings.Contains(s, redact.Marker) {
			t.Errorf("not redacted: %q", s)
		}
	}
	if res.Pages[0].Steps[0].Code != "kubectl create ns demo\n" {
		t.Errorf("the page's code was changed: %q", res.Pages[0].Steps[0].Code)
	}
}

// TestRedactLearnsFirst: a value printed on a page before the Secret that
// holds it is printed, on a later page, is hidden too (render --from of a
// result saved with --no-redact).
func TestRedactLearnsFirst(t *testing.T) {
	res := sampleResult()
	early, late := res.Pages[0].Steps[0], res.Pages[0].Steps[1]
	early.Stdout = "the password is s3cr3t-pw-9\n"
	late.Stdout = "apiVersion: v1\ndata:\n  pw: " + base64.StdEncoding.EncodeToString([]byte("s3cr3t-pw-9")) + "\nkind: Secret\n"
	runner.Redact(res, redact.New())
	if early.Stdout != "the password is [REDACTED]\n" || strings.Contains(late.Stdout, "czNj") {
		t.Errorf("not redacted: %q %q", early.Stdout, late.Stdout)
	}
}

// TestFromResultChangedPage checks that a page that no longer has the steps
// that ran is rendered from the result alone.
func TestFromResultChangedPage(t *testing.T) {
	res := sampleResult()
	p := res.Pages[0]
	doc := p.Document
	for _, s := range p.Steps {
		doc.Steps = append(doc.Steps, s.Step)
	}
	page := &markdown.Page{Doc: &doc}
	if rep := FromResult(p, page, nil); rep.Page != page {
		t.Errorf("an unchanged page was not used")
	}
	changed := doc
	changed.Steps = append([]markdown.Step(nil), doc.Steps...)
	changed.Steps[2].Code = "kubectl delete pod web\n"
	rep := FromResult(p, &markdown.Page{Doc: &changed}, nil)
	if rep.Page != nil || len(rep.Result.Notes) == 0 || !strings.Contains(rep.Result.Notes[len(rep.Result.Notes)-1], "changed") {
		t.Errorf("a changed page was used: %+v", rep.Result.Notes)
	}
	if c := rep.Counts(); c.Steps != 6 || c.Failed != 1 || c.Timeout != 1 || c.Skipped != 1 || c.Passed != 3 {
		t.Errorf("counts %+v", c)
	}
}

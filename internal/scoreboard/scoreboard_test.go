package scoreboard

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/docrun/docrun/result"
)

func TestCategory(t *testing.T) {
	cases := []struct {
		st   result.StepResult
		want string
	}{
		{result.StepResult{Status: result.Passed}, ""},
		{result.StepResult{Status: result.Timeout}, "timeout"},
		{result.StepResult{Status: result.Failed, ExitCode: 3, Stderr: "boom"}, "exit 3"},
		{result.StepResult{Status: result.Failed, ExitCode: 127, Stderr: "docrun: line 19: mongosh: command not found"}, "missing-tool"},
		{result.StepResult{Status: result.Failed, ExitCode: 127, Stderr: "docrun: line 19: NAME: command not found\ndocrun: line 20: web-0: command not found"}, "not-a-command"},
		{result.StepResult{Status: result.Failed, ExitCode: 127, Stderr: "docrun: line 19: containers:: command not found"}, "not-a-command"},
		{result.StepResult{Status: result.Failed, ExitCode: 1, Stderr: `error: unable to upgrade connection: pod web-0 does not have a host assigned`}, "no-container"},
		{result.StepResult{Status: result.Failed, ExitCode: 1, Stderr: `Error from server (BadRequest): no logs found for container "alpine" in pod "ns/web"`}, "no-container"},
		{result.StepResult{Status: result.Failed, ExitCode: 1, Stderr: "\ndocrun: the background command did not listen on port 8080 within 15s\n"}, "no-listener"},
		{result.StepResult{Status: result.Failed, ExitCode: 1, Stderr: "error: Metrics API not available"}, "no-metrics"},
		{result.StepResult{Status: result.Failed, ExitCode: 7, Stderr: "curl: (7) Failed to connect to localhost port 8001"}, "no-connection"},
		{result.StepResult{Status: result.Failed, ExitCode: 1, Stderr: `error: the path "./secret.yaml" does not exist`}, "missing-file"},
		{result.StepResult{Status: result.Failed, ExitCode: 1, Stderr: "error: unable to read patch file: open patch-file.yaml: no such file or directory"}, "missing-file"},
		{result.StepResult{Status: result.Failed, ExitCode: 1, Stderr: `Error from server (NotFound): pods "web-2" not found`}, "not-found"},
		{result.StepResult{Status: result.Failed, ExitCode: 1, Stderr: `Error from server (AlreadyExists): namespaces "x" already exists`}, "already-exists"},
		{result.StepResult{Status: result.Failed, ExitCode: 1, Stderr: `error: failed to create secret secrets "db-user-pass" already exists`}, "already-exists"},
		{result.StepResult{Status: result.Failed, ExitCode: 1, Stderr: `error: unknown flag: --delete-local-data`}, "usage"},
		{result.StepResult{Status: result.Skipped, SkipReason: "the cluster's nodes are simulated (kwok): no container runs: kubectl logs needs a running container"}, "no-container"},
		{result.StepResult{Status: result.Skipped, SkipReason: "runs inside container nginx of Pod web (typed into the shell step 3 opened)"}, "in-container"},
		{result.StepResult{Status: result.Skipped, SkipReason: "runs on a node of the cluster (the prose says so)"}, "on-node"},
		{result.StepResult{Status: result.Skipped, SkipReason: "no metrics-server: kubectl top has no data (the metrics.k8s.io API is not available)"}, "no-metrics"},
		{result.StepResult{Status: result.Skipped, SkipReason: "server v1.37.2 is below the page's min-kubernetes-server-version v1.40"}, "old-server"},
		{result.StepResult{Status: result.Skipped, SkipReason: "interactive: waits for a person at a terminal (...)"}, "interactive"},
		{result.StepResult{Status: result.Skipped, SkipReason: "changes this machine (sudo, ...)"}, "host"},
		{result.StepResult{Status: result.Skipped, SkipReason: "needs the internet (--offline)"}, "network"},
		{result.StepResult{Status: result.Skipped, SkipReason: "needs a value for <pod-name> (bind it with --set pod-name=VALUE)"}, "placeholder"},
		{result.StepResult{Status: result.Skipped, SkipReason: "needs $POD, which the page never sets (bind it with --set POD=VALUE)"}, "placeholder"},
		{result.StepResult{Status: result.Skipped, SkipReason: "needs https://k8s.io/examples/x.yaml is not under content/en/examples/x.yaml"}, "example-missing"},
		{result.StepResult{Status: result.Skipped, SkipReason: "the shell session ended at step 4"}, "session-ended"},
		{result.StepResult{Status: result.Skipped, SkipReason: "not run: the page timed out"}, "page-timeout"},
		{result.StepResult{Status: result.Skipped, SkipReason: "fragment: no package clause"}, "fragment"},
		{result.StepResult{Status: result.Skipped, SkipReason: "alternative to the «Bash» tab"}, "alternative-tab"},
		{result.StepResult{Status: result.Skipped, SkipReason: "no .NET toolchain with the Kubernetes client configured"}, "toolchain"},
		{result.StepResult{Status: result.Skipped, SkipReason: "something new"}, "other"},
		{result.StepResult{Status: result.Skipped, SkipReason: "needs $POD, which step 3 set from the output of POD=$(kubectl get pods): it is empty"}, "empty-var"},
		{result.StepResult{Status: result.Skipped, SkipReason: "needs $NODE_NAME"}, "placeholder"},
	}
	for _, c := range cases {
		if got := Category(&c.st); got != c.want {
			t.Errorf("Category(%s %q %q) = %q, want %q", c.st.Status, c.st.SkipReason, c.st.Stderr, got, c.want)
		}
	}
}

func TestReadEntriesErrors(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", "pages.tsv:1: empty"},
		{"path\tlang\n", "pages.tsv:1: the header has no path and class columns"},
		{"path\tclass\n\nx.md\n", "pages.tsv:3: 1 columns, want at least 2"},
		{"path\tclass\nx.md\t\n", "pages.tsv:2: a page needs a path and a class"},
	}
	for _, c := range cases {
		_, err := ReadEntries(strings.NewReader(c.in), "pages.tsv")
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("ReadEntries(%q): %v, want %q", c.in, err, c.want)
		}
	}
}

// TestMarkdownRoundTrip checks that the markdown of a board reads back as
// the same board.
func TestMarkdownRoundTrip(t *testing.T) {
	b := goldenBoard(t)
	var md bytes.Buffer
	b.WriteMarkdown(&md)
	back, err := ParseMarkdown(&md, "board.md")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, b) {
		t.Errorf("read back:\n%+v\nwant\n%+v", back, b)
	}
}

func TestParseMarkdownErrors(t *testing.T) {
	byPage := "## By page\n\n| class | page | passed | failed | skipped | output differs | not passed |\n| A | a.md | 1 | 0 | 0 | 0 |  |\n"
	cases := []struct{ in, want string }{
		{"# nothing\n", "x.md:1: no pages"},
		{byPage + "## Steps\n\n### b.md\n", "x.md:7: page b.md is not in the By page table"},
		{byPage + "## Steps\n\n| 1 | 2 | passed |  |  |\n", "x.md:7: a step row before the first page heading"},
		{byPage + "## Steps\n\n### a.md\n\n| one | 2 | passed |  |  |\n", `x.md:9: step and line must be numbers`},
		{byPage + byPage, "x.md:8: page a.md twice"},
	}
	for _, c := range cases {
		_, err := ParseMarkdown(strings.NewReader(c.in), "x.md")
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("ParseMarkdown(%q): %v, want %q", c.in, err, c.want)
		}
	}
}

func TestChanges(t *testing.T) {
	page := func(path string, steps ...Step) *Page { return &Page{Path: path, Class: "A", Steps: steps} }
	step := func(i, line int, st result.Status, cat string) Step {
		return Step{Index: i, Line: line, Status: st, Category: cat}
	}
	old := &Board{Pages: []*Page{
		page("a.md", step(0, 10, result.Passed, ""), step(1, 12, result.Passed, ""), step(2, 14, result.Failed, "exit 1"),
			step(3, 16, result.Passed, ""), step(4, 18, result.Passed, ""), step(5, 20, result.Passed, "")),
		page("b.md", step(0, 5, result.Passed, "")),
		page("c.md", step(0, 5, result.Passed, "")),
	}}
	broken := page("b.md")
	broken.Error = "b.md:1: unterminated front matter"
	new := &Board{Pages: []*Page{
		// A block before step 1 became a step: indexes moved, lines did not.
		page("a.md", step(0, 10, result.Passed, ""), step(1, 11, result.Skipped, "network"), step(2, 12, result.Timeout, "timeout"),
			step(3, 14, result.Passed, ""), step(4, 16, result.Failed, "exit 2"), step(5, 18, result.Skipped, "interactive")),
		broken,
		page("d.md"),
	}}
	regressions, others := Changes(old, new)
	wantReg := []string{
		"a.md step 1 (line 12): passed, now timeout (timeout)",
		"a.md step 3 (line 16): passed, now failed (exit 2)",
		"b.md step 0 (line 5): passed, now not run",
	}
	wantOther := []string{
		"a.md step 1 (line 11): new, now skipped (network)",
		"a.md step 2 (line 14): failed (exit 1), now passed",
		"a.md step 4 (line 18): passed, now skipped (interactive)",
		"a.md step 5 (line 20): passed, now gone",
		"b.md: 1 passed, 0 failed, 0 skipped, now not run (b.md:1: unterminated front matter)",
		"c.md: on the board, now gone",
		"d.md: new, now 0 passed, 0 failed, 0 skipped",
	}
	if got := changeStrings(regressions); !reflect.DeepEqual(got, wantReg) {
		t.Errorf("regressions:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantReg, "\n"))
	}
	if got := changeStrings(others); !reflect.DeepEqual(got, wantOther) {
		t.Errorf("others:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantOther, "\n"))
	}
}

func changeStrings(cs []Change) []string {
	var s []string
	for _, c := range cs {
		s = append(s, c.String())
	}
	return s
}

// goldenBoard is the board of testdata/board.txtar.
func goldenBoard(t *testing.T) *Board {
	t.Helper()
	ar, err := txtar.ParseFile("testdata/board.txtar")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range ar.Files {
		files[f.Name] = f.Data
	}
	return boardOf(t, files["pages.tsv"], files["result.json"])
}

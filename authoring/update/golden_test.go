package update

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/docrun/docrun/internal/golden"
	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/result"
	"github.com/docrun/docrun/runner/match"
)

// TestGolden edits the page of each testdata/*.txtar archive with the
// step outcomes of its result.json and compares the unified diff with
// want.diff (a carriage return shows as "\r") and the notes with
// want.notes. The comment says which page to edit ("page: PATH"), which
// steps to update ("update: all,add"), the run's namespace ("namespace:
// docrun-x7k2p") and "crlf: true" to write the page with CRLF line ends.
// Every other byte of the page must stay, and the new page must parse
// with each updated block as its step's expected output.
func TestGolden(t *testing.T) {
	golden.Run(t, "testdata/*.txtar", func(t *testing.T, c *golden.Case) {
		dir := t.TempDir()
		c.WriteTree(t, dir, func(name string) bool { return !strings.HasPrefix(name, "want.") && name != "result.json" })
		name, _ := c.Setting("page")
		path := filepath.Join(dir, name)
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, crlf := c.Setting("crlf"); crlf {
			src = bytes.ReplaceAll(src, []byte("\n"), []byte("\r\n"))
		}
		page := pageResult(t, c, path, src)
		mode, _ := c.Setting("update")
		ns, _ := c.Setting("namespace")
		o := Options{Similar: strings.Contains(mode, "all"), Add: strings.Contains(mode, "add"),
			Lines: match.Lines, Namespace: match.PageNamespace([]string{ns}), Excerpt: match.Excerpt, Parse: &markdown.Options{}}
		out, changes, notes := Edit(src, page, o)
		checkUnchanged(t, src, out, page, changes)
		checkReparse(t, path, out, changes)
		diff, err := Diff(name, src, out)
		if err != nil {
			t.Fatal(err)
		}
		var nb strings.Builder
		for _, n := range notes {
			fmt.Fprintln(&nb, n)
		}
		c.Check(t, map[string]string{"want.diff": strings.ReplaceAll(diff, "\r", `\r`), "want.notes": nb.String()})
	})
}

// pageResult is the result of a run of the page: its parsed steps, with
// the outcomes result.json gives (index, status, verdict, stdout, stderr,
// bindings, settle).
func pageResult(t *testing.T, c *golden.Case, path string, src []byte) *result.PageResult {
	p, err := markdown.ParseBytes(path, src, markdown.Options{})
	if err != nil {
		t.Fatal(err)
	}
	page := &result.PageResult{Document: *p.Doc}
	for i := range p.Doc.Steps {
		page.Steps = append(page.Steps, &result.StepResult{Step: p.Doc.Steps[i]})
	}
	data, _ := c.Get("result.json")
	var outcomes []struct {
		Index    int              `json:"index"`
		Status   result.Status    `json:"status"`
		Verdict  result.Verdict   `json:"verdict"`
		Stdout   string           `json:"stdout"`
		Stderr   string           `json:"stderr"`
		Bindings []result.Binding `json:"bindings"`
		Settle   *result.Settle   `json:"settle"`
		Setup    string           `json:"setup"`
	}
	if err := json.Unmarshal(data, &outcomes); err != nil {
		t.Fatalf("%s: result.json: %v", c.File, err)
	}
	var setups []*result.StepResult
	for _, o := range outcomes {
		st := page.Steps[o.Index]
		if o.Setup != "" {
			// A step a run inserts before step Index, from the section of
			// a page the page links to: hidden, with that step's index.
			st = &result.StepResult{Step: markdown.Step{Index: o.Index, Line: 1, Kind: markdown.KindCommand,
				Code: "kubectl apply -f setup.yaml\n", Hidden: true, Setup: o.Setup, Source: "setup.md"}}
			setups = append(setups, st)
		}
		st.Status, st.Verdict, st.Stdout, st.Stderr, st.Bindings, st.Settle = o.Status, o.Verdict, o.Stdout, o.Stderr, o.Bindings, o.Settle
	}
	for _, su := range setups {
		page.Steps = slices.Insert(page.Steps, slices.Index(page.Steps, pageStep(page, su.Index)), su)
	}
	return page
}

// pageStep is the page's own step of index i in a result (not a step the
// run inserted with the same index).
func pageStep(page *result.PageResult, i int) *result.StepResult {
	for _, st := range page.Steps {
		if st.Index == i && st.Setup == "" {
			return st
		}
	}
	return nil
}

// checkUnchanged checks that every byte of the page outside the changed
// blocks stays: the old page without the blocks' old lines is the new page
// without their new lines (and, for an added block, the blank line and
// fences before and after it).
func checkUnchanged(t testing.TB, src, out []byte, page *result.PageResult, changes []Change) {
	t.Helper()
	oldDrop, newDrop := map[int]bool{}, map[int]bool{}
	for _, c := range changes {
		first, last := c.Line, c.Line+c.Lines-1
		if c.Added {
			first, last = first-2, last+1
		} else {
			old := pageStep(page, c.Step).Expected.Span
			for l := old.First; l <= old.Last; l++ {
				oldDrop[l] = true
			}
		}
		for l := first; l <= last; l++ {
			newDrop[l] = true
		}
	}
	keep := func(b []byte, drop map[int]bool) string {
		var s strings.Builder
		for i, l := range bytes.SplitAfter(b, []byte("\n")) {
			if !drop[i+1] {
				s.Write(l)
			}
		}
		return strings.TrimSuffix(s.String(), "\n")
	}
	if a, b := keep(src, oldDrop), keep(out, newDrop); a != b {
		t.Fatalf("bytes outside the changed blocks changed:\n%s\n(ends %q, %q)", lineDiff(a, b), a[max(0, len(a)-20):], b[max(0, len(b)-20):])
	}
}

// checkReparse checks that each changed block is its step's expected
// output in the new page, at the lines the change says.
func checkReparse(t *testing.T, path string, out []byte, changes []Change) {
	t.Helper()
	p, err := markdown.ParseBytes(path, out, markdown.Options{})
	if err != nil {
		t.Fatalf("the new page does not parse: %v", err)
	}
	for _, c := range changes {
		if !readsBack(p.Doc, c) {
			t.Errorf("step %d: its block is not its expected output at lines %d-%d in the new page", c.Step, c.Line, c.Line+c.Lines-1)
		}
	}
}

func lineDiff(a, b string) string {
	d, _ := Diff("page", []byte(a), []byte(b))
	return d
}

package html

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docrun/docrun/internal/golden"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/result"
)

// TestGolden renders the page of each testdata/golden/*.txtar archive and
// compares the report's header and article with the archive's want.html.
// The archive's comment names the page ("page: content/en/docs/x.md");
// outcomes.json, when present, gives the steps' outcomes (a list of
// goldenOutcome) and run.json the run; every other file is written to a
// site folder first. Run with -update to rewrite the want files.
func TestGolden(t *testing.T) {
	golden.Run(t, "testdata/golden/*.txtar", runGolden)
}

// An outcome in outcomes.json is a step result: a step of the page by
// index, or a hidden step with its own code.

func runGolden(t *testing.T, c *golden.Case) {
	page, ok := c.Setting("page")
	if !ok {
		t.Fatalf("%s: comment has no 'page: PATH' line", c.File)
	}
	var outcomes []*result.StepResult
	var run *result.PageResult
	if data, ok := c.Get("outcomes.json"); ok {
		if err := json.Unmarshal(data, &outcomes); err != nil {
			t.Fatalf("outcomes.json: %v", err)
		}
	}
	if data, ok := c.Get("run.json"); ok {
		if err := json.Unmarshal(data, &run); err != nil {
			t.Fatalf("run.json: %v", err)
		}
	}
	dir := t.TempDir()
	c.WriteTree(t, dir, func(name string) bool {
		return name != "want.html" && name != "outcomes.json" && name != "run.json"
	})
	path := filepath.Join(dir, page)
	pg, err := markdown.ParsePage(path, markdown.Options{Version: markdown.Version{Major: 1, Minor: 37, Patch: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if outcomes != nil && run == nil {
		run = &result.PageResult{}
	}
	rep := &Report{Page: pg, Generator: "docrun test", Result: run}
	if outcomes != nil {
		run.Steps = []*result.StepResult{}
		for _, g := range outcomes {
			if g.Hidden {
				g.Lang, g.Kind = "shell", markdown.KindCommand
			} else {
				g.Step = pg.Doc.Steps[g.Index]
			}
			run.Steps = append(run.Steps, g)
		}
	}
	var buf bytes.Buffer
	if err := Render(&buf, rep); err != nil {
		t.Fatal(err)
	}
	doc := strings.ReplaceAll(buf.String(), dir+string(filepath.Separator), "")
	if err := checkHTML(doc); err != nil {
		t.Errorf("%s: the report is not well-formed HTML: %v", c.File, err)
	}
	c.Check(t, map[string]string{"want.html": fragment(doc)})
}

// fragment is the part of a report a golden file holds: from the header to
// the end of the article (the stylesheet is left out).
func fragment(doc string) string {
	i := strings.Index(doc, `<header class="report"`)
	j := strings.Index(doc, "</article>")
	if i < 0 || j < 0 {
		return doc
	}
	return doc[i:j+len("</article>")] + "\n"
}

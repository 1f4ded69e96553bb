package html

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/docrun/docrun/markdown"
)

var update = flag.Bool("update", false, "rewrite the want files of golden tests")

// TestGolden renders the page of each testdata/golden/*.txtar archive and
// compares the report's header and article with the archive's want.html.
// The archive's comment names the page ("page: content/en/docs/x.md");
// outcomes.json, when present, gives the steps' outcomes (a list of
// goldenOutcome) and run.json the run; every other file is written to a
// site folder first. Run with -update to rewrite the want files.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/golden/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) { runGolden(t, file) })
	}
}

// goldenOutcome is an outcome in outcomes.json: a step of the page by
// index, or a hidden step with its own code.
type goldenOutcome struct {
	Index      int       `json:"index"`
	Hidden     bool      `json:"hidden"`
	Code       string    `json:"code"`
	Status     Status    `json:"status"`
	DurationMS int64     `json:"duration_ms"`
	ExitCode   int       `json:"exit_code"`
	Stdout     string    `json:"stdout"`
	Stderr     string    `json:"stderr"`
	Ran        string    `json:"ran"`
	Verdict    string    `json:"verdict"`
	Diff       string    `json:"diff"`
	SkipReason string    `json:"skip_reason"`
	Bindings   []Binding `json:"bindings"`
	Created    []string  `json:"created"`
	Note       string    `json:"note"`
}

func runGolden(t *testing.T, file string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	page := ""
	for _, line := range strings.Split(string(ar.Comment), "\n") {
		if v, ok := strings.CutPrefix(line, "page: "); ok {
			page = strings.TrimSpace(v)
		}
	}
	if page == "" {
		t.Fatalf("%s: comment has no 'page: PATH' line", file)
	}
	dir := t.TempDir()
	var outcomes []goldenOutcome
	var run *Run
	wantIdx := -1
	for i, f := range ar.Files {
		switch f.Name {
		case "want.html":
			wantIdx = i
			continue
		case "outcomes.json":
			if err := json.Unmarshal(f.Data, &outcomes); err != nil {
				t.Fatalf("outcomes.json: %v", err)
			}
			continue
		case "run.json":
			if err := json.Unmarshal(f.Data, &run); err != nil {
				t.Fatalf("run.json: %v", err)
			}
			continue
		}
		p := filepath.Join(dir, f.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, page)
	pg, err := markdown.ParsePage(path, markdown.Options{Version: markdown.Version{Major: 1, Minor: 37, Patch: 2}})
	if err != nil {
		t.Fatal(err)
	}
	rep := &Report{Page: pg, Generator: "docrun test", Run: run}
	if outcomes != nil {
		rep.Outcomes = []Outcome{}
		for _, g := range outcomes {
			st := markdown.Step{Index: g.Index, Hidden: true, Code: g.Code, Lang: "shell", Kind: markdown.KindCommand}
			if !g.Hidden {
				st = pg.Doc.Steps[g.Index]
			}
			rep.Outcomes = append(rep.Outcomes, Outcome{Step: st, Status: g.Status, DurationMS: g.DurationMS,
				ExitCode: g.ExitCode, Stdout: g.Stdout, Stderr: g.Stderr, Ran: g.Ran, Verdict: g.Verdict,
				Diff: g.Diff, SkipReason: g.SkipReason, Bindings: g.Bindings, Created: g.Created, Note: g.Note})
		}
	}
	var buf bytes.Buffer
	if err := Render(&buf, rep); err != nil {
		t.Fatal(err)
	}
	doc := strings.ReplaceAll(buf.String(), dir+string(filepath.Separator), "")
	if err := checkHTML(doc); err != nil {
		t.Errorf("%s: the report is not well-formed HTML: %v", file, err)
	}
	got := []byte(fragment(doc))
	if *update {
		if wantIdx >= 0 {
			ar.Files[wantIdx].Data = got
		} else {
			ar.Files = append(ar.Files, txtar.File{Name: "want.html", Data: got})
		}
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if wantIdx < 0 {
		t.Fatalf("%s: no want.html (run go test ./markdown/html -run TestGolden -update)", file)
	}
	if want := ar.Files[wantIdx].Data; !bytes.Equal(got, want) {
		t.Errorf("%s: want.html differs (go test ./markdown/html -run TestGolden -update to accept)\n%s",
			file, lineDiff(string(want), string(got)))
	}
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

// lineDiff shows the first lines where want and got differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n- " + a + "\n+ " + b
		}
	}
	return ""
}

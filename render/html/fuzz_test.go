package html

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/docrun/docrun/markdown"

	"github.com/docrun/docrun/result"
)

// FuzzRender renders arbitrary pages, with every step passed and printing
// the page's own text, and checks that the report is well-formed HTML in
// which nothing can run or load.
func FuzzRender(f *testing.F) {
	files, _ := filepath.Glob("testdata/golden/*.txtar")
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, af := range ar.Files {
			if filepath.Ext(af.Name) == ".md" {
				f.Add(af.Data)
			}
		}
	}
	f.Add([]byte("<div>\n\n{{< note >}}\n- a\n\n  <p>b\n{{< /note >}}\n</span></div>"))
	site := &markdown.Site{}
	path := filepath.Join(os.TempDir(), "fuzz.md")
	f.Fuzz(func(t *testing.T, data []byte) {
		page, err := markdown.ParseBytes(path, data, markdown.Options{Site: site})
		if err != nil {
			return
		}
		var outs []*result.StepResult
		for _, s := range page.Doc.Steps {
			outs = append(outs, &result.StepResult{Step: s, Status: result.Passed, Stdout: string(data), Stderr: s.Code, Ran: s.Code + "x", Diff: "-" + s.Code})
		}
		var buf bytes.Buffer
		if err := Render(&buf, &Report{Page: page, Result: &result.PageResult{Steps: outs}}); err != nil {
			t.Fatal(err)
		}
		if err := checkHTML(buf.String()); err != nil {
			t.Fatalf("%v\npage:\n%s", err, data)
		}
	})
}

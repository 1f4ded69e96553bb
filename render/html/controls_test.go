package html

import (
	"bytes"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/result"
)

// fakeControls marks where Render puts a front-end's controls.
type fakeControls struct{ running int }

func (fakeControls) CSP() string { return "default-src 'self'" }
func (fakeControls) Head(title string) template.HTML {
	return template.HTML("<!--head " + title + "-->")
}
func (fakeControls) Header() template.HTML           { return "<!--header-->" }
func (c fakeControls) Running(pos int) bool          { return pos == c.running }
func (fakeControls) Footer(gen string) template.HTML { return template.HTML("footer " + gen) }
func (fakeControls) Step(pos int, st *result.StepResult) template.HTML {
	return template.HTML(fmt.Sprintf("<!--step %d %s-->", pos, strings.TrimSpace(st.Step.Code)))
}

// TestControls: a report with a front-end's controls has them in the
// head, the header, under each step that can run and in the footer, and
// its CSP; the static report has none of them.
func TestControls(t *testing.T) {
	path := filepath.Join(t.TempDir(), "page.md")
	page := "---\ntitle: T\n---\n\n```shell\necho one\n```\n\nSome text.\n\n```shell\necho two\n```\n\n```yaml\nkind: Pod\n```\n"
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	pg, err := markdown.ParsePage(path, markdown.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res := &result.PageResult{}
	for _, s := range pg.Doc.Steps {
		res.Steps = append(res.Steps, &result.StepResult{Step: s})
	}
	render := func(c Controls) string {
		var b bytes.Buffer
		if err := Render(&b, &Report{Page: pg, Result: res, Generator: "docrun test", Controls: c}); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	live := render(fakeControls{running: 1})
	for _, want := range []string{`content="` + template.HTMLEscapeString("default-src 'self'") + `"`, "<!--head T-->", "<!--header-->", "<!--step 0 echo one-->",
		"<!--step 1 echo two-->", "<p>footer docrun test</p>", `data-pos="1"`} {
		if !strings.Contains(live, want) {
			t.Errorf("the live page lacks %q", want)
		}
	}
	if strings.Contains(live, "<!--step 2") || strings.Contains(live, "docrun report</title>") {
		t.Errorf("the live page has a form on the manifest, or the report's title:\n%s", live)
	}
	if n := strings.Count(live, " running\""); n != 1 {
		t.Errorf("%d running steps, want 1", n)
	}
	static := render(nil)
	if strings.Contains(static, "<!--") || strings.Contains(static, "data-pos") || !strings.Contains(static, `content="`+template.HTMLEscapeString(CSP)+`"`) {
		t.Errorf("the static report has controls or lacks its CSP:\n%.600s", static)
	}
}

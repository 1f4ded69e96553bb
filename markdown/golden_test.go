package markdown

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docrun/docrun/internal/golden"
)

// TestGolden parses the page of each testdata/golden/*.txtar archive and
// compares the result with the archive's "want.json" (steps and sections)
// or "want.err" (the error message). The archive's comment names the page
// ("page: content/en/docs/x.md"); every other file is written to a site
// folder first. Where blocks are in the page file (Step.Span,
// Expected.Span) shows only in archives whose comment says "spans: true".
// Run with -update to rewrite the want files.
func TestGolden(t *testing.T) {
	golden.Run(t, "testdata/golden/*.txtar", runGolden)
}

func runGolden(t *testing.T, c *golden.Case) {
	page, ok := c.Setting("page")
	if !ok {
		t.Fatalf("%s: comment has no 'page: PATH' line", c.File)
	}
	dir := t.TempDir()
	c.WriteTree(t, dir, func(name string) bool { return !strings.HasPrefix(name, "want.") })
	doc, err := Parse(filepath.Join(dir, page), Options{Version: Version{1, 37, 2}})
	if err != nil {
		c.Check(t, map[string]string{"want.err": strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "") + "\n"})
		return
	}
	for i, w := range doc.Warnings {
		doc.Warnings[i] = strings.ReplaceAll(w, dir+string(filepath.Separator), "")
	}
	_, spans := c.Setting("spans")
	for i := range doc.Steps {
		st := &doc.Steps[i]
		st.Source = strings.TrimPrefix(st.Source, dir+string(filepath.Separator))
		if !spans {
			st.Span = nil
			if st.Expected != nil {
				st.Expected.Span = nil
			}
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err = enc.Encode(struct {
		Title    string    `json:"title"`
		Lang     string    `json:"lang"`
		Front    Front     `json:"front"`
		Sections []Section `json:"sections"`
		Steps    []Step    `json:"steps"`
		Files    []File    `json:"files,omitempty"`
		Setups   []Setup   `json:"setups,omitempty"`
		Warnings []string  `json:"warnings,omitempty"`
	}{doc.Title, doc.Lang, doc.Front, doc.Sections, doc.Steps, doc.Files, doc.Setups, doc.Warnings})
	if err != nil {
		t.Fatal(err)
	}
	c.Check(t, map[string]string{"want.json": buf.String()})
}

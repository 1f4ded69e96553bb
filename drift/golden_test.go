package drift_test

import (
	"bytes"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/docrun/docrun/drift"
	"github.com/docrun/docrun/drift/view"
	"github.com/docrun/docrun/internal/golden"
	"github.com/docrun/docrun/markdown"
)

// TestGolden runs each testdata/*.txtar case: a synthetic site whose
// content/ja/docs/page.md is compared with content/en/docs/page.md. The
// "want" file is the report's table, then the word diffs of the pairs
// whose code differs. Run with -update to rewrite it after checking.
func TestGolden(t *testing.T) {
	golden.Run(t, "testdata/*.txtar", func(t *testing.T, c *golden.Case) {
		dir := t.TempDir()
		c.WriteTree(t, dir, func(name string) bool { return strings.HasPrefix(name, "content/") })
		r := compareIn(t, dir, "content/ja/docs/page.md")
		var b bytes.Buffer
		if err := view.WriteTable(&b, r); err != nil {
			t.Fatal(err)
		}
		for _, p := range r.Pairs {
			if len(p.Diff) > 0 {
				b.WriteString("\ndiff " + refText(p.Source) + " → " + refText(p.Translation) + ":\n")
				for _, e := range p.Diff {
					if e.Op != drift.Equal {
						b.WriteString(string(e.Op) + " " + strings.Join(strings.Fields(e.Text), " ") + "\n")
					}
				}
			}
		}
		c.Check(t, map[string]string{"want": b.String()})
	})
}

// compareIn parses the page rel under dir and its source and compares them;
// the report's paths are relative to dir.
func compareIn(t *testing.T, dir, rel string) *drift.Report {
	t.Helper()
	src, err := drift.SourcePath(rel)
	if err != nil {
		t.Fatal(err)
	}
	opts := markdown.Options{Site: markdown.NewSite(dir)}
	tr, err := markdown.Parse(filepath.Join(dir, rel), opts)
	if err != nil {
		t.Fatal(err)
	}
	sd, err := markdown.Parse(filepath.Join(dir, src), opts)
	if err != nil {
		t.Fatal(err)
	}
	r := drift.Compare(tr, sd)
	r.Translation, r.Source = rel, src
	return r
}

func refText(r *drift.Ref) string {
	if r == nil {
		return "-"
	}
	return "step " + strconv.Itoa(r.Index)
}

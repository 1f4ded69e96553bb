package update

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/runner/match"
)

// TestCorpus reads every page of the shared corpus of real Kubernetes
// pages (../shared/corpus; skipped when absent): each expected block's
// span is where its text is, and an edit that rewrites every block and
// adds one to every step changes no byte outside them (a table as
// output reads back as output everywhere).
func TestCorpus(t *testing.T) {
	root := filepath.Join("..", "..", "..", "shared", "corpus", "content")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("corpus not found at %s (it sits in ../shared beside the project): %v", root, err)
	}
	pages, spans, blocks, changed, misread := 0, 0, 0, 0, 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") || strings.Contains(path, "/includes/") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		p, err := markdown.ParseBytes(path, src, markdown.Options{})
		if err != nil {
			return nil // pages that do not parse are markdown's tests
		}
		pages++
		s, b := checkSpans(t, src, p.Doc)
		spans, blocks = spans+s, blocks+b
		res := allDiffer(p.Doc, "NAME    READY\nweb-0   1/1\n")
		out, ch, notes := Edit(src, res, Options{Similar: true, Add: true, Lines: match.Lines,
			Namespace: match.PageNamespace([]string{"docrun-abc"}), Parse: &markdown.Options{}})
		checkUnchanged(t, src, out, res, ch)
		changed += len(ch)
		for _, n := range notes {
			if strings.Contains(n.Msg, "would not read back") {
				misread++
				t.Logf("%s: %s", path, n)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d pages: %d of %d expected-output blocks are the page's own text (a span); %d blocks rewritten or added, %d left out as they would not read back", pages, spans, blocks, changed, misread)
}

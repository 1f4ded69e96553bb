package shortcode

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// pairedInCorpus are shortcodes that take inner content on the Kubernetes
// website; in the corpus every opening tag of these must be paired.
var pairedInCorpus = map[string]bool{
	"note": true, "warning": true, "caution": true, "tabs": true, "comment": true,
	"mermaid": true, "alert": true, "table": true,
}

// TestCorpus lexes and parses every Markdown page of the shared corpus.
func TestCorpus(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus not available at %s: %v", dir, err)
	}
	content := filepath.Join(dir, "content")
	var files, tags int
	standalone := map[string]int{}
	err := filepath.WalkDir(content, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		items, err := Lex(src)
		if err != nil {
			line, col := Position(src, err.(*Error).Offset)
			t.Errorf("%s:%d:%d: Lex: %v", path, line, col, err)
			return nil
		}
		checkItems(t, src, items)
		root, err := Parse(src)
		if err != nil {
			line, col := Position(src, err.(*Error).Offset)
			t.Errorf("%s:%d:%d: Parse: %v", path, line, col, err)
			return nil
		}
		checkTree(t, src, root)
		root.Walk(func(n *Node) bool {
			if n.Tag == nil {
				return true
			}
			tags++
			if n.Close == nil && !n.Tag.SelfClosing {
				standalone[n.Tag.Name]++
				if pairedInCorpus[n.Tag.Name] {
					line, col := Position(src, n.Start)
					t.Errorf("%s:%d:%d: %s is not paired", path, line, col, n.Tag)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Fatalf("no .md files under %s", content)
	}
	var names []string
	for name, n := range standalone {
		names = append(names, name+"="+strconv.Itoa(n))
	}
	sort.Strings(names)
	t.Logf("%d files, %d tag nodes; standalone: %s", files, tags, strings.Join(names, " "))
}

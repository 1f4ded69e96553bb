package scoreboard

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/docrun/docrun/runner/clustertest"
)

// TestCorpusRegression compares the scoreboard of the last `make corpus`
// (out/corpus/corpus.md; make test runs make corpus first) with the
// committed one (docs/corpus.md): it fails for each step that passed there
// and fails now, naming the page, the step and its line. Other changes,
// improvements among them, are logged: they mean docs/corpus.md should be
// refreshed (make corpus-update). It runs with the end-to-end tests
// (DOCRUN_E2E=1) and skips when make corpus wrote nothing (../shared
// absent).
func TestCorpusRegression(t *testing.T) {
	if os.Getenv(clustertest.EnvVar) != "1" {
		t.Skipf("end-to-end test: set %s=1 (make test does)", clustertest.EnvVar)
	}
	root := filepath.Join("..", "..")
	newPath := filepath.Join(root, "out", "corpus", "corpus.md")
	if _, err := os.Stat(newPath); err != nil {
		t.Skipf("no scoreboard of a run (make corpus writes %s; it needs ../shared/corpus): %v", newPath, err)
	}
	oldPath := filepath.Join(root, "docs", "corpus.md")
	old := readBoard(t, oldPath)
	now := readBoard(t, newPath)
	regressions, others := Changes(old, now)
	for _, c := range regressions {
		t.Errorf("%s", c)
	}
	if len(others) > 0 {
		t.Logf("%d other changes against %s (refresh it with make corpus-update when they are improvements):", len(others), oldPath)
		for _, c := range others {
			t.Logf("  %s", c)
		}
	}
	t.Logf("%s: %+v; %s: %+v", oldPath, old.Total(), newPath, now.Total())
}

func readBoard(t *testing.T, path string) *Board {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := ParseMarkdown(f, path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

package drift_test

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docrun/docrun/drift"
	"github.com/docrun/docrun/markdown"
)

// TestCorpus compares every translation of ../shared/corpus/translations.tsv
// with its source: no page fails, every step of both pages is in exactly
// one pair, and the counts are logged (go test -v -run TestCorpus).
func TestCorpus(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpus")
	f, err := os.Open(filepath.Join(dir, "translations.tsv"))
	if err != nil {
		t.Skipf("corpus not found at %s: %v", dir, err)
	}
	defer f.Close()
	opts := markdown.Options{Site: markdown.NewSite(dir)}
	sc := bufio.NewScanner(f)
	pages, drifted, steps := 0, 0, 0
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 2 || cols[0] == "translation" {
			continue
		}
		pages++
		src := filepath.Join(dir, cols[1])
		if _, err := os.Stat(src); err != nil {
			t.Logf("%s: no source", cols[0])
			continue
		}
		tr, err := markdown.Parse(filepath.Join(dir, cols[0]), opts)
		if err != nil {
			t.Fatal(err)
		}
		sd, err := markdown.Parse(src, opts)
		if err != nil {
			t.Fatal(err)
		}
		r := drift.Compare(tr, sd)
		seen := map[[2]int]int{}
		for _, p := range r.Pairs {
			if p.Source != nil {
				seen[[2]int{0, p.Source.Index}]++
			}
			if p.Translation != nil {
				seen[[2]int{1, p.Translation.Index}]++
			}
		}
		if len(seen) != len(tr.Steps)+len(sd.Steps) {
			t.Errorf("%s: the pairs hold %d steps, the pages have %d", cols[0], len(seen), len(tr.Steps)+len(sd.Steps))
		}
		for k, n := range seen {
			if n != 1 {
				t.Errorf("%s: step %v is in %d pairs", cols[0], k, n)
			}
		}
		if r.Drifted() {
			drifted++
			steps += r.Summary.Drifted
		}
		s := r.Summary
		t.Logf("%s: %d of %d steps drifted (%d changed, %d moved, %d only in translation, %d only in source, %d outputs differ), front %v",
			cols[0], s.Drifted, s.Steps, s.Changed, s.Moved, s.OnlyTranslation, s.OnlySource, s.OutputDiffers, r.Front)
	}
	t.Logf("%d pages: %d drifted, %d steps in all", pages, drifted, steps)
}

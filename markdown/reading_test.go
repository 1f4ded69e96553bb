package markdown

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestCorpusReading logs how docrun reads the corpus pages (expected
// outputs, shell fences read as output, console transcripts, tab sets), so
// that a change of the rules can be measured: go test -run
// TestCorpusReading -v ./markdown. It checks invariants of the rules: no
// output or text is runnable, and every skipped alternative names a tab
// of its page.
func TestCorpusReading(t *testing.T) {
	var expected, shellOutput, moreOutput, transcripts, altSteps, sets, altSets int
	for _, p := range corpusPages(t) {
		page, err := ParsePage(p, Options{})
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		tabNames := map[string]bool{}
		for _, sp := range page.tabs.spans {
			tabNames[sp.name] = true
		}
		for _, s := range page.Doc.Steps {
			if s.Expected != nil {
				expected++
			}
			if s.Kind == KindText && s.Runnable {
				t.Errorf("%s:%d: a text step is runnable", p, s.Line)
			}
			switch {
			case strings.HasPrefix(s.Reason, "reads as command output"):
				shellOutput++
			case strings.HasPrefix(s.Reason, "more output of step"):
				moreOutput++
			case strings.HasPrefix(s.Reason, "alternative to the «"):
				altSteps++
				if name := strings.TrimSuffix(strings.TrimPrefix(s.Reason, "alternative to the «"), "» tab"); !tabNames[name] || s.Runnable {
					t.Errorf("%s:%d: %q names no tab of the page, or the step runs", p, s.Line, s.Reason)
				}
			}
		}
		for _, ref := range page.Blocks {
			if ref.Steps > 0 {
				transcripts++
			}
		}
		for _, set := range page.tabs.sets {
			sets++
			if set.alternative {
				altSets++
				continue
			}
			t.Logf("tab set of parts, every tab runs: %s %q", filepath.Base(p), set.names)
		}
	}
	t.Logf("expected outputs: %d; shell fences read as output: %d; further outputs as text steps: %d", expected, shellOutput, moreOutput)
	t.Logf("console transcripts: %d", transcripts)
	t.Logf("tab sets: %d, of which alternatives: %d; steps skipped as alternatives: %d", sets, altSets, altSteps)
}

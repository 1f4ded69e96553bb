// Package scoreboard summarises a run of the Kubernetes pages of
// ../shared/corpus (make corpus): per page its class from pages.tsv, how
// many steps passed, failed and were skipped, and a short category for
// each step that did not pass. The summary is a markdown file a maintainer
// reads (docs/corpus.md) and the regression test compares: a step that
// passed there must not fail in a new run.
//
// Everything on the board is sorted and free of times and generated
// names, so that two runs with the same outcomes give the same file.
package scoreboard

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/result"
)

// Board is the scoreboard of one run: its pages sorted by class, then path.
type Board struct {
	Pages []*Page
}

// Page is a page's outcome on the board.
type Page struct {
	// Path is the page's path in the corpus, as pages.tsv names it
	// (content/en/docs/...).
	Path string
	// Class is the page's class in pages.tsv (A, B, C, D).
	Class string
	// Error says why the page did not run at all ("" when it ran).
	Error string
	// Steps are the page's steps in order: the code blocks docrun would
	// run, without text blocks and manifests (they are never run).
	Steps []Step
}

// Step is a step's outcome on the board.
type Step struct {
	// Index and Line locate the step as docrun does (docrun run --step).
	Index, Line int
	// Status is the step's status in the run.
	Status result.Status
	// Category says in a word or two why a step did not pass (see
	// Category); "" for a passed step.
	Category string
	// Output is the verdict on the step's output ("" when there was none
	// to compare).
	Output result.Verdict
}

// Counts are the step counts of a page or a class. Timeouts count as
// failures; Differs counts passed steps whose output differs from the
// page's.
type Counts struct {
	Pages, Steps, Passed, Failed, Skipped, Differs int
}

func (c *Counts) add(o Counts) {
	c.Pages += o.Pages
	c.Steps += o.Steps
	c.Passed += o.Passed
	c.Failed += o.Failed
	c.Skipped += o.Skipped
	c.Differs += o.Differs
}

// Counts counts the page's steps.
func (p *Page) Counts() Counts {
	c := Counts{Pages: 1, Steps: len(p.Steps)}
	for _, s := range p.Steps {
		switch s.Status {
		case result.Passed:
			c.Passed++
			if s.Output == result.VerdictDiffers {
				c.Differs++
			}
		case result.Failed, result.Timeout:
			c.Failed++
		default:
			c.Skipped++
		}
	}
	return c
}

// Classes returns the board's classes in order and their totals.
func (b *Board) Classes() ([]string, map[string]Counts) {
	totals := map[string]Counts{}
	var classes []string
	for _, p := range b.Pages {
		c, seen := totals[p.Class]
		if !seen {
			classes = append(classes, p.Class)
		}
		c.add(p.Counts())
		totals[p.Class] = c
	}
	sort.Strings(classes)
	return classes, totals
}

// Total is the sum over all pages.
func (b *Board) Total() Counts {
	var t Counts
	for _, p := range b.Pages {
		t.add(p.Counts())
	}
	return t
}

// Entry is a line of pages.tsv: a page of the corpus and its class.
type Entry struct {
	Path, Class string
}

// Build makes the board of a run result. entries are the corpus's pages
// (pages.tsv); a result page is an entry when its path ends with the
// entry's path. An entry the result lacks is on the board with an error;
// a result page that is no entry is left out.
func Build(res *result.Result, entries []Entry) *Board {
	b := &Board{}
	for _, e := range entries {
		p := &Page{Path: e.Path, Class: e.Class}
		pr := find(res, e.Path)
		switch {
		case pr == nil:
			p.Error = "not in the run result"
		case pr.Error != "":
			p.Error = pageError(pr.Error, pr.Path, e.Path)
		default:
			for _, st := range pr.Steps {
				if st.Kind == markdown.KindText || st.Kind == markdown.KindManifest || st.Setup != "" {
					continue // setups are another page's steps
				}
				p.Steps = append(p.Steps, Step{Index: st.Index, Line: st.Line, Status: st.Status,
					Category: Category(st), Output: st.Verdict})
			}
		}
		b.Pages = append(b.Pages, p)
	}
	b.sort()
	return b
}

func (b *Board) sort() {
	sort.SliceStable(b.Pages, func(i, j int) bool {
		pi, pj := b.Pages[i], b.Pages[j]
		if pi.Class != pj.Class {
			return pi.Class < pj.Class
		}
		return pi.Path < pj.Path
	})
}

func find(res *result.Result, rel string) *result.PageResult {
	for _, p := range res.Pages {
		if p == nil {
			continue
		}
		path := filepath.ToSlash(p.Path)
		if path == rel || strings.HasSuffix(path, "/"+rel) {
			return p
		}
	}
	return nil
}

// pageError is the first line of a page's error with the page's path as
// run (../shared/corpus/content/...) shortened to the corpus path.
func pageError(err, path, rel string) string {
	line, _, _ := strings.Cut(err, "\n")
	line = strings.ReplaceAll(line, path, rel)
	return strings.ReplaceAll(line, "|", `\|`)
}

// Line is the one-line summary of a page that make corpus prints: class,
// counts, path, and the failed and skipped steps grouped by category.
func (p *Page) Line() string {
	c := p.Counts()
	s := fmt.Sprintf("%-2s %3d passed %3d failed %3d skipped  %s", p.Class, c.Passed, c.Failed, c.Skipped, p.Path)
	if p.Error != "" {
		return s + "  not run: " + p.Error
	}
	if g := p.groups(); g != "" {
		s += "  " + g
	}
	return s
}

// groups lists the steps that did not pass by category, failures first:
// "exit 1 #7 #12; network #3 #4".
func (p *Page) groups() string {
	type group struct {
		cat   string
		fail  bool
		steps []string
	}
	var gs []*group
	at := map[string]*group{}
	for _, s := range p.Steps {
		if s.Status == result.Passed {
			continue
		}
		fail := s.Status == result.Failed || s.Status == result.Timeout
		key := fmt.Sprint(fail, s.Category)
		g := at[key]
		if g == nil {
			g = &group{cat: s.Category, fail: fail}
			at[key] = g
			gs = append(gs, g)
		}
		g.steps = append(g.steps, fmt.Sprintf("#%d", s.Index))
	}
	sort.SliceStable(gs, func(i, j int) bool { return gs[i].fail && !gs[j].fail })
	parts := make([]string, len(gs))
	for i, g := range gs {
		parts[i] = g.cat + " " + strings.Join(g.steps, " ")
	}
	return strings.Join(parts, "; ")
}

package scoreboard

import (
	"fmt"
	"slices"
	"strings"

	"github.com/docrun/docrun/result"
)

// Change is a difference between two boards for one step (or page).
type Change struct {
	// Page is the page's path; Step and Line locate the step on the old
	// board (Step -1 for a whole page).
	Page       string
	Step, Line int
	// Was and Now are the statuses ("" when the step or page is gone),
	// with the category when not passed: "failed (exit 1)".
	Was, Now string
}

func (c Change) String() string {
	if c.Step < 0 {
		return fmt.Sprintf("%s: %s, now %s", c.Page, c.Was, c.Now)
	}
	return fmt.Sprintf("%s step %d (line %d): %s, now %s", c.Page, c.Step, c.Line, c.Was, c.Now)
}

// Changes compares a new board with an old one. Regressions are the steps
// that passed on the old board and failed or timed out on the new one.
// Others are every other change of a step's outcome: steps that pass now
// and did not, passed steps now skipped, steps and pages that are gone or
// new. Steps are paired by their line in the page and, for steps on the
// same line (an include), their order there, so that a change in how
// blocks are counted elsewhere in the page does not pair the wrong steps.
func Changes(old, new *Board) (regressions, others []Change) {
	newPages := map[string]*Page{}
	for _, p := range new.Pages {
		newPages[p.Path] = p
	}
	seen := map[string]bool{}
	for _, op := range old.Pages {
		seen[op.Path] = true
		np := newPages[op.Path]
		if np == nil {
			others = append(others, Change{Page: op.Path, Step: -1, Was: "on the board", Now: "gone"})
			continue
		}
		if (op.Error == "") != (np.Error == "") {
			others = append(others, Change{Page: op.Path, Step: -1, Was: pageState(op), Now: pageState(np)})
		}
		nsteps := byPlace(np.Steps)
		for k, was := range byPlace(op.Steps) {
			now, ok := nsteps[k]
			delete(nsteps, k)
			c := Change{Page: op.Path, Step: was.Index, Line: was.Line, Was: outcome(was)}
			switch {
			case !ok:
				if np.Error == "" {
					c.Now = "gone"
					others = append(others, c)
				} else if was.Status == result.Passed {
					c.Now = "not run"
					regressions = append(regressions, c)
				}
			case was.Status == result.Passed && (now.Status == result.Failed || now.Status == result.Timeout):
				c.Now = outcome(now)
				regressions = append(regressions, c)
			case outcome(was) != outcome(now):
				c.Now = outcome(now)
				others = append(others, c)
			}
		}
		for _, now := range nsteps {
			others = append(others, Change{Page: op.Path, Step: now.Index, Line: now.Line, Was: "new", Now: outcome(now)})
		}
	}
	for _, np := range new.Pages {
		if !seen[np.Path] {
			others = append(others, Change{Page: np.Path, Step: -1, Was: "new", Now: pageState(np)})
		}
	}
	sortChanges(regressions)
	sortChanges(others)
	return regressions, others
}

func pageState(p *Page) string {
	if p.Error != "" {
		return "not run (" + p.Error + ")"
	}
	c := p.Counts()
	return fmt.Sprintf("%d passed, %d failed, %d skipped", c.Passed, c.Failed, c.Skipped)
}

// outcome is a step's status and, when it did not pass, its category.
func outcome(s Step) string {
	if s.Category == "" {
		return string(s.Status)
	}
	return fmt.Sprintf("%s (%s)", s.Status, s.Category)
}

// place is where a step is in its page: its line and its order among the
// steps of that line.
type place struct{ line, nth int }

func byPlace(steps []Step) map[place]Step {
	m := make(map[place]Step, len(steps))
	count := map[int]int{}
	for _, s := range steps {
		m[place{s.Line, count[s.Line]}] = s
		count[s.Line]++
	}
	return m
}

func sortChanges(cs []Change) {
	slices.SortFunc(cs, func(a, b Change) int {
		if a.Page != b.Page {
			return strings.Compare(a.Page, b.Page)
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Step - b.Step
	})
}

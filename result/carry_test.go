package result

import (
	"slices"
	"testing"

	"github.com/docrun/docrun/markdown"
)

func step(kind markdown.Kind, code, expected string) *StepResult {
	st := &StepResult{Step: markdown.Step{Kind: kind, Code: code}}
	if expected != "" {
		st.Expected = &markdown.Expected{Text: expected}
	}
	return st
}

func TestCarryOver(t *testing.T) {
	ran := func(st *StepResult, s Status, out string) *StepResult {
		st.Status, st.Stdout, st.Verdict = s, out, VerdictSimilar
		return st
	}
	old := []*StepResult{
		ran(step(markdown.KindCommand, "a", "A"), Passed, "out-a"),
		ran(step(markdown.KindCommand, "b", "B"), Failed, "out-b"),
		ran(step(markdown.KindCommand, "c", "C"), Passed, "out-c"),
		ran(step(markdown.KindCommand, "a", "A"), Passed, "out-a2"),
	}
	steps := []*StepResult{
		step(markdown.KindCommand, "new", ""), // inserted
		step(markdown.KindCommand, "a", "A"),  // moved down: keeps the first a
		step(markdown.KindCommand, "b", "B2"), // expected output changed
		step(markdown.KindCommand, "c", ""),   // expected output removed
		step(markdown.KindText, "a", "A"),     // same code, other kind
		step(markdown.KindCommand, "a", "A"),  // the second a
	}
	var recompared []string
	changed := CarryOver(steps, old, func(st *StepResult) {
		recompared = append(recompared, st.Code)
		st.Verdict = VerdictDiffers
	})
	if want := []int{0, 4}; !slices.Equal(changed, want) {
		t.Errorf("changed = %v, want %v", changed, want)
	}
	for _, tc := range []struct {
		i       int
		status  Status
		out     string
		verdict Verdict
		stale   bool
	}{
		{0, "", "", "", true},
		{1, Passed, "out-a", VerdictSimilar, false},
		{2, Failed, "out-b", VerdictDiffers, false},
		{3, Passed, "out-c", VerdictNone, false},
		{4, "", "", "", true},
		{5, Passed, "out-a2", VerdictSimilar, false},
	} {
		st := steps[tc.i]
		if st.Status != tc.status || st.Stdout != tc.out || st.Verdict != tc.verdict || st.Stale != tc.stale {
			t.Errorf("step %d: %q %q %q stale=%v, want %q %q %q stale=%v", tc.i, st.Status, st.Stdout, st.Verdict, st.Stale,
				tc.status, tc.out, tc.verdict, tc.stale)
		}
	}
	if !slices.Equal(recompared, []string{"b"}) {
		t.Errorf("recompared %v, want only the step whose expected output changed", recompared)
	}
}

// TestCarryOverNothingRan: before anything ran, a new step is not stale.
func TestCarryOverNothingRan(t *testing.T) {
	steps := []*StepResult{step(markdown.KindCommand, "x", "")}
	if changed := CarryOver(steps, []*StepResult{step(markdown.KindCommand, "y", "")}, nil); len(changed) != 1 || steps[0].Stale {
		t.Errorf("changed %v, stale %v", changed, steps[0].Stale)
	}
}

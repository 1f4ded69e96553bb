package runner

import (
	"fmt"
	"strings"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/runner/match"

	"github.com/docrun/docrun/result"
)

// failedAsExpected is the note of a step that failed as its page says it
// does.
const failedAsExpected = "failed as the page expects"

// expectFailure judges a step that ran to its end and that the page
// expects to fail (Step.Fails): it passes when it failed with an error of
// the kind the page shows (its message gets the usual output verdict), and
// fails when it succeeded without that error or failed with another one.
// The shell's state is that of any step: only the verdict changes.
func expectFailure(st *result.StepResult) {
	f := st.Fails
	if f == nil {
		return
	}
	kinds := markdown.ErrorKinds(st.Stdout + "\n" + st.Stderr)
	switch {
	case f.Maybe && st.ExitCode == 0:
	case f.Maybe && f.SameError(kinds):
		st.Status = result.Passed
		addNote(st, fmt.Sprintf("failed with %s, which the page allows (%s)", f.Expects(), f.Why))
	case st.ExitCode != 0 && f.SameError(kinds):
		st.Status = result.Passed
		addNote(st, failedAsExpected)
	case st.ExitCode != 0:
		got := fmt.Sprintf("exit %d", st.ExitCode)
		if len(kinds) > 0 {
			got = strings.Join(kinds, ", ")
		}
		st.Status = result.Failed
		addNote(st, fmt.Sprintf("the page expects %s; it failed with %s", f.Expects(), got))
	case f.Error == "" || !f.SameError(kinds):
		st.Status = result.Failed
		addNote(st, fmt.Sprintf("the page expects %s; the command succeeded", f.Expects()))
	}
}

// asExpected reports whether a step's outcome is the one its page shows:
// the failure the page expects, or output that does not differ.
func asExpected(st *result.StepResult) bool {
	if f := st.Fails; f != nil {
		return st.ExitCode != 0 && f.SameError(markdown.ErrorKinds(st.Stdout+"\n"+st.Stderr)) || f.Maybe && st.ExitCode == 0
	}
	return st.Verdict != match.Differs
}

// addNote adds to a step's note.
func addNote(st *result.StepResult, note string) {
	if st.Note != "" {
		st.Note += "; "
	}
	st.Note += note
}

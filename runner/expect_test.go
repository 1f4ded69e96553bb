package runner

import (
	"strings"
	"testing"

	"github.com/docrun/docrun/markdown"
)

func TestExpectFailure(t *testing.T) {
	forbidden := &markdown.Failure{Error: "Forbidden", Why: "the expected output is an error"}
	generic := &markdown.Failure{Error: "error", Why: "the expected output is an error"}
	prose := &markdown.Failure{Why: "the page says so"}
	tests := []struct {
		name   string
		fails  *markdown.Failure
		exit   int
		stderr string
		want   Status
		note   string
	}{
		{"same reason", forbidden, 1, "Error from server (Forbidden): pods \"p\" is forbidden: exceeded quota\n", Passed, failedAsExpected},
		{"other reason", forbidden, 1, "Error from server (NotFound): pods \"p\" not found\n", Failed, "it failed with NotFound"},
		{"no error line", forbidden, 2, "boom\n", Failed, "it failed with exit 2"},
		{"succeeded", forbidden, 0, "", Failed, "the command succeeded"},
		{"printed but exit 0", forbidden, 0, "Error from server (Forbidden): x\n", Passed, ""},
		{"generic error", generic, 1, "Error from server (BadRequest): x\n", Passed, failedAsExpected},
		{"prose", prose, 1, "anything\n", Passed, failedAsExpected},
		{"prose succeeded", prose, 0, "", Failed, "expects a failure; the command succeeded"},
		{"not expected", nil, 1, "Error from server (Forbidden): x\n", Failed, ""},
	}
	for _, tt := range tests {
		st := &StepResult{Step: markdown.Step{Fails: tt.fails}, ExitCode: tt.exit, Stderr: tt.stderr, Status: Passed}
		if tt.exit != 0 {
			st.Status = Failed
		}
		expectFailure(st)
		if st.Status != tt.want || !strings.Contains(st.Note, tt.note) || (tt.note == "" && st.Note != "") {
			t.Errorf("%s: %s %q, want %s %q", tt.name, st.Status, st.Note, tt.want, tt.note)
		}
	}
}

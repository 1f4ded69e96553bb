package runner

import (
	"strings"
	"testing"

	"github.com/docrun/docrun/markdown"

	"github.com/docrun/docrun/result"
)

func TestExpectFailure(t *testing.T) {
	forbidden := &markdown.Failure{Error: "Forbidden", Why: "the expected output is an error"}
	generic := &markdown.Failure{Error: "error", Why: "the expected output is an error"}
	prose := &markdown.Failure{Why: "the page says so"}
	maybe := &markdown.Failure{Error: "NotFound", Why: "in case", Maybe: true}
	tests := []struct {
		name   string
		fails  *markdown.Failure
		exit   int
		stderr string
		want   result.Status
		note   string
	}{
		{"same reason", forbidden, 1, "Error from server (Forbidden): pods \"p\" is forbidden: exceeded quota\n", result.Passed, failedAsExpected},
		{"other reason", forbidden, 1, "Error from server (NotFound): pods \"p\" not found\n", result.Failed, "it failed with NotFound"},
		{"no error line", forbidden, 2, "boom\n", result.Failed, "it failed with exit 2"},
		{"succeeded", forbidden, 0, "", result.Failed, "the command succeeded"},
		{"printed but exit 0", forbidden, 0, "Error from server (Forbidden): x\n", result.Passed, ""},
		{"generic error", generic, 1, "Error from server (BadRequest): x\n", result.Passed, failedAsExpected},
		{"prose", prose, 1, "anything\n", result.Passed, failedAsExpected},
		{"prose succeeded", prose, 0, "", result.Failed, "expects a failure; the command succeeded"},
		{"not expected", nil, 1, "Error from server (Forbidden): x\n", result.Failed, ""},
		{"maybe, gone already", maybe, 1, "Error from server (NotFound): configmaps \"c\" not found\n", result.Passed, "which the page allows (in case)"},
		{"maybe, deleted", maybe, 0, "configmap \"c\" deleted\n", result.Passed, ""},
		{"maybe, other error", maybe, 1, "Error from server (Forbidden): x\n", result.Failed, "it failed with Forbidden"},
	}
	for _, tt := range tests {
		st := &result.StepResult{Step: markdown.Step{Fails: tt.fails}, ExitCode: tt.exit, Stderr: tt.stderr, Status: result.Passed}
		if tt.exit != 0 {
			st.Status = result.Failed
		}
		expectFailure(st)
		if st.Status != tt.want || !strings.Contains(st.Note, tt.note) || (tt.note == "" && st.Note != "") {
			t.Errorf("%s: %s %q, want %s %q", tt.name, st.Status, st.Note, tt.want, tt.note)
		}
	}
}

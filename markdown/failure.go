package markdown

import (
	"regexp"
	"slices"
	"strings"

	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
)

// Failure is what a page expects of a command that fails: the error its
// expected output shows, or a sentence that announces the failure.
type Failure struct {
	// Error is the kind of error the page shows (see ErrorKind): a server
	// reason ("Forbidden", "Invalid", "NotFound"), or "error" for
	// kubectl's own errors ("error: ..."); "" when only the prose
	// announces the failure.
	Error string `json:"error,omitempty"`
	// Why says how docrun knows: "the expected output is an error" or the
	// sentence that announces it.
	Why string `json:"why"`
	// Maybe is set when the page says the command may fail that way ("#
	// In case it was not deleted already"): it passes whether it
	// succeeds or fails with that error.
	Maybe bool `json:"maybe,omitempty"`
}

// maybeCue is a comment or sentence saying a command is there in case
// its object is still there: "In case it was not handled during the task",
// "if it still exists", 「念のため」「存在する場合」.
var maybeCue = regexp.MustCompile(`(?i)\bin case\b|\bif (it|they|this|that|these|those|the [\w-]+) (still |already )?(exists?|remains?|is (still )?there|are (still )?there)\b|\bif (it was |they were )?not (already )?(deleted|removed|handled)\b|念のため|存在する場合|残っている場合|削除されていない場合`)

// markMaybeFailure marks a step whose kubectl delete commands the page
// runs in case their objects are still there: NotFound is then as good as
// a deletion (the reader sees nothing is left). The cue is a comment of
// the code or the paragraph before the block.
func markMaybeFailure(st *Step, lead string) {
	if st.Kind != KindCommand || st.Fails != nil {
		return
	}
	cue := ""
	for _, l := range strings.Split(st.Code, "\n") {
		if _, c := splitComment(l); c != "" && maybeCue.MatchString(c) {
			cue = c
		}
	}
	if cue == "" {
		for _, s := range sentences(lead) {
			if maybeCue.MatchString(s) {
				cue = s
			}
		}
	}
	if cue == "" || !slices.ContainsFunc(kubectl.Calls(shell.Parse(st.Code)), func(c kubectl.Call) bool { return c.Command() == "delete" }) {
		return
	}
	st.Fails = &Failure{Error: "NotFound", Why: cue, Maybe: true}
}

// Expects says what the page expects, for messages: "Error from server
// (Forbidden)", "an error", "a failure".
func (f *Failure) Expects() string {
	switch f.Error {
	case "":
		return "a failure"
	case "error":
		return "an error"
	}
	return "an error (" + f.Error + ")"
}

var (
	// serverError is an API error as kubectl prints it, with its reason.
	serverError = regexp.MustCompile(`^Error from server(?: \(([A-Za-z]+)\))?`)
	// invalidObject is kubectl's report of an object the API server
	// refused as invalid (apply, patch, replace).
	invalidObject = regexp.MustCompile(`^The [A-Za-z]+ "[^"]*" is invalid`)
	// clientError is an error of kubectl itself, or of a program in
	// cobra's style.
	clientError = regexp.MustCompile(`^(error|Error): `)
)

// ErrorKind returns the kind of error a line of output reports, or "":
// the reason of an API error ("Error from server (Forbidden): ..." is
// "Forbidden"; `The Deployment "web" is invalid: ...` is "Invalid", as the
// API server's reason for it), "server" for an API error without a
// reason, "error" for "error: ..." and "Error: ...". Warnings, "No
// resources found" and connection errors are not kinds a page expects.
func ErrorKind(line string) string {
	line = strings.TrimSpace(line)
	if m := serverError.FindStringSubmatch(line); m != nil {
		if m[1] == "" {
			return "server"
		}
		return m[1]
	}
	switch {
	case invalidObject.MatchString(line):
		return "Invalid"
	case clientError.MatchString(line):
		return "error"
	}
	return ""
}

// ErrorKinds returns the kinds of error that lines of output report, in
// order, each once.
func ErrorKinds(output string) []string {
	var kinds []string
	seen := map[string]bool{}
	for _, l := range strings.Split(output, "\n") {
		if k := ErrorKind(l); k != "" && !seen[k] {
			seen[k] = true
			kinds = append(kinds, k)
		}
	}
	return kinds
}

// SameError reports whether an error of kind got is the failure the page
// expects: any failure when the page names no error, any error for
// kubectl's generic "error: ..." (its wording changes between releases),
// else the same reason.
func (f *Failure) SameError(got []string) bool {
	if f.Error == "" {
		return true
	}
	for _, k := range got {
		if f.Error == "error" || k == f.Error {
			return true
		}
	}
	return false
}

// outputFailure returns the failure an expected output shows: its first
// line that is not a warning (or an elision) reports an error.
func outputFailure(text string) *Failure {
	for _, l := range outputLines(text) {
		if strings.HasPrefix(l, "Warning: ") || strings.HasPrefix(l, "WARNING: ") {
			continue
		}
		if k := ErrorKind(l); k != "" {
			return &Failure{Error: k, Why: "the expected output is an error"}
		}
		return nil
	}
	return nil
}

// proseFailure returns the failure a sentence announces, or nil.
func proseFailure(sentence string) *Failure {
	return &Failure{Why: "the page says so: «" + sentence + "»"}
}

// failureBlocked matches what keeps a sentence from announcing a failure
// the reader is meant to see: a condition or a negation ("fails if the
// field is missing", "you should not see an error", 「エラーが表示されない
// 場合」).
var failureBlocked = regexp.MustCompile(`(?i)\b(if|unless|when|whenever|otherwise|not|no|never|without|cannot)\b|n't\b|(ない|なけれ|ずに|せず|場合|なら|たら|れば)`)

// expectFailures marks the command steps whose expected output is an
// error: the page expects them to fail. Steps a sentence marked already
// keep that sentence as the reason.
func (w *walker) expectFailures() {
	for i := range w.page.Doc.Steps {
		st := &w.page.Doc.Steps[i]
		if st.Kind != KindCommand || st.Expected == nil {
			continue
		}
		if f := outputFailure(st.Expected.Text); f != nil {
			if st.Fails != nil {
				f.Why = st.Fails.Why
			}
			st.Fails = f
		}
	}
}

// leadFailure returns the failure the prose right before a command
// announces for it: the nearest sentence that says anything is a failure
// cue and introduces the block (ends with a colon): "The following
// command fails:", 「次のコマンドは失敗します:」.
func leadFailure(prose []string, lang string) *Failure {
	for i := len(prose) - 1; i >= 0; i-- {
		role, _ := sentenceCue(prose[i], lang)
		if role == cueNone {
			continue
		}
		s := strings.TrimSpace(prose[i])
		if role == cueFailure && (strings.HasSuffix(s, ":") || strings.HasSuffix(s, "：")) {
			return proseFailure(s)
		}
		return nil
	}
	return nil
}

// nearestFailure returns the failure the prose between a command and its
// expected output announces: the nearest sentence that says anything is a
// failure cue ("then you get an error:").
func nearestFailure(prose []string, lang string) *Failure {
	for i := len(prose) - 1; i >= 0; i-- {
		if role, _ := sentenceCue(prose[i], lang); role != cueNone {
			if role == cueFailure {
				return proseFailure(strings.TrimSpace(prose[i]))
			}
			return nil
		}
	}
	return nil
}

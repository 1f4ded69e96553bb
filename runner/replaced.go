package runner

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/result"
	"github.com/docrun/docrun/runner/session"
)

// outputSource is the Source of a binding to the output of a command of
// the page, which the page says to put in place of a value it shows.
const outputSource = "output"

// replacementsOf returns the replacements (markdown.Replacement) of a
// step's code and of the files docrun writes for it.
func (pr *pageRun) replacementsOf(st *result.StepResult) []markdown.Replacement {
	reps := st.Replaces
	idx, _ := pr.usesOf(st)
	for _, i := range idx {
		if f := pr.res.Files[i]; f.Step >= 0 && f.Step < len(pr.res.Document.Steps) {
			reps = append(reps, pr.res.Document.Steps[f.Step].Replaces...)
		}
	}
	return reps
}

// bindOutputs binds the values a step (or a file it reads) replaces to
// the output of the commands the page names, run again in the page's
// session now, as the reader runs `cat myuser.csr | base64` again to
// paste its output (such a command only reads: see markdown.ReadOnly). A
// value given (--set, docrun.yaml) is kept. It returns why the step cannot
// run: the command did not pass when its step ran, or fails now.
func (pr *pageRun) bindOutputs(ctx context.Context, st *result.StepResult) string {
	if pr.sess == nil {
		return ""
	}
	for _, r := range pr.replacementsOf(st) {
		if r.Object != "" {
			if why := pr.bindObjectName(st, r); why != "" {
				return why
			}
			continue
		}
		if b, ok := pr.binds.get(r.Name); ok && b.Source != outputSource {
			continue
		}
		from := pr.pageStep(r.From)
		if from == nil {
			continue
		}
		what := fmt.Sprintf("the output of step %d (%s) in place of %s's value, as line %d says", r.From, firstLine(from.Code), r.Name, r.Line)
		if from.Status != result.Passed {
			return fmt.Sprintf("needs %s; step %d %s", what, r.From, statusWords(from))
		}
		res, err := pr.sess.Run(ctx, from.Code, time.Minute, session.Output{})
		switch {
		case err != nil:
			return fmt.Sprintf("needs %s: %v", what, err)
		case res.ExitCode != 0 || res.Ended:
			return fmt.Sprintf("needs %s; run again it exited %d: %s", what, res.ExitCode, strings.TrimSpace(res.Stderr))
		}
		pr.binds.set(r.Name, strings.TrimSpace(res.Stdout), outputSource)
		b := pr.binds.values[r.Name]
		b.Description = fmt.Sprintf("the output of step %d (%s), as line %d says: %s", r.From, firstLine(from.Code), r.Line, r.Cue)
		pr.binds.values[r.Name] = b
	}
	return ""
}

// bindObjectName binds a value the page says to replace with the name of
// an object (markdown.Replacement.Object) as the placeholder <KIND-name>
// in its place: to the object of that kind the page made (see
// objectBinding), unless a value is given (--set, docrun.yaml) or bound
// already. It returns why the step cannot run without it.
func (pr *pageRun) bindObjectName(st *result.StepResult, r markdown.Replacement) string {
	if _, ok := pr.binds.get(r.Name); ok || pr.binds.objects == nil {
		return ""
	}
	code := strings.ReplaceAll(st.Code, r.Literal, "<"+r.Name+">")
	b, why, ok := pr.binds.objects(r.Name, code, r.AnyOne)
	if !ok {
		if why == "" {
			why = "no such object"
		}
		return fmt.Sprintf("needs the name of a %s in place of %s, as line %d says: %s", r.Object, r.Literal, r.Line, why)
	}
	b.Description = strings.TrimPrefix(b.Description+fmt.Sprintf(", in place of %s as line %d says", r.Literal, r.Line), ", ")
	pr.binds.values[r.Name] = b
	return ""
}

// applyReplacements puts the bound values in place of the literals the
// page says to replace, and returns the bindings used.
func (pr *pageRun) applyReplacements(code string, reps []markdown.Replacement) (string, []result.Binding) {
	var used []result.Binding
	for _, r := range reps {
		b, ok := pr.binds.get(r.Name)
		if !ok || !strings.Contains(code, r.Literal) {
			continue
		}
		code = strings.ReplaceAll(code, r.Literal, b.Value)
		used = append(used, b)
	}
	return code, used
}

// pageStep returns the result of the page's step of index i (not one
// docrun.yaml inserted), or nil.
func (pr *pageRun) pageStep(i int) *result.StepResult {
	for _, st := range pr.res.Steps {
		if st.Index == i && !inserted(st) {
			return st
		}
	}
	return nil
}

// statusWords says what became of a step: "was skipped: why", "failed".
func statusWords(st *result.StepResult) string {
	switch st.Status {
	case result.Skipped:
		return "was skipped: " + st.SkipReason
	case "":
		return "has not run"
	}
	return string(st.Status)
}

// firstLine is the first line of code, shortened.
func firstLine(code string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(code), "\n")
	if len(l) > 60 {
		l = l[:57] + "..."
	}
	return l
}

// Package update writes a run's real output back into the page it ran
// (docrun run --update): the expected-output block of each step whose
// output differs from the page's is rewritten with what the step printed,
// as a person pastes it from a terminal, and every other byte of the page
// stays as it was.
//
// It is pure: given the page's bytes and the run's result (whose steps
// carry where each block is in the page, markdown.Span) it returns the new
// bytes. The rules that belong to the comparison (how output reads as
// lines, which namespace names are the page's) are given by the caller, so
// that there is one of each.
package update

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/result"
)

// Options say which steps are updated and how output becomes page text.
type Options struct {
	// Similar also updates steps whose output is similar to the page's
	// (--update=all); by default only those whose output differs.
	Similar bool
	// Add adds an expected-output block after a step that has none
	// (--update=add).
	Add bool
	// Lines splits a step's output into the lines a person pastes
	// (runner/match.Lines: no terminal escapes, no trailing whitespace,
	// no leading or trailing blank line). Nil splits on line ends.
	Lines func(output string) []string
	// Namespace writes the run's namespace in a line as the page's
	// (runner/match.PageNamespace). Nil leaves lines as they are.
	Namespace func(line string) string
	// Excerpt reports whether an expected block shows only part of the
	// output (runner/match.Excerpt: a "..." line): an author's excerpt is
	// not replaced by the whole output. Nil: no block is an excerpt.
	Excerpt func(expected string) bool
	// Parse, when set, are the options the page was parsed with: the
	// edited page is parsed again, and a block it would not read as its
	// step's expected output is left as it was, with a note.
	Parse *markdown.Options
}

// Change is a block Edit rewrote or added.
type Change struct {
	// Step is the step's index; Line the page line of the block's first
	// line of text in the new page, and Lines how many lines it has.
	Step, Line, Lines int
	// Added is set for a block that was not in the page.
	Added bool
}

// Note is a step Edit would update but did not, and why.
type Note struct {
	Step, Line int
	Msg        string
}

func (n Note) String() string { return fmt.Sprintf("line %d: step %d: %s", n.Line, n.Step, n.Msg) }

// Edit returns page src with the expected output of page's steps
// rewritten from their outputs, the blocks changed and the notes on steps
// left alone. Only steps that passed are used. A block not in the page's
// own text (an include, an example file) is left alone with a note.
func Edit(src []byte, page *result.PageResult, o Options) ([]byte, []Change, []Note) {
	doc := splitLines(src)
	var edits []edit
	var notes []Note
	lineOf := map[int]int{} // a page step's line by its index
	for _, st := range page.Steps {
		if !st.Hidden {
			lineOf[st.Index] = st.Line
		}
		e, msg := o.stepEdit(doc, st, filepath.Dir(page.Path))
		switch {
		case msg != "":
			notes = append(notes, Note{Step: st.Index, Line: st.Line, Msg: msg})
		case e != nil:
			edits = append(edits, *e)
		}
	}
	slices.SortStableFunc(edits, func(a, b edit) int { return a.from - b.from })
	out, changes := doc.apply(edits)
	// An edit the page would not read back as its step's output (output
	// that reads as a command, a prompt line in a transcript) would make
	// the page run something else: it is left out, and the page edited
	// again without it.
	steps := -1 // the page's steps as parsed (the result also has the steps a run inserts)
	if o.Parse != nil && len(changes) > 0 {
		if p, err := markdown.ParseBytes(page.Path, src, *o.Parse); err == nil {
			steps = len(p.Doc.Steps)
		}
	}
	for o.Parse != nil && len(changes) > 0 {
		bad := o.misread(page.Path, steps, out, changes)
		if len(bad) == 0 {
			break
		}
		edits = slices.DeleteFunc(edits, func(e edit) bool { return bad[e.step] })
		for e := range bad {
			notes = append(notes, Note{Step: e, Line: lineOf[e],
				Msg: "its new output would not read back as its output (a line reads as a command or a prompt): not updated"})
		}
		out, changes = doc.apply(edits)
	}
	slices.SortStableFunc(notes, func(a, b Note) int { return a.Line - b.Line })
	return out, changes, notes
}

// misread parses the edited page at path and returns the steps whose
// change is not their expected output there, at its lines. When the page
// has another number of steps than before (a block read as a new step),
// only the first such change counts: the steps after it moved.
func (o Options) misread(path string, steps int, out []byte, changes []Change) map[int]bool {
	p, err := markdown.ParseBytes(path, out, *o.Parse)
	bad := map[int]bool{}
	for _, c := range changes {
		if err != nil {
			bad[c.Step] = true
			continue
		}
		if !readsBack(p.Doc, c) {
			bad[c.Step] = true
			if len(p.Doc.Steps) != steps {
				return bad
			}
		}
	}
	if err == nil && len(bad) == 0 && len(p.Doc.Steps) != steps {
		// The steps moved after the last change: it made the new one.
		bad[changes[len(changes)-1].Step] = true
	}
	return bad
}

// readsBack reports whether change c is a step's expected output in doc,
// at the lines it says.
func readsBack(doc *markdown.Document, c Change) bool {
	if c.Step >= len(doc.Steps) {
		return false
	}
	e := doc.Steps[c.Step].Expected
	return e != nil && e.Span != nil && e.Span.First == c.Line && e.Span.Last == c.Line+c.Lines-1
}

// stepEdit is the edit of one step, or nil, or why a step that should be
// updated cannot be.
func (o Options) stepEdit(doc *lines, st *result.StepResult, dir string) (*edit, string) {
	if st.Status != result.Passed || st.Hidden || st.Setup != "" {
		return nil, ""
	}
	exp := st.Expected
	if exp == nil {
		if !o.Add || !runs(st.Kind) {
			return nil, ""
		}
		return o.addEdit(doc, st, dir)
	}
	if !(st.Verdict == result.VerdictDiffers || o.Similar && st.Verdict == result.VerdictSimilar) {
		return nil, ""
	}
	switch {
	case unfit(st) != "":
		return nil, unfit(st) + ": not updated"
	case o.Excerpt != nil && o.Excerpt(exp.Text):
		return nil, "its expected output is an excerpt (a \"...\" line stands for the rest): not updated"
	case st.Source != "":
		return nil, fmt.Sprintf("its expected output is in %s, not in the page: not updated", rel(dir, st.Source))
	case exp.Span == nil:
		return nil, "its expected output is not the page's own text (a shortcode or included file in it): not updated"
	case !doc.holds(exp.Span, exp.Text):
		return nil, fmt.Sprintf("lines %d-%d are not the block docrun read: not updated", exp.Span.First, exp.Span.Last)
	}
	text, msg := o.pageText(st, exp.Text, true)
	if msg != "" {
		return nil, msg
	}
	eol := doc.eol(exp.Span.First - 1)
	e := &edit{step: st.Index, from: exp.Span.First, to: exp.Span.Last, text: indent(text, exp.Span.Indent, eol)}
	if e.text == doc.text(e.from, e.to) {
		// The page shows it so already (a similar step).
		return nil, ""
	}
	return e, ""
}

// addEdit adds a fenced block of the step's output after its block: an
// untagged fence, as most pages of the site show output.
func (o Options) addEdit(doc *lines, st *result.StepResult, dir string) (*edit, string) {
	sp := st.Span
	switch {
	case strings.TrimSpace(st.Output()) == "":
		return nil, ""
	case unfit(st) != "":
		return nil, unfit(st) + ": no output block added"
	case st.Source != "":
		return nil, fmt.Sprintf("its block is in %s, not in the page: no output block added", rel(dir, st.Source))
	case sp == nil || sp.End == 0:
		return nil, "its block is not a fenced block of the page's own text (a console transcript, an indented block, a shortcode): no output block added"
	case sp.End > doc.count() || !doc.holds(sp, st.Code):
		return nil, fmt.Sprintf("lines %d-%d are not the block docrun read: no output block added", sp.First, sp.Last)
	}
	text, msg := o.pageText(st, st.Code, false)
	if msg != "" {
		return nil, msg
	}
	eol := doc.eol(sp.End)
	fence := sp.Indent + "```" + eol
	block := blankLine(sp.Indent) + eol + fence + indent(text, sp.Indent, eol) + fence
	if last := doc.line(sp.End); !bytes.HasSuffix(last, []byte("\n")) {
		// The page ends with the fence, without a line end: the fence
		// gets one.
		return &edit{step: st.Index, from: sp.End, to: sp.End, text: string(last) + eol + block, added: true, lead: 3}, ""
	}
	return &edit{step: st.Index, from: sp.End + 1, to: sp.End, text: block, added: true, lead: 2}, ""
}

// unfit says why a step's output, though it passed, is not what the page
// shows the reader: it ran another command than the page's, or did not
// reach the state the page shows.
func unfit(st *result.StepResult) string {
	switch {
	case st.Directives != nil && st.Directives.Replace != "":
		return "it ran the code of its docrun replace directive, not the page's"
	case st.Settle != nil && !st.Settle.Settled:
		return "its output did not reach the state the page shows within the settle time"
	}
	return ""
}

// runs reports whether steps of a kind print output a page shows.
func runs(k markdown.Kind) bool {
	return k == markdown.KindCommand || k == markdown.KindGo || k == markdown.KindClient
}

// rel is path relative to the page's folder dir when it is under it.
func rel(dir, path string) string {
	if r, err := filepath.Rel(dir, path); err == nil && filepath.IsLocal(r) {
		return r
	}
	return path
}

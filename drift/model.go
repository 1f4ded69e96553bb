// Package drift finds where a translated page has drifted from its English
// source: it aligns the steps of the two parsed pages (markdown.Document)
// and compares what matters to running them: code with its comments left
// out, the example file a manifest comes from, the shape of expected output
// (with runner/match, the run's own comparison), and the front matter's
// min-kubernetes-server-version. Prose is not compared: it is translated.
//
// The alignment is a global sequence alignment (Needleman–Wunsch with no
// gap cost) over the two pages' steps, scored by the similarity of their
// normalised code: a step of one page pairs with a step of the other only
// when they are alike enough and the pairing keeps both pages' order. A step
// left unpaired on both sides with the same code is a moved step. The word
// diff of a changed pair is go-difflib's SequenceMatcher over words.
//
// Its JSON form (Result, Report, Pair) is what docrun drift -o json prints.
package drift

import (
	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/result"
)

// State is how a step of the translation stands to the source's.
type State string

// The states of a pair.
const (
	// Same: the pair's code is the same once comments and spacing are left
	// out (Pair.Note says when only those differ).
	Same State = "same"
	// Changed: the pair's code or example file differs (Pair.Diff,
	// Pair.Changes).
	Changed State = "changed"
	// Moved: the same or much the same code at another place in the
	// page's order (Diff and Changes say what changed too, if anything).
	Moved State = "moved"
	// OnlyTranslation: a step the source does not have.
	OnlyTranslation State = "only_translation"
	// OnlySource: a step of the source the translation lacks.
	OnlySource State = "only_source"
)

// Result is the drift of every page docrun drift was given.
type Result struct {
	// Pages are the pages' reports, in the order given (for a folder:
	// most drifted first).
	Pages []*Report `json:"pages"`
}

// Drifted reports whether any page drifted.
func (r *Result) Drifted() bool {
	for _, p := range r.Pages {
		if p.Drifted() {
			return true
		}
	}
	return false
}

// Report is the drift of one translated page from its source.
type Report struct {
	// Translation is the translated page's path, Source its source's.
	Translation string `json:"translation"`
	Source      string `json:"source"`
	// Lang is the translation's language.
	Lang string `json:"lang"`
	// NoSource is set when the source page does not exist: nothing is
	// compared.
	NoSource bool `json:"no_source,omitempty"`
	// Front are the front matter fields that differ.
	Front []FrontChange `json:"front,omitempty"`
	// Pairs are the aligned steps, in the translation's order, a step
	// only in the source where it would be.
	Pairs []Pair `json:"pairs"`
	// Summary counts the pairs.
	Summary Summary `json:"summary"`
	// Ran is set when both pages were run (docrun drift --run) and the
	// pairs carry their outcomes.
	Ran bool `json:"ran,omitempty"`

	// TranslationDoc and SourceDoc are the parsed pages (not in JSON).
	TranslationDoc *markdown.Document `json:"-"`
	SourceDoc      *markdown.Document `json:"-"`
}

// Drifted reports whether a step drifted or a front matter field differs.
func (r *Report) Drifted() bool { return r.Summary.Drifted > 0 || len(r.Front) > 0 }

// FrontChange is a front matter field whose value differs.
type FrontChange struct {
	// Field is the field's name ("min-kubernetes-server-version").
	Field string `json:"field"`
	// Translation and Source are the values as written ("" when absent).
	Translation string `json:"translation"`
	Source      string `json:"source"`
}

// Summary counts a report's pairs: those that did not drift, and those
// that did by state and by what else differs.
type Summary struct {
	// Steps is the number of pairs.
	Steps int `json:"steps"`
	// Same counts the pairs that did not drift (Pair.Drifted).
	Same int `json:"same"`
	// Drifted counts the pairs that drifted; Changed, Moved,
	// OnlyTranslation and OnlySource count them by state.
	Drifted         int `json:"drifted"`
	Changed         int `json:"changed"`
	Moved           int `json:"moved"`
	OnlyTranslation int `json:"only_translation"`
	OnlySource      int `json:"only_source"`
	// OutputDiffers counts drifted pairs whose expected outputs differ in
	// shape.
	OutputDiffers int `json:"output_differs"`
	// OutcomeDiffers counts drifted pairs whose run outcomes differ (with
	// --run).
	OutcomeDiffers int `json:"outcome_differs,omitempty"`
}

// Pair is a step of the translation aligned with a step of the source;
// one of them is nil for a step only in one page.
type Pair struct {
	State State `json:"state"`
	// Translation and Source are the two steps.
	Translation *Ref `json:"translation"`
	Source      *Ref `json:"source"`
	// Similarity is how alike the two steps' normalised code is, from 0 to
	// 1 (the Dice coefficient of their words).
	Similarity float64 `json:"similarity,omitempty"`
	// Note says what differs in a pair that is the same: "only comments
	// differ", "only spacing differs".
	Note string `json:"note,omitempty"`
	// Diff is the word diff (source → translation) of the code of a
	// changed or moved pair whose code differs, comments left out.
	Diff []Edit `json:"diff,omitempty"`
	// Changes name what differs that matters to running: flags, image
	// tags, file names, API versions, versions, the step's kind.
	Changes []Change `json:"changes,omitempty"`
	// Output compares the pair's expected outputs, when either has one.
	Output *OutputCheck `json:"output,omitempty"`
	// Run compares the pair's outcomes (docrun drift --run).
	Run *RunCheck `json:"run,omitempty"`
}

// Drifted reports whether the pair is drift: a state other than Same, an
// expected output of another shape, or another outcome. A pair of text
// steps (or a text step in one page only: a diagram, a config excerpt
// shown, not run) is shown but not drift: nothing of it runs.
func (p *Pair) Drifted() bool {
	if p.textOnly() {
		return false
	}
	return p.State != Same || (p.Output != nil && p.Output.Verdict == result.VerdictDiffers) ||
		(p.Run != nil && p.Run.Differs)
}

// textOnly reports whether the pair's steps are all of kind text.
func (p *Pair) textOnly() bool {
	for _, r := range []*Ref{p.Translation, p.Source} {
		if r != nil && r.Kind != markdown.KindText {
			return false
		}
	}
	return true
}

// Ref is a step of one of the pages.
type Ref struct {
	// Index is the step's index in its page (as docrun list numbers it).
	Index int `json:"index"`
	// Kind is the step's kind.
	Kind markdown.Kind `json:"kind"`
	// Line is the step's line in its page.
	Line int `json:"line"`
	// Code is the step's code.
	Code string `json:"code"`
}

// EditOp is what a word diff does with a run of words.
type EditOp string

// The operations of a word diff.
const (
	Equal  EditOp = "="
	Delete EditOp = "-" // in the source only
	Insert EditOp = "+" // in the translation only
)

// Edit is a run of words of a word diff. Text keeps the code's spacing
// and line breaks between the words.
type Edit struct {
	Op   EditOp `json:"op"`
	Text string `json:"text"`
}

// ChangeKind names what a Change is about.
type ChangeKind string

// The kinds of changes.
const (
	ChangeFlag       ChangeKind = "flag"        // a command's flag or its value
	ChangeImage      ChangeKind = "image"       // a container image or its tag
	ChangeFile       ChangeKind = "file"        // an example file or -f file name
	ChangeAPIVersion ChangeKind = "api_version" // a manifest's apiVersion
	ChangeVersion    ChangeKind = "version"     // a Kubernetes version in the code
	ChangeKindOfStep ChangeKind = "kind"        // the step's kind (command, manifest, ...)
)

// Change is one named difference of a changed pair. Source or Translation
// is "" when the value is only on the other side.
type Change struct {
	Kind ChangeKind `json:"kind"`
	// Name is what the values belong to: the flag ("--replicas"); for
	// an image whose tag changed, its repository ("nginx"); "" otherwise.
	Name        string `json:"name,omitempty"`
	Source      string `json:"source"`
	Translation string `json:"translation"`
}

// OutputCheck compares the expected outputs of a pair.
type OutputCheck struct {
	// Verdict is runner/match's, the worse of comparing each block with
	// the other: match or similar (the same shape), differs; "" when only
	// one step has an expected block (Only says which).
	Verdict result.Verdict `json:"verdict,omitempty"`
	// Diff is match's diff when the shapes differ.
	Diff string `json:"diff,omitempty"`
	// Only is "translation" or "source" when only that step has an
	// expected block. It is not counted as drift: which blocks are read
	// as output depends on the cue sentences of each language.
	Only string `json:"only,omitempty"`
	// TranslationLine and SourceLine are the blocks' lines (0 when absent).
	TranslationLine int `json:"translation_line,omitempty"`
	SourceLine      int `json:"source_line,omitempty"`
}

// RunCheck compares the outcomes of a pair's steps when both pages ran.
type RunCheck struct {
	Translation Outcome `json:"translation"`
	Source      Outcome `json:"source"`
	// Differs is set when their status or verdict differs.
	Differs bool `json:"differs"`
}

// Outcome is a step's status and output verdict in a run.
type Outcome struct {
	Status  result.Status  `json:"status"`
	Verdict result.Verdict `json:"verdict,omitempty"`
}

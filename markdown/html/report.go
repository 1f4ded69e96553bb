// Package html renders a parsed documentation page, with the outcome of
// each of its steps when it ran, to one self-contained HTML file: the page as
// the Kubernetes website shows it (headings with anchors, callouts with
// localised labels, tabs, feature states, code samples), every code block
// highlighted with chroma and annotated with what running it gave, and a
// header with the run's context, counts, failures and a table of contents.
//
// The file needs nothing else: one inlined stylesheet (light and dark
// through prefers-color-scheme), no JavaScript, no fonts, images or other
// resources fetched. Everything that comes from the page or from command
// output is escaped; raw HTML in pages is reduced to an allowlist of inert
// elements and attributes.
//
// Rendering goes through goldmark's renderer with a node renderer
// registered at priority 100, ahead of goldmark's own (1000), as Hugo does
// for code blocks.
package html

import (
	"strings"
	"time"

	"github.com/docrun/docrun/markdown"
)

// Status is a step's outcome as the report shows it.
type Status string

// The statuses a step can have in a report.
const (
	Passed  Status = "passed"
	Failed  Status = "failed"
	Skipped Status = "skipped"
	Timeout Status = "timeout"
	NotRun  Status = "not run"
)

// Outcome is what running one step gave.
type Outcome struct {
	// Step is the step as the runner ran it; Hidden steps (docrun
	// directives, docrun.yaml inserts) are not in the page's prose.
	Step       markdown.Step
	Status     Status
	DurationMS int64
	ExitCode   int
	Stdout     string
	Stderr     string
	// Ran is the code as actually run when it differs from the page's.
	Ran      string
	Bindings []Binding
	// Verdict compares the output with the page's expected output
	// ("match", "similar", "differs", "none"); Diff explains it.
	Verdict    string
	Diff       string
	SkipReason string
	// Note says how docrun ran the step differently from the page's text,
	// or judged it as a reader would ("failed as the page expects",
	// "settled after 4 s, 3 tries").
	Note string
	// Created are the files docrun wrote in the working folder right
	// before the step ran (names of the page's Document.Files).
	Created []string
	// Stale is set on a step whose code changed after it ran (docrun serve
	// and watch): its outcome was cleared.
	Stale bool
}

// Binding is a value given to a placeholder of a step.
type Binding struct {
	Name, Value, Source string
	// Description says where the value comes from in words.
	Description string
}

// Run describes the run a report comes from.
type Run struct {
	// Context, Server, Version and Namespace are the cluster's.
	Context    string
	Server     string
	Version    string
	Namespace  string
	Started    time.Time
	DurationMS int64
	// Leaks are cluster-scoped objects the page left behind.
	Leaks []string
	// Notes are things a reader of the report should know.
	Notes []string
	// Missing are what the page needs that the cluster lacks, one line
	// each (the reason and the steps skipped for it).
	Missing []string
	// Error is set when the page could not be run.
	Error string
}

// Report is one page to render.
type Report struct {
	// Page is the parsed page; nil when it could not be read, in which
	// case the steps are rendered from Doc and Outcomes alone.
	Page *markdown.Page
	// Doc is the page's document: Page.Doc, or the one saved in a result.
	Doc *markdown.Document
	// Site gives localised labels (note, caution, ...); nil uses docrun's
	// built-in strings.
	Site *markdown.Site
	// Outcomes are the steps' outcomes in run order; nil when the page was
	// not run (every step shows "not run").
	Outcomes []Outcome
	// Run is the run's context; nil when the page was not run.
	Run *Run
	// Generator names docrun and its version, for the header and footer.
	Generator string
	// Now is when the report was made (the zero time leaves it out).
	Now time.Time
	// Live, when set, makes the report a page of docrun serve.
	Live *Live
}

// Live makes a report a page of docrun serve: each step that can run gets
// a form with Run and "Run from here" buttons, the header a Reset form and
// the session's state, and the page loads one script, which streams the
// output of a running step and reloads the page when it changes. Without
// the script the forms still work (the server answers with a redirect).
type Live struct {
	// Action is the URL the steps' forms post to, with fields step (the
	// step's position in Outcomes), do ("run", "from", or "edited" with the
	// reader's version of the code in field code).
	Action string
	// Reset is the URL the Reset form posts to.
	Reset string
	// Fields are hidden fields every form carries (name, value pairs).
	Fields [][2]string
	// Script is the URL of the page's script; Events of its event stream.
	Script, Events string
	// Index is the URL of the index of pages.
	Index string
	// Session says what the page's session is ("no session yet", ...).
	Session string
	// Error is shown above the page (a parse error of an edited page).
	Error string
	// Running is the position in Outcomes of the step running now, or -1.
	Running int
	// Placeholders are, by position in Outcomes, the placeholders of the
	// step the reader may give a value to: the form has a field
	// "set.NAME" for each.
	Placeholders map[int][]Binding
}

// Counts are a report's step outcomes.
type Counts struct {
	Steps, Passed, Failed, Skipped, Timeout, NotRun int
}

// Add counts one status.
func (c *Counts) Add(s Status) {
	c.Steps++
	switch s {
	case Passed:
		c.Passed++
	case Failed:
		c.Failed++
	case Skipped:
		c.Skipped++
	case Timeout:
		c.Timeout++
	default:
		c.NotRun++
	}
}

// Counts counts the report's steps: the outcomes, and the page's steps
// that have none as not run.
func (r *Report) Counts() Counts {
	p := planSteps(r)
	return p.counts()
}

// Title is the page's title, or its path when it has none.
func (r *Report) Title() string {
	d := r.doc()
	if t := strings.TrimSpace(d.Title); t != "" {
		return t
	}
	return d.Path
}

// Document is the page's document: Doc, or Page.Doc.
func (r *Report) Document() *markdown.Document { return r.doc() }

func (r *Report) doc() *markdown.Document {
	switch {
	case r.Doc != nil:
		return r.Doc
	case r.Page != nil:
		return r.Page.Doc
	}
	return &markdown.Document{}
}

func (r *Report) site() *markdown.Site {
	if r.Site != nil {
		return r.Site
	}
	return &markdown.Site{}
}

func (o *Outcome) status() Status {
	if o.Status == "" {
		return NotRun
	}
	return o.Status
}

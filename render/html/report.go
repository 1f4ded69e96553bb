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
	"html/template"
	"strings"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/result"
)

// Report is one page to render.
type Report struct {
	// Page is the parsed page; nil when it could not be read, in which
	// case the steps are rendered from Doc and Result alone.
	Page *markdown.Page
	// Doc is the page's document: Page.Doc, or the one saved in a result.
	Doc *markdown.Document
	// Site gives localised labels (note, caution, ...); nil uses docrun's
	// built-in strings.
	Site *markdown.Site
	// Result is the page's run: its steps' outcomes in run order and the
	// run's context. nil, or Steps nil, when the page was not run (every
	// step shows "not run"; Error and Notes are still shown).
	Result *result.PageResult
	// Generator names docrun and its version, for the header and footer.
	Generator string
	// Now is when the report was made (the zero time leaves it out).
	Now time.Time
	// Controls, when set, make the report a page a person acts on (the
	// forms and script of docrun serve).
	Controls Controls
}

// Controls are what a front-end adds to a report to make it a page a
// person acts on (docrun serve: forms that run steps, a script that
// streams their output). Render writes a static report without them. The
// HTML they return is the front-end's, built with html/template.
type Controls interface {
	// CSP is the page's Content-Security-Policy (in place of CSP).
	CSP() string
	// Head ends the page's <head>, in place of the report's title; title
	// is the page's title.
	Head(title string) template.HTML
	// Header begins the page's header, in place of the report's crumb.
	Header() template.HTML
	// Step follows the head of each step that can run; pos is its
	// position in Result.Steps.
	Step(pos int, st *result.StepResult) template.HTML
	// Running says whether the step at position pos is running now.
	Running(pos int) bool
	// Footer is the text of the page's footer; generator names docrun.
	Footer(generator string) template.HTML
}

// Counts are a report's step outcomes.
type Counts struct {
	Steps, Passed, Failed, Skipped, Timeout, NotRun int
}

// Add counts one status.
func (c *Counts) Add(s result.Status) {
	c.Steps++
	switch s {
	case result.Passed:
		c.Passed++
	case result.Failed:
		c.Failed++
	case result.Skipped:
		c.Skipped++
	case result.Timeout:
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

// Ran reports whether the report shows a run.
func (r *Report) Ran() bool { return r.Result != nil && r.Result.Steps != nil }

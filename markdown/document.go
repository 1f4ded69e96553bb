// Package markdown turns a Kubernetes website page (Hugo-flavoured markdown
// with front matter, shortcodes, includes and example files) into a Document:
// its front matter, its sections and the ordered steps a runner can execute.
//
// The page is read once: shortcodes are expanded the way Hugo expands them
// (before markdown), the result is parsed once with goldmark, and the AST is
// walked to find code blocks and the prose around them. Every step keeps the
// 1-based line of the page it came from.
package markdown

import "strings"

// Kind says what a step is and how a runner treats it.
type Kind string

// The kinds of steps.
const (
	// KindCommand is shell code a reader types into a terminal.
	KindCommand Kind = "command"
	// KindGo is a Go program or fragment.
	KindGo Kind = "go"
	// KindClient is a program in another client library's language
	// (python, java, csharp, javascript, haskell, ...).
	KindClient Kind = "client"
	// KindManifest is a Kubernetes object in YAML or JSON, or an embedded
	// example file.
	KindManifest Kind = "manifest"
	// KindText is a block not meant to run (config excerpts, other
	// platforms' shells, ...). Its Reason says why.
	KindText Kind = "text"
)

// Document is a parsed page. Its JSON form is a contract shared with the
// runner, the report and CI tools.
type Document struct {
	// Path is the page's path as given.
	Path string `json:"path"`
	// Title is the front matter's title.
	Title string `json:"title"`
	// Lang is the page's language, from its place under content/<lang>/.
	Lang string `json:"lang"`
	// Front is the page's front matter.
	Front Front `json:"front"`
	// Sections are the page's headings in order.
	Sections []Section `json:"sections"`
	// Steps are the page's code blocks in order, expected-output blocks
	// attached to the step they belong to.
	Steps []Step `json:"steps"`
	// Files are the files the page tells the reader to create from its
	// blocks, each with the steps that read it: a runner writes them in
	// the page's working folder before those steps (see File).
	Files []File `json:"files,omitempty"`
	// Setups are the sections of other pages of the site the page has the
	// reader follow first (see Setup).
	Setups []Setup `json:"setups,omitempty"`
	// Warnings are non-fatal findings (unknown shortcodes, ...), each with
	// the page's file:line.
	Warnings []string `json:"warnings,omitempty"`
}

// Section is a heading of the page.
type Section struct {
	// Level is 1 to 6.
	Level int `json:"level"`
	// ID is the heading's anchor: the explicit {#id} or one generated from
	// the text as Hugo does.
	ID string `json:"id"`
	// Title is the heading's text with shortcodes evaluated.
	Title string `json:"title"`
	// Line is the 1-based line of the heading in the page.
	Line int `json:"line"`
	// Role is the site convention the heading stands for ("prerequisites",
	// "whatsnext", "objectives", "cleanup", ...), from a heading shortcode.
	Role string `json:"role,omitempty"`
}

// Step is one code block of a page.
type Step struct {
	// Index is the step's 0-based position among the page's steps.
	Index int `json:"index"`
	// Line is the 1-based line of the block's opening fence (or first
	// line) in the page; for a command of a console transcript, the line of
	// the command; for included or embedded content, the line of the
	// shortcode that brought it in.
	Line int `json:"line"`
	// Kind is what the step is.
	Kind Kind `json:"kind"`
	// Lang is the block's language tag as written ("" when untagged).
	Lang string `json:"lang"`
	// Code is the block's content with shortcodes expanded; for a console
	// transcript, one command (or commands typed one after the other with
	// no output between) without its prompts.
	Code string `json:"code"`
	// Section is the title of the nearest heading above the step.
	Section string `json:"section"`
	// SectionID is that heading's anchor.
	SectionID string `json:"section_id,omitempty"`
	// Tab is the name of the tab the step's block is in (the innermost
	// one, from the tabs shortcode's name="..."); empty outside tabs. In a
	// tab set of alternatives (operating systems, shells, processors,
	// package managers, clouds, ...) docrun runs one tab, the one that fits
	// this machine (Linux, bash, its processor; else the first); a step in
	// another tab is not runnable, with Reason "alternative to the «Linux»
	// tab".
	Tab string `json:"tab,omitempty"`
	// Part is the part of the page the step is in, from the site's
	// section comments (<!-- overview -->, <!-- steps -->,
	// <!-- discussion -->) or a role heading ("prerequisites", "cleanup").
	Part string `json:"part,omitempty"`
	// Runnable says whether a runner may execute the step as it is.
	Runnable bool `json:"runnable"`
	// Reason says why a step is not runnable or is of kind text.
	Reason string `json:"reason"`
	// Background is set for a command that leaves a process running
	// (a line ending in &).
	Background bool `json:"background"`
	// Interactive is set for a command that waits for a person
	// (exec -it, kubectl edit, --watch, a blocking proxy, ...).
	Interactive bool `json:"interactive"`
	// Network is set for a command that needs the internet.
	Network bool `json:"network"`
	// Host is set for a command that changes the reader's machine
	// (sudo, systemctl, kubeadm, package managers, ...).
	Host bool `json:"host"`
	// Placeholders are the names of values a reader must supply, without
	// angle brackets, in order of appearance.
	Placeholders []string `json:"placeholders"`
	// AnyOne is set when the prose around the block lets the reader type
	// the name of any one of several objects ("one of your Pods"): a
	// runner may bind its placeholders to any object that fits.
	AnyOne bool `json:"any_one,omitempty"`
	// Credentials are the placeholders in the data of a Secret the step
	// writes, which the reader makes up a value for (see Credential).
	Credentials []Credential `json:"credentials,omitempty"`
	// Replaces are the literal values of the step the page tells the
	// reader to replace with the output of an earlier command (see
	// Replacement).
	Replaces []Replacement `json:"replaces,omitempty"`
	// Expected is the expected output shown after the step, or nil: a
	// block a cue sentence introduces as output or that reads as output,
	// or the lines after a command in a console transcript.
	Expected *Expected `json:"expected"`
	// Fails is set when the page expects the command to fail: its
	// expected output is an error (Error from server (Forbidden): ...,
	// error: ..., The Pod "x" is invalid: ...), or a sentence announces
	// the failure ("then you get an error:", 「失敗します」). A runner
	// passes such a step when it fails with an error of that kind.
	Fails *Failure `json:"fails,omitempty"`
	// File is the example file an embedded manifest came from
	// (content/<lang>/examples/<File>).
	File string `json:"file,omitempty"`
	// Source is the file the block was read from when it is not the page
	// itself (an include or an example file).
	Source string `json:"source,omitempty"`
	// Hidden is set for a step written inside a docrun directive comment:
	// runners execute it, readers do not see it.
	Hidden bool `json:"hidden,omitempty"`
	// Setup is set on a step a runner adds before the page's steps because
	// the page has the reader follow a link to another page's section
	// first (see Setup): "page#section", the section it comes from.
	Setup string `json:"setup,omitempty"`
	// Target is where the step's commands run when not in the reader's
	// own shell (inside a container, on a node), or nil.
	Target *Target `json:"target,omitempty"`
	// Directives are the docrun directives that apply to the step.
	Directives *Directives `json:"directives,omitempty"`
	// Objects are what the step's kubectl commands do with objects: the
	// objects each makes, deletes or reads, from its arguments and the
	// manifests the page gives (see ObjectUse); for command steps.
	Objects []ObjectUse `json:"objects,omitempty"`
	// Recreates is set on a command that creates (kubectl create, run)
	// only objects that earlier steps created and no step deleted since:
	// the page shows another way to make them. A runner skips it when
	// one of those steps passed.
	Recreates *Recreates `json:"recreates,omitempty"`
	// Span is where the fenced block's code is in the page file, for a
	// tool that edits the page (docrun run --update); nil for a command of
	// a console transcript and for text that is not the page's own (see
	// Span).
	Span *Span `json:"span,omitempty"`
}

// alternativeReason starts the Reason of a step in a tab that is an
// alternative to the tab docrun runs.
const alternativeReason = "alternative to the "

// Alternative reports whether the step is in a tab docrun does not run
// because another tab of its set fits this machine (see Tab).
func (s *Step) Alternative() bool {
	return s.Tab != "" && !s.Runnable && strings.HasPrefix(s.Reason, alternativeReason)
}

// Expected is an expected-output block attached to a step.
type Expected struct {
	// Line is the 1-based line of the block in the page (of its first
	// output line, in a console transcript).
	Line int `json:"line"`
	// Lang is the block's language tag.
	Lang string `json:"lang"`
	// Text is the block's content.
	Text string `json:"text"`
	// Span is where Text is in the page file: the block's content lines,
	// or a transcript's output lines from the first to the last that is
	// not blank. It is nil when the text is not the page's own bytes (an
	// include, an example file, a shortcode inside the block).
	Span *Span `json:"span,omitempty"`
}

// Span is where a block's text is in the page file, line by line, for a
// tool that rewrites it there (docrun run --update). It is set only when
// every line of the text is the page's own, copied byte for byte: no
// include, example file or shortcode in between.
type Span struct {
	// First and Last are the 1-based lines of the page the text is on;
	// Last is First-1 for an empty block.
	First int `json:"first"`
	Last  int `json:"last"`
	// Indent is what comes before the text on its lines in the page and
	// is not part of it: a list item's indentation, a fence's, a block
	// quote's "> ".
	Indent string `json:"indent,omitempty"`
	// End is the line of the block's closing fence, 0 when it has none
	// (an indented block, a transcript, a fence left open at the end).
	End int `json:"end,omitempty"`
}

// Directives are the instructions for docrun written in a page as HTML
// comments (<!-- docrun ... -->) before a block.
type Directives struct {
	// Skip tells runners not to run the step.
	Skip bool `json:"skip,omitempty"`
	// SkipReason is the reason given with skip.
	SkipReason string `json:"skip_reason,omitempty"`
	// Timeout is the step's timeout as written (a Go duration, "5m").
	Timeout string `json:"timeout,omitempty"`
	// Output is how expected output is compared: "exact", "similar",
	// or "ignore".
	Output string `json:"output,omitempty"`
	// Replace is a non-interactive substitute for the step's code.
	Replace string `json:"replace,omitempty"`
	// Line is the 1-based line of the directive in the page.
	Line int `json:"line"`
}

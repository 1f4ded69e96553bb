// Package walk is docrun walk: a terminal walkthrough of a page. Each step
// is shown with its section, the prose before it and its highlighted code;
// the reader runs, skips, edits or re-runs steps one line of input at a
// time, on a runner.PageSession that keeps the session semantics of docrun
// run (namespace, kubeconfig copy, one bash, cleanup at the end).
package walk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/runner"

	"github.com/docrun/docrun/result"
)

// Options configure a walkthrough.
type Options struct {
	// In is where the reader's keys come from, a line at a time.
	In io.Reader
	// Keys, when set, is the terminal In reads: the step prompt then takes
	// one key without Enter (raw mode); placeholder values are still lines.
	Keys *os.File
	// Out receives the walkthrough. It should be where the Runner's
	// Events print (a terminal.Printer, Live), so that step output
	// appears in order.
	Out io.Writer
	// Width is the terminal's width in columns (80 when 0).
	Width int
	// Color highlights code and headings with ANSI escapes; Style and
	// Formatter name chroma's style and terminal formatter ("monokai",
	// "terminal256" by default).
	Color     bool
	Style     string
	Formatter string
	// Edit opens a file in the reader's editor and waits for it;
	// RunEditor with $EDITOR (vi by default) when nil.
	Edit func(path string) error
}

// ErrQuit is returned by Walk when the reader quit before the last step.
var ErrQuit = errors.New("quit")

// walker is the state of one walkthrough.
type walker struct {
	o       Options
	ps      *runner.PageSession
	page    *markdown.Page
	in      *lines
	last    int    // the step run last, or -1
	lastRun string // the edited code it ran, if any
	section string
	started time.Time
}

// Walk walks the reader through the session's page and prints a summary
// at the end. It returns ErrQuit when the reader quit, the context's error
// when it was cancelled, and nil when every step was passed. It does not
// close the session.
func Walk(ctx context.Context, ps *runner.PageSession, o Options) error {
	if o.Width <= 0 {
		o.Width = 80
	}
	if o.Edit == nil {
		o.Edit = RunEditor
	}
	w := &walker{o: o, ps: ps, page: ps.Page(), in: newLines(o.In), last: -1, started: time.Now()}
	err := w.walk(ctx)
	w.summary()
	return err
}

func (w *walker) walk(ctx context.Context) error {
	steps := w.ps.Steps()
	if r := w.ps.Result(); r.Title != "" {
		w.printf("%s\n", w.bold(r.Title))
	}
	for i := range steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := w.step(ctx, i); err != nil {
			return err
		}
	}
	return nil
}

// step shows step i and acts on the reader's keys until it has run, was
// skipped or passed over.
func (w *walker) step(ctx context.Context, i int) error {
	st := w.ps.Steps()[i]
	w.show(i, st)
	if why := passOver(st); why != "" {
		w.ps.Skip(i, why)
		w.printf("  passed over: %s\n", why)
		return nil
	}
	for {
		w.printf("%s", w.prompt())
		line, err := w.key(ctx)
		if err != nil {
			w.printf("\n")
			if errors.Is(err, io.EOF) {
				return ErrQuit
			}
			return err
		}
		switch key := strings.ToLower(strings.TrimSpace(line)); key {
		case "", "y", "run":
			w.run(ctx, i, "")
			return nil
		case "s", "skip":
			w.ps.Skip(i, "skipped by the reader")
			w.printf("  skipped\n")
			return nil
		case "e", "edit":
			code, err := w.edit(st)
			if err != nil {
				w.printf("  edit: %s\n", err)
				continue
			}
			if strings.TrimSpace(code) == "" {
				w.printf("  the edited command is empty; nothing was run\n")
				continue
			}
			w.printf("  running the edited command:\n%s", w.code(code, st.Lang))
			w.run(ctx, i, code)
			return nil
		case "r", "rerun", "re-run":
			if w.last < 0 {
				w.printf("  no step has run yet\n")
				continue
			}
			w.printf("  re-running step %d\n", w.last+1)
			w.run(ctx, w.last, w.lastRun)
		case "q", "quit":
			return ErrQuit
		default:
			w.printf("  %s\n", help)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// key reads the reader's choice at the step prompt: one key on a
// terminal (echoed), a line otherwise.
func (w *walker) key(ctx context.Context) (string, error) {
	if w.o.Keys == nil {
		return w.in.read(ctx)
	}
	k, err := readKey(ctx, w.o.Keys)
	if err == nil {
		echo := k
		if k == "" {
			echo = "run"
		}
		w.printf("%s\n", echo)
	}
	return k, err
}

const help = "Enter runs the step, s skips it, e edits it in $EDITOR, r re-runs the last step, q quits."

func (w *walker) prompt() string {
	p := "[Enter] run  [s]kip  [e]dit  [r]e-run last  [q]uit > "
	if displayWidth(p) > w.o.Width {
		p = "Enter/s/e/r/q > "
	}
	return p
}

// passOver returns why the reader is not asked about a step: it is not
// code to run (text, a manifest), the page or a directive says to skip
// it, or it is interactive without a substitute.
func passOver(st *result.StepResult) string {
	replaced := st.Directives != nil && st.Directives.Replace != ""
	switch {
	case st.Kind == markdown.KindManifest:
		return "a manifest, shown for reading; " + reasonOr(st.Reason, "not run")
	case st.Kind == markdown.KindText:
		return reasonOr(st.Reason, "text, not run")
	case st.Directives != nil && st.Directives.Skip:
		return reasonOr(st.Directives.SkipReason, reasonOr(st.Reason, "skipped by a docrun directive"))
	case !st.Runnable && !replaced:
		return reasonOr(st.Reason, "not runnable")
	}
	return ""
}

func reasonOr(r, def string) string {
	if r != "" {
		return r
	}
	return def
}

// run binds the step's unbound placeholders, then runs it; its output and
// outcome are printed by the session as they happen.
func (w *walker) run(ctx context.Context, i int, code string) {
	if err := w.bind(ctx, i); err != nil {
		return
	}
	if _, err := w.ps.Run(i, code); err != nil {
		w.printf("  %s\n", err)
		return
	}
	w.last, w.lastRun = i, code
}

// bind asks for a value for each placeholder of step i that has none,
// offering a related binding as the default, and shows the automatic
// values the step uses.
func (w *walker) bind(ctx context.Context, i int) error {
	st := w.ps.Steps()[i]
	binds := w.ps.Bindings()
	unbound := map[string]bool{}
	for _, n := range w.ps.Unbound(i) {
		unbound[n] = true
	}
	for _, n := range st.Placeholders {
		if b, ok := binds[n]; ok && !unbound[n] {
			w.printf("  <%s> = %s (%s)\n", n, b.Value, b.Source)
		}
	}
	for _, n := range w.ps.Unbound(i) {
		def := suggest(n, binds)
		if def != "" {
			w.printf("  value for <%s> [%s]: ", n, def)
		} else {
			w.printf("  value for <%s>: ", n)
		}
		line, err := w.in.read(ctx)
		if err != nil {
			w.printf("\n")
			return err
		}
		v := strings.TrimSpace(line)
		if v == "" {
			v = def
		}
		if v != "" {
			w.ps.Bind(n, v)
			binds = w.ps.Bindings()
		}
	}
	return nil
}

// edit writes the step's code to a temporary file, opens it in the editor
// and returns what the reader saved.
func (w *walker) edit(st *result.StepResult) (string, error) {
	code := st.Code
	if st.Directives != nil && st.Directives.Replace != "" {
		code = st.Directives.Replace
	}
	f, err := os.CreateTemp("", "docrun-step-*"+extension(st.Lang))
	if err != nil {
		return "", err
	}
	path := f.Name()
	defer os.Remove(path)
	_, err = f.WriteString(code)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	if err := w.o.Edit(path); err != nil {
		return "", err
	}
	data, err := os.ReadFile(path)
	return string(data), err
}

func extension(lang string) string {
	switch lang {
	case "go":
		return ".go"
	case "python", "py":
		return ".py"
	case "javascript", "js":
		return ".js"
	}
	return ".sh"
}

// summary prints the outcome of the steps, like docrun run's summary.
func (w *walker) summary() {
	var passed, failed, skipped, timeout, notRun int
	steps := w.ps.Steps()
	for _, st := range steps {
		switch st.Status {
		case result.Passed:
			passed++
		case result.Failed:
			failed++
		case result.Timeout:
			timeout++
		case result.Skipped:
			skipped++
		default:
			notRun++
		}
	}
	s := fmt.Sprintf("summary: %d steps: %d passed, %d failed, %d skipped, %d timeout", len(steps), passed, failed, skipped, timeout)
	if notRun > 0 {
		s += fmt.Sprintf(", %d not reached", notRun)
	}
	w.printf("%s (%.1fs)\n", s, time.Since(w.started).Seconds())
}

// OK reports whether no step of the session failed or timed out.
func OK(ps *runner.PageSession) bool {
	for _, st := range ps.Steps() {
		if st.Status == result.Failed || st.Status == result.Timeout {
			return false
		}
	}
	return true
}

func (w *walker) printf(format string, args ...any) {
	fmt.Fprintf(w.o.Out, format, args...)
}

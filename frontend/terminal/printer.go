// Package terminal is the terminal front-end of a run: Printer shows
// docrun run's progress (a line per step, the output of a failed one, a
// summary per page, leaks) and, when Live, each step's output as it
// happens. walk and watch --rerun print their steps with it too.
package terminal

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/result"
	"github.com/docrun/docrun/runner"
	"github.com/docrun/docrun/runner/match"
	"github.com/docrun/docrun/runner/redact"
)

// Printer prints a run's events to Out. It is safe for pages run in
// parallel: it writes one event at a time.
type Printer struct {
	// Out receives the lines.
	Out io.Writer
	// Live shows each step's output as it happens, under a line naming
	// the step, and its outcome after it; otherwise a step gets one line
	// when it ends, with its output when it failed.
	Live bool
	// DryRun prints each step's code as it would run, and no summary.
	DryRun bool
	// Redactor hides the secrets known when a line is printed (the step
	// output it is given is redacted already); nil hides nothing.
	Redactor *redact.Redactor
	// OnWriteError is called with the first error writing to Out (a
	// closed pipe: docrun run … | head); nil ignores it.
	OnWriteError func(error)

	mu      sync.Mutex
	failed  bool // a write to Out failed
	started map[*result.PageResult]bool
	open    bool // a live step's output has a line not ended yet
}

var _ runner.Events = (*Printer)(nil)

// PageStarted prints the page's line.
func (p *Printer) PageStarted(pr *result.PageResult) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.started == nil {
		p.started = map[*result.PageResult]bool{}
	}
	p.started[pr] = true
	p.printf("page %s  (%s, %d steps)\n", pr.Path, pr.Title, len(pr.Steps))
}

// Notice prints a line under the page.
func (p *Printer) Notice(_ *result.PageResult, text string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.printf("  %s\n", text)
}

// StepStarted names a step about to run, when its output is shown live.
func (p *Printer) StepStarted(pr *result.PageResult, i int) {
	if !p.Live {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	st := pr.Steps[i]
	p.printf("  %s %s:%d  %s\n", counter(i, len(pr.Steps)), shortPath(pr.Path), st.Line, markdown.FirstLine(st.Code, 70))
}

// StepOutput shows a step's output, indented, when Live.
func (p *Printer) StepOutput(_ *result.PageResult, _ int, _ bool, text []byte) {
	if !p.Live || len(text) == 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	var b strings.Builder
	for _, c := range text {
		if !p.open {
			b.WriteString("      ")
			p.open = true
		}
		b.WriteByte(c)
		p.open = c != '\n'
	}
	p.write(b.String())
}

// StepEnded prints a step's outcome: one line, and the output of a failed
// step unless it was shown live; in a dry run, the code as it would run.
func (p *Printer) StepEnded(pr *result.PageResult, i int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.endLine()
	st := pr.Steps[i]
	extra := ""
	switch {
	case st.Status == result.Skipped:
		extra = " — " + st.SkipReason
	case st.Verdict != "" && st.Verdict != match.None:
		extra = ", output " + string(st.Verdict)
	}
	if st.Note != "" && st.Status != result.Skipped {
		extra += " — " + st.Note
	}
	dur := ""
	if st.Status != result.Skipped {
		dur = fmt.Sprintf(" %.2fs", float64(st.DurationMS)/1000)
		if st.ExitCode != 0 {
			dur += fmt.Sprintf(" (exit %d)", st.ExitCode)
		}
	}
	live := p.Live && st.Status != result.Skipped
	if live {
		p.printf("      => %s%s%s\n", st.Status, dur, extra)
	} else {
		first := markdown.FirstLine(st.Code, 60)
		switch {
		case st.Setup != "":
			first = "(setup " + st.Setup + ") " + first
		case st.Hidden:
			first = "(hidden) " + first
		}
		p.printf("  %s %s%s  %s:%d  %s%s\n", counter(i, len(pr.Steps)), st.Status, dur, shortPath(pr.Path), st.Line, first, extra)
	}
	for _, name := range st.Created {
		p.printf("      + %s created by docrun\n", name)
	}
	if (st.Status == result.Failed || st.Status == result.Timeout) && !live {
		if s := strings.TrimRight(st.Stdout, "\n"); s != "" {
			p.printf("%s", indent(s, "      | "))
		}
		if s := strings.TrimRight(st.Stderr, "\n"); s != "" {
			p.printf("%s", indent(s, "      ! "))
		}
	}
	if st.Verdict == match.Differs && st.Diff != "" {
		p.printf("%s", indent(st.Diff, "      ~ "))
	}
	if p.DryRun && st.SkipReason == runner.DryRun {
		code := st.Ran
		if code == "" {
			code = st.Code
		}
		p.printf("%s", indent(code, "        $ "))
	}
}

// PageEnded prints the page's summary, or why it did not run.
func (p *Printer) PageEnded(pr *result.PageResult) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.endLine()
	started := p.started[pr]
	delete(p.started, pr)
	switch {
	case !started:
		p.printf("%s\n", pr.Error)
		return
	case pr.Error != "":
		p.printf("  %s\n", pr.Error)
		return
	case p.DryRun:
		return
	}
	var s result.Summary
	s.Add(pr)
	p.printf("  %d steps: %d passed, %d failed, %d skipped, %d timeout (%.1fs)\n", s.Steps, s.Passed, s.Failed, s.Skipped, s.Timeout,
		float64(pr.DurationMS)/1000)
	for _, m := range pr.Missing {
		p.printf("  the cluster lacks %s\n", m)
	}
}

// Leaks prints the cluster-scoped objects a page or the run left.
func (p *Printer) Leaks(pr *result.PageResult, leaks []string, deleted bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	verb := "left behind"
	if deleted {
		verb = "deleted"
	}
	by := ""
	if pr == nil {
		by = " (by the pages run in parallel)"
	}
	for _, l := range leaks {
		p.printf("  cluster-scoped object %s%s: %s\n", verb, by, l)
	}
}

// printf prints a line, redacted; the caller holds mu.
func (p *Printer) printf(format string, args ...any) {
	p.write(p.Redactor.String(fmt.Sprintf(format, args...)))
}

// write writes s to Out and reports its first error; the caller holds mu.
func (p *Printer) write(s string) {
	if _, err := io.WriteString(p.Out, s); err != nil && !p.failed {
		p.failed = true
		if p.OnWriteError != nil {
			p.OnWriteError(err)
		}
	}
}

// endLine ends a live output line left open; the caller holds mu.
func (p *Printer) endLine() {
	if p.open {
		p.write("\n")
		p.open = false
	}
}

// counter is a step's "[i/total]", its number padded to total's width.
func counter(i, total int) string {
	return fmt.Sprintf("[%*d/%d]", len(fmt.Sprint(total)), i+1, total)
}

func indent(s, prefix string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString(prefix + l + "\n")
	}
	return b.String()
}

// shortPath is p relative to the working folder when it is under it.
func shortPath(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, ok := strings.CutPrefix(p, wd+"/"); ok {
			return rel
		}
	}
	return p
}

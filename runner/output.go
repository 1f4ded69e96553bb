package runner

import (
	"fmt"
	"io"
	"strings"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/runner/redact"
	"github.com/docrun/docrun/runner/session"

	"github.com/docrun/docrun/result"
)

// stepOutput routes a step's output as it is produced: to where it is
// shown live (a live session's writers, or the progress writer), through
// one redacting Stream for stdout and stderr together, and into a
// Transcript from which the saved output is redacted at the end of the
// step, when the step's own secrets are known too.
type stepOutput struct {
	rec    *redact.Transcript // nil without a Redactor
	stream *redact.Stream     // nil when nothing is shown live
	term   *indentWriter      // the progress writer's, or nil
}

// output returns the step's stepOutput and the writers to give its
// executor.
func (pr *pageRun) output(i, total int, st *result.StepResult) (*stepOutput, session.Output) {
	red := pr.r.Opts.Redactor
	o := &stepOutput{}
	var sinks []io.Writer
	switch {
	case pr.live != nil:
		sinks = []io.Writer{pr.live.Stdout, pr.live.Stderr}
	case pr.r.Opts.Live && pr.r.Opts.Progress != nil:
		o.term = &indentWriter{r: pr.r, prefix: "      ", bol: true}
		sinks = []io.Writer{o.term}
		pr.r.printf("  [%*d/%d] %s:%d  %s\n", len(fmt.Sprint(total)), i+1, total, shortPath(pr.res.Path), st.Line, markdown.FirstLine(st.Code, 70))
	}
	var w [2]io.Writer
	if sinks != nil {
		o.stream = red.NewStream(sinks...)
		w = [2]io.Writer{o.stream.Source(0), o.stream.Source(1)}
	}
	if red != nil {
		o.rec = &redact.Transcript{}
		for i := range w {
			if w[i] == nil {
				w[i] = o.rec.Source(i)
			} else {
				w[i] = io.MultiWriter(o.rec.Source(i), w[i])
			}
		}
	}
	return o, session.Output{Stdout: w[0], Stderr: w[1]}
}

// end writes what the live output still holds.
func (o *stepOutput) end() {
	if o.stream != nil {
		o.stream.Flush()
	}
	if o.term != nil {
		o.term.end()
	}
}

// redacted returns the step's saved output, redacted: the output as it was
// produced redacted as one text with every value known now, and what the
// executor added to it without writing it live redacted apart.
func (o *stepOutput) redacted(red *redact.Redactor, stdout, stderr string) (string, string) {
	if o.rec == nil {
		return red.String(stdout), red.String(stderr)
	}
	raw0, raw1 := o.rec.Raw(0), o.rec.Raw(1)
	if !strings.HasPrefix(stdout, raw0) || !strings.HasPrefix(stderr, raw1) {
		return red.String(stdout), red.String(stderr)
	}
	so, se := o.rec.Redact(red)
	return so + red.String(stdout[len(raw0):]), se + red.String(stderr[len(raw1):])
}

// indentWriter writes a step's live output, redacted already, to the
// progress writer, each line indented. The Stream in front of it makes
// one write at a time.
type indentWriter struct {
	r      *Runner
	prefix string
	bol    bool // at the beginning of a line
}

func (w *indentWriter) Write(p []byte) (int, error) {
	var b strings.Builder
	for _, c := range p {
		if w.bol {
			b.WriteString(w.prefix)
			w.bol = false
		}
		b.WriteByte(c)
		w.bol = c == '\n'
	}
	w.r.write(b.String())
	return len(p), nil
}

// end ends the last line.
func (w *indentWriter) end() {
	if !w.bol {
		w.r.write("\n")
		w.bol = true
	}
}

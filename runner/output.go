package runner

import (
	"io"
	"strings"

	"github.com/docrun/docrun/runner/redact"
	"github.com/docrun/docrun/runner/session"
)

// stepOutput routes a step's output as it is produced: to where it is
// shown live (a live session's writers, else the run's StepOutput events),
// through one redacting Stream for stdout and stderr together, and into a
// Transcript from which the saved output is redacted at the end of the
// step, when the step's own secrets are known too.
type stepOutput struct {
	rec    *redact.Transcript // nil without a Redactor
	stream *redact.Stream     // nil when nothing is shown live
}

// output returns the step's stepOutput and the writers to give its
// executor.
func (pr *pageRun) output(i int) (*stepOutput, session.Output) {
	red := pr.r.Opts.Redactor
	o := &stepOutput{}
	var sinks []io.Writer
	switch {
	case pr.live != nil:
		sinks = []io.Writer{pr.live.Stdout, pr.live.Stderr}
	case pr.r.Opts.Events != nil:
		ev := pr.r.Opts.Events
		sinks = []io.Writer{outputWriter{ev, pr.res, i, false}, outputWriter{ev, pr.res, i, true}}
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

package runner

import (
	"github.com/docrun/docrun/result"
)

// Events receives a run as it happens. The runner prints nothing itself:
// the front-ends (frontend/terminal's printer for run, walk and watch; serve
// through PageSession.RunLive) implement Events and show what they want.
//
// Calls about one page come from the goroutine running it, in order:
// PageStarted, then for each step StepStarted (only for a step that runs),
// StepOutput while it runs and StepEnded, and PageEnded last. Pages run in
// parallel (Options.Parallel) call at the same time, so an Events shared by
// them must lock. The step results it is given are redacted as they are
// saved; the output of StepOutput is redacted as it streams; the page's
// own code and prose are published text and are not.
type Events interface {
	// PageStarted: the page parsed and its steps are planned.
	PageStarted(p *result.PageResult)
	// Notice is a line about the page's run that a person should see
	// when it happens: the namespace the page runs in, the namespace
	// kept, an error while setting up or cleaning up.
	Notice(p *result.PageResult, text string)
	// StepStarted: step i is about to run.
	StepStarted(p *result.PageResult, i int)
	// StepOutput is what step i prints, as it prints it (stderr: the
	// part from its standard error).
	StepOutput(p *result.PageResult, i int, stderr bool, text []byte)
	// StepEnded: step i has its outcome: it ran, was skipped, or (in a
	// dry run) is shown as it would run, with Reason DryRun.
	StepEnded(p *result.PageResult, i int)
	// PageEnded: the page is over: its processes ended and the deletion
	// of its namespace is under way (a run waits for the deletions once,
	// at its end; a Notice follows for a namespace still terminating
	// then). It is called for every
	// page, also one that did not parse (p.Error set, PageStarted not
	// called) or could not be set up (p.Error set).
	PageEnded(p *result.PageResult)
	// Leaks reports the cluster-scoped objects a page left behind (p) or,
	// when pages ran in parallel, the whole run (p nil); deleted says
	// docrun deleted them (--cleanup-cluster-scoped).
	Leaks(p *result.PageResult, leaks []string, deleted bool)
}

// DryRun is the skip reason of a step a dry run shows as it would run.
const DryRun = "dry run"

// NoEvents is the Events of a run nobody watches.
type NoEvents struct{}

func (NoEvents) PageStarted(*result.PageResult)                   {}
func (NoEvents) Notice(*result.PageResult, string)                {}
func (NoEvents) StepStarted(*result.PageResult, int)              {}
func (NoEvents) StepOutput(*result.PageResult, int, bool, []byte) {}
func (NoEvents) StepEnded(*result.PageResult, int)                {}
func (NoEvents) PageEnded(*result.PageResult)                     {}
func (NoEvents) Leaks(*result.PageResult, []string, bool)         {}

// events is where the runner sends its events: Options.Events, or
// NoEvents.
func (r *Runner) events() Events {
	if r.Opts.Events == nil {
		return NoEvents{}
	}
	return r.Opts.Events
}

// notice sends a Notice, redacted.
func (pr *pageRun) notice(text string) {
	pr.r.events().Notice(pr.res, pr.r.Opts.Redactor.String(text))
}

// outputWriter turns the writes of one stream of a step into StepOutput
// events.
type outputWriter struct {
	ev     Events
	p      *result.PageResult
	i      int
	stderr bool
}

func (w outputWriter) Write(b []byte) (int, error) {
	w.ev.StepOutput(w.p, w.i, w.stderr, b)
	return len(b), nil
}

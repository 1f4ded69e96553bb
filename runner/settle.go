package runner

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/result"
	"github.com/docrun/docrun/runner/match"
	"github.com/docrun/docrun/runner/session"
)

// absentBound is how long docrun waits for objects that are not there
// yet (No resources found, NotFound): the ones a page just created show
// within seconds, and a missing one should not cost the whole bound.
const absentBound = 15 * time.Second

// stallBound is how long a state may stay the same on a cluster of
// simulated nodes before docrun stops waiting for it.
const stallBound = 10 * time.Second

// settle runs a read-only step again, with pauses, while its output shows
// a state that the page's expected output is past (Pending where the page
// shows Running, 0/1 where it shows 1/1, no Pods yet), until the outcome
// is the page's or the bound (Options.Settle) ends. Only steps whose every
// command is known to read only (markdown.ReadOnly) run again. The step
// keeps the last run's outcome, and its Settle and Note say how it went.
func (pr *pageRun) settle(ctx context.Context, st *result.StepResult, code string, x *Exec, timeout time.Duration) {
	bound := pr.r.Opts.Settle
	if bound <= 0 || st.Expected == nil || st.Kind != markdown.KindCommand || st.Status == result.Timeout || st.Background {
		return
	}
	if pr.settled(st) {
		return
	}
	if ok, _ := markdown.ReadOnly(code); !ok {
		return
	}
	first := time.Duration(st.DurationMS) * time.Millisecond
	start := time.Now().Add(-first)
	// Objects not there yet get absentBound; once they show, the bound.
	limit := func() time.Duration {
		if absent(st.Expected.Text, st.Stdout+st.Stderr) {
			return min(bound, absentBound)
		}
		return bound
	}
	// On simulated nodes no image is pulled and no container starts
	// slowly: a state that has not moved for stallBound will not.
	stall := bound
	if c := pr.res.Cluster; c != nil && c.SimulatedNodes {
		stall = stallBound
	}
	last, since := pr.stateOf(st), time.Now()
	s := &result.Settle{Tries: 1}
	if st.Settle != nil {
		s.Tries = st.Settle.Tries // it waited for its container first (waitStarted)
	}
	s.Tries += pr.rerun(ctx, st, code, x, timeout, start, limit, func() bool {
		if pr.settled(st) {
			return false
		}
		if now := pr.stateOf(st); now != last {
			last, since = now, time.Now()
		} else if time.Since(since) >= stall {
			return false
		}
		return true
	})
	s.DurationMS = time.Since(start).Milliseconds()
	s.Settled = pr.settled(st)
	st.DurationMS, st.Settle = s.DurationMS, s
	addNote(st, s.String())
}

// settled compares a step's output with the page's and reports whether
// waiting is over: the output shows no state on its way to the page's
// (see unsettled), or the step failed as the page expects. A verdict of
// similar does not end the wait on its own: instance data such as a
// Pod's READY and STATUS columns may differ within the tolerance, yet a
// reader who sees 0/2 ContainerCreating where the page shows 2/2
// Running waits before going on.
func (pr *pageRun) settled(st *result.StepResult) bool {
	pr.compare(st)
	if st.Fails != nil && asExpected(st) {
		return true
	}
	return !unsettled(st.Expected.Text, st.Stdout+st.Stderr)
}

// stateOf is what a step's output says of its objects' state, to see
// whether it moves between runs.
func (pr *pageRun) stateOf(st *result.StepResult) string {
	out := st.Stdout + st.Stderr
	return fmt.Sprintf("%+v %v", match.ReadState(out), absent(st.Expected.Text, out))
}

// unsettled reports whether actual output shows a state on its way to the
// expected one (see match.State.Behind), or no objects yet where the page
// lists some. Only kubectl tables are read: elsewhere a word such as
// Pending is too often the state the page means to show.
func unsettled(expected, actual string) bool {
	e, a := match.ReadState(expected), match.ReadState(actual)
	if e.Rows == 0 {
		// Objects the page shows gone that are still on their way out.
		return gone(expected) && a.Transient > 0
	}
	return absent(expected, actual) || (a.Rows > 0 && a.Behind(e))
}

// absent reports whether actual output says that the objects are not
// there where the expected output shows them.
func absent(expected, actual string) bool {
	return gone(actual) && !gone(expected)
}

// gone reports whether output says that the objects are not there: No
// resources found, or a NotFound error.
func gone(output string) bool {
	if strings.Contains(output, "No resources found") {
		return true
	}
	for _, k := range markdown.ErrorKinds(output) {
		if k == "NotFound" {
			return true
		}
	}
	return false
}

// rerun runs a step's code again, after 1, 2, 4, then every 5 s, while
// the time since start leaves room in limit and more, asked after each
// run, says another try is due. Each run's outcome becomes the step's. It
// returns how many runs it made; it stops when the run is interrupted or
// the shell ends.
func (pr *pageRun) rerun(ctx context.Context, st *result.StepResult, code string, x *Exec, timeout time.Duration,
	start time.Time, limit func() time.Duration, more func() bool) int {
	again := *x
	again.Live = session.Output{}
	tries := 0
	backoff(ctx, start, limit, func() bool {
		out, err := pr.r.Executors.Get(&st.Step).Run(ctx, &again, &st.Step, code, timeout)
		if out.Ended {
			pr.ended = st.Index
		}
		if err != nil || out.TimedOut || out.Canceled || out.Ended {
			return false
		}
		tries++
		st.ExitCode, st.Stdout, st.Stderr = out.ExitCode, out.Stdout, out.Stderr
		st.Status = result.Passed
		if out.ExitCode != 0 {
			st.Status = result.Failed
		}
		return more()
	})
	return tries
}

// backoff calls try after 1, 2, 4, then every 5 s, while the time since
// start leaves room in limit and try asks for another call (it returns
// true), as a reader who looks again: sooner at first, then at a steady
// pace. It stops when ctx ends.
func backoff(ctx context.Context, start time.Time, limit func() time.Duration, try func() bool) {
	for delay := time.Second; time.Since(start)+delay < limit(); delay = min(2*delay, 5*time.Second) {
		select {
		case <-ctx.Done():
		case <-time.After(delay):
		}
		if ctx.Err() != nil || !try() {
			return
		}
	}
}

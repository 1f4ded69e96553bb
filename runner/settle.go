package runner

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/runner/match"
	"github.com/docrun/docrun/runner/session"

	"github.com/docrun/docrun/result"
)

// absentBound is how long docrun waits for objects that are not there
// yet (No resources found, NotFound): the ones a page just created show
// within seconds, and a missing one should not cost the whole bound.
const absentBound = 15 * time.Second

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
	pr.compare(st)
	if asExpected(st) || !unsettled(st.Expected.Text, st.Stdout+st.Stderr) {
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
	again := *x
	again.Live = session.Output{}
	s := &result.Settle{Tries: 1}
	for delay := time.Second; time.Since(start)+delay < limit(); delay = min(2*delay, 5*time.Second) {
		select {
		case <-ctx.Done():
		case <-time.After(delay):
		}
		if ctx.Err() != nil {
			break
		}
		out, err := pr.r.Executors.Get(&st.Step).Run(ctx, &again, &st.Step, code, timeout)
		if out.Ended {
			pr.ended = st.Index
		}
		if err != nil || out.TimedOut || out.Canceled || out.Ended {
			break
		}
		s.Tries++
		st.ExitCode, st.Stdout, st.Stderr = out.ExitCode, out.Stdout, out.Stderr
		st.Status = result.Passed
		if out.ExitCode != 0 {
			st.Status = result.Failed
		}
		pr.compare(st)
		if asExpected(st) || !unsettled(st.Expected.Text, st.Stdout+st.Stderr) {
			break
		}
	}
	s.DurationMS = time.Since(start).Milliseconds()
	s.Settled = asExpected(st)
	st.DurationMS, st.Settle = s.DurationMS, s
	addNote(st, s.String())
}

var (
	// transient are the words of states that pass by themselves: Pods on
	// their way to Running or gone, replicas not available yet.
	transient = regexp.MustCompile(`\b(Pending|ContainerCreating|PodInitializing|Terminating|NotReady|Waiting|Unknown|Init:\d+/\d+)\b|\b[1-9]\d* unavailable\b`)
	// finished are the words of states a page shows once work is done.
	finished = regexp.MustCompile(`\b(Completed|Succeeded|Complete)\b`)
	// fraction is a field that counts ready things out of all.
	fraction = regexp.MustCompile(`^(\d+)/(\d+)$`)
)

// unsettled reports whether actual output shows a state on its way to
// the expected one: more transient states, incomplete counts (0/1),
// addresses not assigned yet (<none> endpoints, a <pending> IP) or absent
// objects than the expected output, or fewer finished ones.
func unsettled(expected, actual string) bool {
	count := func(re *regexp.Regexp, s string) int { return len(re.FindAllStringIndex(s, -1)) }
	return absent(expected, actual) ||
		count(transient, actual) > count(transient, expected) ||
		match.Unassigned(actual) > match.Unassigned(expected) ||
		incomplete(actual) > incomplete(expected) ||
		count(finished, expected) > count(finished, actual)
}

// absent reports whether actual output says that the objects are not
// there (No resources found, NotFound) where the expected output shows
// them.
func absent(expected, actual string) bool {
	gone := func(s string) bool {
		if strings.Contains(s, "No resources found") {
			return true
		}
		for _, k := range markdown.ErrorKinds(s) {
			if k == "NotFound" {
				return true
			}
		}
		return false
	}
	return gone(actual) && !gone(expected)
}

// incomplete counts the fields of s that count ready things out of all
// (READY 0/1, COMPLETIONS 2/3) and are not complete.
func incomplete(s string) int {
	n := 0
	for _, f := range strings.Fields(s) {
		m := fraction.FindStringSubmatch(f)
		if m == nil {
			continue
		}
		done, _ := strconv.Atoi(m[1])
		all, _ := strconv.Atoi(m[2])
		if done < all {
			n++
		}
	}
	return n
}

package runner

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
	"github.com/docrun/docrun/result"
	"github.com/docrun/docrun/runner/session"
)

// notStarted matches kubectl's errors for a container that has not
// started yet: its Pod is being scheduled or made, its image pulled, its
// init containers run.
var notStarted = regexp.MustCompile(`is waiting to start: (?:ContainerCreating|PodInitializing)|container not found|pod does not exist|is not running|does not have a host assigned|is not available|unable to upgrade connection: container not found`)

// wontStart matches the states waiting does not end: an image that cannot
// be pulled, a container that crashes, a configuration it cannot start
// with.
var wontStart = regexp.MustCompile(`ErrImagePull|ImagePullBackOff|InvalidImageName|failing to pull image|CrashLoopBackOff|CreateContainerConfigError|CreateContainerError|RunContainerError`)

// containerTalk are the kubectl commands that do nothing but talk to
// a running container: when they fail because it has not started, the
// command did not run, and running it again repeats nothing.
var containerTalk = map[string]bool{"exec": true, "logs": true, "attach": true, "cp": true}

// waitStarted runs a command step again, with pauses and at most the
// settle bound (Options.Settle), while it fails because the container it
// talks to has not started yet (kubectl logs right after a rollout: "is
// waiting to start: ContainerCreating"), as a reader waits and types it
// again. Only where containers run, and only a step that reads only
// (markdown.ReadOnly) or is one kubectl exec, logs, attach or cp. The
// step's Settle and note say how long it waited.
func (pr *pageRun) waitStarted(ctx context.Context, st *result.StepResult, code string, x *Exec, timeout time.Duration) {
	bound := pr.r.Opts.Settle
	c := pr.caps()
	if bound <= 0 || st.Status != result.Failed || st.Kind != markdown.KindCommand || st.Background || c == nil || !c.Containers ||
		!waitable(st.Stderr) || !rerunnable(code) {
		return
	}
	start := time.Now().Add(-time.Duration(st.DurationMS) * time.Millisecond)
	again := *x
	again.Live = session.Output{}
	s := &result.Settle{Tries: 1}
	for delay := time.Second; time.Since(start)+delay < bound; delay = min(2*delay, 5*time.Second) {
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
		if st.Status == result.Passed || !waitable(st.Stderr) {
			break
		}
	}
	s.DurationMS = time.Since(start).Milliseconds()
	s.Settled = !waitable(st.Stderr)
	st.DurationMS, st.Settle = s.DurationMS, s
	secs := fmt.Sprintf("%.0f s", float64(s.DurationMS)/1000)
	if s.Settled {
		addNote(st, fmt.Sprintf("waited %s for its container to start, %d tries", secs, s.Tries))
	} else {
		addNote(st, fmt.Sprintf("its container did not start within %s, %d tries", secs, s.Tries))
	}
}

// waitable reports whether a step's error output says that its container
// has not started yet, in a state that waiting ends.
func waitable(stderr string) bool {
	return notStarted.MatchString(stderr) && !wontStart.MatchString(stderr)
}

// rerunnable reports whether running code again after a failure changes
// nothing: it reads only, or it is one kubectl command that only talks to
// a container (which did not run it, as it had not started).
func rerunnable(code string) bool {
	if ok, _ := markdown.ReadOnly(code); ok {
		return true
	}
	sc := shell.Parse(code)
	calls := kubectl.Calls(sc)
	return len(sc.Calls) == 1 && len(calls) == 1 && calls[0].Err == nil && containerTalk[calls[0].Command()]
}

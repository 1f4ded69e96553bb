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
	s := &result.Settle{Tries: 1}
	s.Tries += pr.rerun(ctx, st, code, x, timeout, start, func() time.Duration { return bound }, func() bool {
		return st.Status != result.Passed && waitable(st.Stderr)
	})
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

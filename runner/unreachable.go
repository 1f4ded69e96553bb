package runner

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/markdown/shell"
	"github.com/docrun/docrun/result"
)

// unreachableBound bounds how long a read-only step is run again while
// the API server does not answer it in time.
const unreachableBound = 30 * time.Second

// unreachable reports whether a step's error output is kubectl's (client
// go's) for a request the API server did not answer in time: a loaded
// server or machine, which a reader meets by running the command again,
// not a fault of the page. A refused connection is not one: it is refused
// again.
func unreachable(stderr string) bool {
	if notSent(stderr) || strings.Contains(stderr, "Unable to connect to the server") && strings.Contains(stderr, "i/o timeout") {
		return true
	}
	for _, s := range []string{"http2: client connection lost", "Client.Timeout exceeded while awaiting headers",
		"etcdserver: request timed out", "the server was unable to return a response in the time allotted"} {
		if strings.Contains(stderr, s) {
			return true
		}
	}
	return false
}

// notSent reports whether kubectl's error says that its request never
// reached the API server: the connection or its TLS handshake timed out.
// Such a command changed nothing, whatever it is.
func notSent(stderr string) bool {
	return strings.Contains(stderr, "Unable to connect to the server") &&
		(strings.Contains(stderr, "TLS handshake timeout") || strings.Contains(stderr, "dial tcp") && strings.Contains(stderr, "i/o timeout"))
}

// retryUnreachable runs a failed step again, with pauses, while it fails
// because the API server did not answer in time, at most
// unreachableBound: a step whose every command reads only
// (markdown.ReadOnly), or one of a single command whose request never
// reached the server (notSent). The step keeps the last run's outcome
// and a note says so.
func (pr *pageRun) retryUnreachable(ctx context.Context, st *result.StepResult, code string, x *Exec, timeout time.Duration) {
	if st.Status != result.Failed || st.Kind != markdown.KindCommand || st.Background || !unreachable(st.Stderr) {
		return
	}
	if ok, _ := markdown.ReadOnly(code); !ok && !(notSent(st.Stderr) && len(shell.Parse(code).Calls) == 1) {
		return
	}
	start := time.Now()
	tries := pr.rerun(ctx, st, code, x, timeout, start, func() time.Duration { return unreachableBound }, func() bool {
		return st.Status == result.Failed && unreachable(st.Stderr)
	})
	if tries == 0 {
		return
	}
	st.DurationMS += time.Since(start).Milliseconds()
	times := fmt.Sprintf("%d times", tries)
	if tries == 1 {
		times = "once"
	}
	addNote(st, "the API server did not answer in time: run again "+times)
}

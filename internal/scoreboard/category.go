package scoreboard

import (
	"fmt"
	"strings"

	"github.com/docrun/docrun/runner"
)

// skipCategories map the start of a skip reason (as the runner and the
// parser write them) to a category; the first that matches wins.
var skipCategories = []struct{ prefix, category string }{
	{"interactive: runs inside", "in-container"},
	{"interactive", "interactive"},
	{"changes this machine", "host"},
	{"needs the internet", "network"},
	{"needs a value for <", "placeholder"},
	{"needs http", "example-missing"},
	{"the shell session ended", "session-ended"},
	{"not run: --fail-fast", "fail-fast"},
	{"not run: the page timed out", "page-timeout"},
	{"not run: the run was interrupted", "interrupted"},
	{"the page could not be set up", "setup"},
	{"fragment", "fragment"},
	{"no ", "toolchain"}, // "no Python toolchain with the Kubernetes client configured"
	{"skipped by docrun.yaml", "config"},
	{"skipped by a docrun directive", "directive"},
}

// failCategories find why a failed step failed in what it printed: the
// first whose marker is in its stderr or stdout wins.
var failCategories = []struct{ marker, category string }{
	// The background command of a step never listened on its port.
	{"did not listen on port", "no-listener"},
	// kubectl logs, exec, attach and port-forward reach the kubelet,
	// which the local cluster's simulated nodes do not have.
	{"/containerLogs/", "no-container"},
	{"/exec/", "no-container"},
	{"/attach/", "no-container"},
	{"/portForward/", "no-container"},
	{"unable to upgrade connection", "no-container"},
	{"command not found", "missing-tool"},
	{"(NotFound)", "not-found"},
	{"(AlreadyExists)", "already-exists"},
}

// Category says in a word or two why a step did not pass: for a skipped
// step from its reason (interactive, host, network, placeholder,
// in-container, toolchain, ...), for a failed one from what it printed
// (no-container, missing-tool, not-found, ...) or else its exit status
// ("exit 1"), "timeout" for a step that timed out, and "" for a passed
// step. An unknown skip reason is "other".
func Category(st *runner.StepResult) string {
	switch st.Status {
	case runner.Passed:
		return ""
	case runner.Timeout:
		return "timeout"
	case runner.Failed:
		out := st.Stderr + "\n" + st.Stdout
		for _, c := range failCategories {
			if strings.Contains(out, c.marker) {
				return c.category
			}
		}
		return fmt.Sprintf("exit %d", st.ExitCode)
	}
	reason := st.SkipReason
	if reason == "" {
		reason = st.Reason
	}
	for _, c := range skipCategories {
		if strings.HasPrefix(reason, c.prefix) {
			return c.category
		}
	}
	return "other"
}

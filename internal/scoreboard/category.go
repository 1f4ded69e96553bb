package scoreboard

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/docrun/docrun/result"
)

// skipCategories map the start of a skip reason (as the runner and the
// parser write them) to a category; the first that matches wins.
var skipCategories = []struct{ prefix, category string }{
	// logs, exec, port-forward and commands typed into a container on the
	// local cluster, whose nodes are simulated.
	{"the cluster's nodes are simulated", "no-container"},
	{"no metrics-server", "no-metrics"},
	{"no cluster DNS", "no-dns"},
	{"no default StorageClass", "no-storage"},
	{"server v", "old-server"},
	{"the server does not serve", "not-served"},
	{"the cluster has", "few-nodes"},
	{"follows step", "follows-lack"},
	{"runs inside", "in-container"},
	{"runs on a node", "on-node"},
	{"interactive", "interactive"},
	{"changes this machine", "host"},
	{"needs the internet", "network"},
	{"uses the kubeconfig context", "no-context"},
	{"needs the program", "missing-tool"},
	{"needs the kubectl plugin", "missing-tool"},
	{"needs a value for <", "placeholder"},
	{"needs $", "placeholder"},
	{"needs http", "example-missing"},
	{"the shell session ended", "session-ended"},
	{"not run: --fail-fast", "fail-fast"},
	{"not run: the page timed out", "page-timeout"},
	{"not run: the run was interrupted", "interrupted"},
	{"the page could not be set up", "setup"},
	{"alternative to the", "alternative-tab"},   // another tab of the same tabs ran
	{"another way to create", "created-before"}, // an earlier step created the object
	{"fragment", "fragment"},
	{"no ", "toolchain"}, // "no Python toolchain with the Kubernetes client configured"
	{"skipped by docrun.yaml", "config"},
	{"skipped by a docrun directive", "directive"},
}

// emptyVar is the skip reason of a step that uses a variable an earlier
// step set from a command's output, which came out empty.
var emptyVar = regexp.MustCompile(`^needs \$\w+, which step \d+ set from the output of `)

// failCategories find why a failed step failed in what it printed: the
// first whose marker is in its stderr or stdout (compared in lower case)
// wins.
var failCategories = []struct{ marker, category string }{
	// The background command of a step never listened on its port.
	{"did not listen on port", "no-listener"},
	// kubectl logs, exec, attach and port-forward need a kubelet and a
	// container, which simulated nodes do not have.
	{"/containerlogs/", "no-container"},
	{"no logs found for container", "no-container"},
	{"unable to upgrade connection", "no-container"},
	{"error forwarding port", "no-container"},
	{"metrics api not available", "no-metrics"},
	{"curl: (", "no-connection"},
	{"connection refused", "no-connection"},
	{"was refused", "no-connection"},
	{"no such file or directory", "missing-file"},
	{"error: the path \"", "missing-file"},
	{"(notfound)", "not-found"},
	{"already exists", "already-exists"},
	{"unknown command", "usage"},
	{"unknown flag", "usage"},
	{"unknown shorthand flag", "usage"},
}

// notFound finds the name bash could not run: "line 19: NAME: command not
// found".
var notFound = regexp.MustCompile(`line \d+: (.+?): command not found`)

// outputWord matches a "command" that is a word of command output or a
// manifest (a table header, a key, a list item, a number): the step is not
// a command at all.
var outputWord = regexp.MustCompile(`^(?:[A-Z][A-Z_-]+|.*[:,]|[-0-9].*|[^\x00-\x7f].*)$`)

// Category says in a word or two why a step did not pass: for a skipped
// step from its reason (no-container, in-container, on-node, interactive,
// host, network, placeholder, toolchain, ...), for a failed one from what
// it printed (no-container, missing-tool, not-a-command, missing-file,
// no-connection, not-found, ...) or else its exit status ("exit 1"),
// "timeout" for a step that timed out, and "" for a passed step. An
// unknown skip reason is "other".
func Category(st *result.StepResult) string {
	switch st.Status {
	case result.Passed:
		return ""
	case result.Timeout:
		return "timeout"
	case result.Failed:
		return failCategory(st)
	}
	reason := st.SkipReason
	if reason == "" {
		reason = st.Reason
	}
	if emptyVar.MatchString(reason) {
		return "empty-var"
	}
	for _, c := range skipCategories {
		if strings.HasPrefix(reason, c.prefix) {
			return c.category
		}
	}
	return "other"
}

// failCategory is the category of a failed step (see Category).
func failCategory(st *result.StepResult) string {
	out := st.Stderr + "\n" + st.Stdout
	if m := notFound.FindStringSubmatch(out); m != nil {
		if outputWord.MatchString(m[1]) {
			return "not-a-command"
		}
		return "missing-tool"
	}
	lower := strings.ToLower(out)
	for _, c := range failCategories {
		if strings.Contains(lower, c.marker) {
			return c.category
		}
	}
	return fmt.Sprintf("exit %d", st.ExitCode)
}

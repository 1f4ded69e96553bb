package kubectl

// Which commands do what, by command path. A test checks that every path and
// flag named here is in the generated table, so a kubectl upgrade that
// renames one fails there.
var (
	// editors are the commands that open $EDITOR on the objects.
	editors = set("edit", "apply edit-last-applied")

	// followers are the commands that keep streaming while the given flag
	// is on: a watch of get or events, a follow of logs. (rollout status
	// --watch ends with the rollout.)
	followers = map[string][]string{
		"get":    {"watch", "watch-only"},
		"events": {"watch"},
		"logs":   {"follow"},
	}

	// servers are the commands that serve until they are stopped.
	servers = set("port-forward", "proxy")

	// readers are the commands that change nothing: neither an object in
	// the cluster nor the kubeconfig. Commands that only print their help
	// (rollout, set, config, ...) are readers too.
	readers = set(
		"", "help", "completion", "options", "version", "alpha",
		"api-resources", "api-versions", "explain",
		"get", "describe", "logs", "events", "diff", "wait",
		"top", "top node", "top pod",
		"cluster-info", "cluster-info dump",
		"auth", "auth can-i", "auth whoami",
		"config", "config view", "config current-context",
		"config get-contexts", "config get-clusters", "config get-users",
		"rollout", "rollout history", "rollout status",
		"apply view-last-applied",
		"kustomize", "plugin", "plugin list", "kuberc", "kuberc view",
		"set", "certificate", "create secret", "create service",
	)
)

func set(paths ...string) map[string]bool {
	m := make(map[string]bool, len(paths))
	for _, p := range paths {
		m[p] = true
	}
	return m
}

// Interactive reports whether the command waits for a person at a
// terminal, with the reason: an editor (kubectl edit, create --edit), a
// confirmation (delete -i), or a terminal session (exec, attach, run or
// debug with both -i and -t). Running it in the background does not help.
// With -i alone the command reads standard input and ends with it.
func (inv Invocation) Interactive() (reason string, ok bool) {
	cmd := "kubectl " + inv.Command()
	switch {
	case editors[inv.Command()]:
		return cmd + " opens an editor", true
	case inv.Bool("edit"):
		return cmd + " --edit opens an editor", true
	case inv.Bool("interactive"):
		return cmd + " --interactive asks for confirmation", true
	case inv.Bool("stdin") && inv.Bool("tty"):
		return cmd + " -i -t connects a terminal to the container", true
	}
	return "", false
}

// Endless reports whether the command runs until it is stopped, with the
// reason: a watch or a follow (get -w, events -w, logs -f), a server
// (port-forward, proxy), or attach without a terminal, which streams the
// container's output until the container exits. In the background it
// does not hold the page up.
func (inv Invocation) Endless() (reason string, ok bool) {
	cmd := "kubectl " + inv.Command()
	for _, name := range followers[inv.Command()] {
		if inv.Bool(name) {
			return cmd + " --" + name + " streams until stopped", true
		}
	}
	switch {
	case servers[inv.Command()]:
		return cmd + " serves until stopped", true
	case inv.Command() == "attach" && !(inv.Bool("stdin") && inv.Bool("tty")):
		return cmd + " streams the container's output until it exits", true
	}
	return "", false
}

// Blocks reports whether the command holds a page's run up, with the
// reason: when it is interactive, or endless and not run in the background
// (which the caller knows from the shell: a trailing &).
func (inv Invocation) Blocks(background bool) (reason string, ok bool) {
	if reason, ok := inv.Interactive(); ok {
		return reason, true
	}
	if reason, ok := inv.Endless(); ok && !background {
		return reason, true
	}
	return "", false
}

// ReadOnly reports whether the command changes nothing, neither the
// cluster's objects nor the kubeconfig nor this machine's files: a command
// that reads (get, describe, logs, config view, auth can-i, ...), a dry
// run (--dry-run=client or server), or a command on local files only
// (--local). Commands that run code in containers or open connections
// (exec, attach, run, debug, cp, port-forward, proxy), commands that write
// files (cluster-info dump --output-directory) and plugins are not.
func (inv Invocation) ReadOnly() bool {
	if inv.Plugin != "" || inv.Has("output-directory") {
		return false
	}
	return readers[inv.Command()] || inv.DryRun() != "none" || inv.Bool("local")
}

// FoundDifferences reports whether the command's exit status means that it
// found differences rather than that it failed: kubectl diff exits 1 when
// the live objects differ from the manifests (and above 1 on an error).
func (inv Invocation) FoundDifferences(exit int) bool {
	return inv.Command() == "diff" && exit == 1
}

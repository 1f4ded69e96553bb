package runner

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"

	"mvdan.cc/sh/v3/syntax"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
	"github.com/docrun/docrun/result"
	"github.com/docrun/docrun/runner/session"
)

// installers are programs a step may use to put another program in place
// before it calls it (curl -LO …; chmod +x …; mv … /usr/local/bin): after
// one of them, the step's later programs are not looked up in advance.
var installers = map[string]bool{
	"go": true, "pip": true, "pip3": true, "pipx": true, "npm": true, "npx": true, "apt": true, "apt-get": true,
	"yum": true, "dnf": true, "brew": true, "snap": true, "choco": true, "curl": true, "wget": true, "install": true,
	"mv": true, "cp": true, "ln": true, "chmod": true, "tar": true, "unzip": true, "source": true, ".": true,
	"alias": true, "eval": true,
}

// shellBuiltins need no lookup.
var shellBuiltins = map[string]bool{"cd": true, "echo": true, "printf": true, "export": true, "set": true, "unset": true,
	"read": true, "exit": true, "true": true, "false": true, "test": true, "[": true, "wait": true, "kill": true, "type": true}

// lookups are the commands that look a program up.
var lookups = map[string]bool{"command": true, "type": true, "which": true, "hash": true}

// programName is a name the session can look up without quoting.
var programName = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.+-]*$`)

// toolsToCheck are the programs a command step calls by name, and the
// kubectl plugins (kubectl-NAME) its kubectl commands call, in order and
// once each: not paths (./kubectl), not functions the step defines, none
// after a call that may install a program, none in a step that sets PATH.
func toolsToCheck(code string) []string {
	sc := shell.Parse(code)
	if !sc.Parsed() {
		return nil
	}
	defined, path := map[string]bool{}, false
	syntax.Walk(sc.File, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.FuncDecl:
			if n.Name != nil {
				defined[n.Name.Value] = true
			}
		case *syntax.Assign:
			path = path || n.Name != nil && n.Name.Value == "PATH"
		}
		return true
	})
	if path {
		return nil // the step changes where programs are found
	}
	// A program the step looks for itself (command -v kustomize && …)
	// may be missing.
	for _, c := range sc.Calls {
		if len(c.Args) > 0 && lookups[c.Args[0]] {
			for _, a := range c.Args[1:] {
				defined[a] = true
			}
		}
	}
	var out []string
	for _, c := range sc.Calls {
		prog, _ := c.Program()
		if installers[prog] {
			break
		}
		if prog == "" || shellBuiltins[prog] || len(c.Args) > 0 && lookups[c.Args[0]] {
			continue
		}
		name := prog
		if k, ok := kubectl.ReadCall(c); ok {
			if k.Plugin == "" {
				continue
			}
			name = "kubectl-" + k.Plugin
		} else if slices.ContainsFunc(c.Args, func(a string) bool { return strings.HasSuffix(a, "/"+prog) }) {
			continue // called by its path
		}
		if programName.MatchString(name) && !defined[name] && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// missingTool returns why a command step cannot run here: a program it
// calls is not installed on this machine (neither a builtin, function or
// alias of the page's shell nor on its PATH), or "". A reader without
// etcdctl does not run the page's etcdctl commands either; the step is
// skipped with the program's name instead of failing with exit 127.
func (pr *pageRun) missingTool(ctx context.Context, st *result.StepResult, code string) string {
	if st.Kind != markdown.KindCommand || pr.sess == nil || pr.ended >= 0 {
		return ""
	}
	if _, ok := pr.r.Executors.Get(&st.Step).(ShellExecutor); !ok {
		return "" // another executor runs the step
	}
	names := toolsToCheck(code)
	if len(names) == 0 {
		return ""
	}
	query := "for __docrun_n in " + strings.Join(names, " ") +
		`; do type -t -- "$__docrun_n" >/dev/null 2>&1 || printf '%s\n' "$__docrun_n"; done; unset __docrun_n`
	res, err := pr.sess.Run(ctx, query, 10*time.Second, session.Output{})
	if err != nil || res.Ended || res.ExitCode != 0 {
		return ""
	}
	missing := strings.Fields(res.Stdout)
	if len(missing) == 0 {
		return ""
	}
	n := missing[0]
	if p, ok := strings.CutPrefix(n, "kubectl-"); ok {
		return "needs the kubectl plugin " + p + " (" + n + "), which is not installed here"
	}
	return "needs the program " + n + ", which is not installed here"
}

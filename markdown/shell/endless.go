package shell

import (
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Endless reports whether the script runs in the foreground until a person
// stops it: a loop whose condition is always true (while true, while
// sleep 1, until false) with no break, exit or return in its body, tail -f,
// or a web server (python3 -m http.server). A shell started with -c runs its argument, which is read too (kubectl
// run -it ... -- sh -c "while sleep 0.01; do wget ...; done").
func (s *Script) Endless() bool {
	if s.File == nil {
		return false
	}
	found := false
	s.walk(func(n syntax.Node, bg, _ bool) bool {
		switch n := n.(type) {
		case *syntax.Stmt:
			bg = bg || n.Background
			if bg {
				return true
			}
			switch cmd := n.Cmd.(type) {
			case *syntax.WhileClause:
				found = alwaysTrue(cmd.Cond, cmd.Until) && !leaves(cmd.Do)
			case *syntax.CallExpr:
				found = s.endlessCall(cmd)
			}
		}
		return !found
	})
	return found
}

// endlessCall reports whether a command never ends by itself: tail -f,
// python's http.server, or a shell given a script (-c) that is endless.
func (s *Script) endlessCall(ce *syntax.CallExpr) bool {
	args := make([]string, len(ce.Args))
	for i, w := range ce.Args {
		args[i] = s.word(w)
	}
	if len(args) > 0 && path.Base(args[0]) == "kubectl" && !kubectlAttached(args[1:]) {
		return false // the command after -- runs in a container, not here
	}
	for i := 0; i < len(args); i++ {
		if _, ok := PythonServerPort(path.Base(args[i]), args[i+1:]); ok {
			return true
		}
		switch path.Base(args[i]) {
		case "tail":
			for _, a := range args[i+1:] {
				if a == "-f" || a == "-F" || a == "--follow" {
					return true
				}
			}
		case "sh", "bash", "ash", "dash", "zsh":
			for j := i + 1; j+1 < len(args); j++ {
				a := args[j]
				if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.Contains(a, "c") {
					return Parse(args[j+1]).Endless()
				}
			}
		}
	}
	return false
}

// alwaysTrue reports whether a loop condition never ends the loop: true, :,
// sleep N, [ 1 ] for while; false for until.
func alwaysTrue(cond []*syntax.Stmt, until bool) bool {
	if len(cond) != 1 {
		return false
	}
	ce, ok := cond[0].Cmd.(*syntax.CallExpr)
	if !ok || len(ce.Args) == 0 || cond[0].Negated {
		return false
	}
	prog, _ := literal(ce.Args[0])
	if until {
		return prog == "false"
	}
	switch prog {
	case "true", ":", "sleep":
		return true
	}
	return false
}

// leaves reports whether a loop body can end the loop: break, exit,
// return, or a command that can fail the shell is not enough.
func leaves(body []*syntax.Stmt) bool {
	found := false
	for _, st := range body {
		syntax.Walk(st, func(n syntax.Node) bool {
			if ce, ok := n.(*syntax.CallExpr); ok && len(ce.Args) > 0 {
				switch w, _ := literal(ce.Args[0]); w {
				case "break", "exit", "return":
					found = true
				}
			}
			return !found
		})
	}
	return found
}

// kubectlValued are kubectl's global flags that take the next word.
var kubectlValued = map[string]bool{"-n": true, "--namespace": true, "--context": true, "--kubeconfig": true,
	"-s": true, "--server": true, "--cluster": true, "--user": true}

// kubectlAttached reports whether kubectl arguments keep this terminal
// attached to the container command they give after --: exec and attach,
// or run with -i, -t or --attach. create deployment, job or cronjob and a
// detached run hand the command to the cluster.
func kubectlAttached(args []string) bool {
	verb, attach := "", false
	for i := 0; i < len(args) && args[i] != "--"; i++ {
		a := args[i]
		switch {
		case kubectlValued[a]:
			i++
		case a == "--attach" || a == "--attach=true" || a == "--stdin" || a == "--tty":
			attach = true
		case strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.ContainsAny(a[1:], "it"):
			attach = true
		case !strings.HasPrefix(a, "-") && verb == "":
			verb = a
		}
	}
	return verb == "exec" || verb == "attach" || (verb == "run" && attach) || verb == ""
}

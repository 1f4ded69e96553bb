package shell

import (
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// InBackground returns the code with the call that starts at byte start
// (a Call's Start) run in the background: its statement ends in & instead
// of ; or nothing, as a reader who leaves a server running in a terminal
// of its own and types the next commands in another. ok is false when the
// call is not a statement of its own at the top level of the code (it is
// in a pipeline, a list, a loop or a substitution), is already in the
// background, or the code did not parse.
func (s *Script) InBackground(start int) (code string, ok bool) {
	if s.File == nil {
		return s.Code, false
	}
	for _, st := range s.File.Stmts {
		ce, isCall := st.Cmd.(*syntax.CallExpr)
		if !isCall || st.Background || st.Coprocess || int(ce.Pos().Offset()) != start {
			continue
		}
		if st.Semicolon.IsValid() {
			at := int(st.Semicolon.Offset())
			return s.Code[:at] + "&" + s.Code[at+1:], true
		}
		end := int(st.End().Offset())
		return s.Code[:end] + " &" + s.Code[end:], true
	}
	return s.Code, false
}

// pythonServerValueFlags are the options of python's http.server that take
// a value.
var pythonServerValueFlags = []string{"-b", "--bind", "-d", "--directory", "-p", "--protocol"}

// PythonServerPort returns the port `python3 -m http.server` listens on
// (its first positional argument, 8000 by default), given the program's
// name and its arguments; ok is false for any other command.
func PythonServerPort(prog string, args []string) (port string, ok bool) {
	if !isPython(prog) {
		return "", false
	}
	for i := 0; i+1 < len(args); i++ {
		if args[i] != "-m" {
			continue
		}
		if args[i+1] != "http.server" {
			return "", false
		}
		rest := args[i+2:]
		for j := 0; j < len(rest); j++ {
			a := rest[j]
			switch {
			case slices.Contains(pythonServerValueFlags, a):
				j++
			case strings.HasPrefix(a, "-"):
			default:
				return a, true
			}
		}
		return "8000", true
	}
	return "", false
}

// isPython reports whether a program name is a python interpreter
// (python, python3, python3.12).
func isPython(prog string) bool {
	return prog == "python" || strings.HasPrefix(prog, "python3")
}

package shell

import (
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Vars are the shell variables a script sets and uses.
type Vars struct {
	// Set are the variables the script assigns, exports, reads or loops
	// over.
	Set []string
	// Used are the variables the script expands without a default
	// (${NAME:-x} has one), outside single quotes and quoted
	// here-documents, in order of first use.
	Used []string
	// FromOutput are the variables among Set assigned a value that holds
	// a command substitution (NAME=$(kubectl get …), export NAME="`…`"):
	// their value is what a command printed.
	FromOutput []string
	// Opaque is set when the script may set variables docrun cannot see:
	// it sources a file, evals text, or runs a program whose output it
	// evaluates.
	Opaque bool
}

// Vars returns the variables the script sets and uses. A script that did
// not parse reports nothing used.
func (s *Script) Vars() Vars {
	var v Vars
	if s.File == nil {
		return v
	}
	seenSet, seenUsed := map[string]bool{}, map[string]bool{}
	set := func(name string) {
		if name != "" && !seenSet[name] {
			seenSet[name] = true
			v.Set = append(v.Set, name)
		}
	}
	syntax.Walk(s.File, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Assign:
			if n.Name != nil {
				set(n.Name.Value)
				if n.Value != nil && substitutes(n.Value) && !slices.Contains(v.FromOutput, n.Name.Value) {
					v.FromOutput = append(v.FromOutput, n.Name.Value)
				}
			}
		case *syntax.WordIter:
			if n.Name != nil {
				set(n.Name.Value)
			}
		case *syntax.CStyleLoop, *syntax.ArithmCmd, *syntax.ArithmExp, *syntax.LetClause:
			// ((i = 0)): arithmetic assigns; the variables are the
			// script's own.
			syntax.Walk(n, func(m syntax.Node) bool {
				if be, ok := m.(*syntax.BinaryArithm); ok && isArithmAssign(be.Op) {
					if w, ok := be.X.(*syntax.Word); ok {
						set(w.Lit())
					}
				}
				if ue, ok := m.(*syntax.UnaryArithm); ok && (ue.Op == syntax.Inc || ue.Op == syntax.Dec) {
					if w, ok := ue.X.(*syntax.Word); ok {
						set(w.Lit())
					}
				}
				return true
			})
		case *syntax.CallExpr:
			for _, name := range callSets(s, n) {
				set(name)
			}
			if len(n.Args) > 0 {
				switch w, _ := literal(n.Args[0]); w {
				case "source", ".", "eval":
					v.Opaque = true
				}
			}
		case *syntax.ParamExp:
			if n.Param == nil || n.Excl {
				return true
			}
			name := n.Param.Value
			if !validName(name) || (n.Exp != nil && hasDefault(n.Exp.Op)) {
				return true
			}
			if !seenUsed[name] {
				seenUsed[name] = true
				v.Used = append(v.Used, name)
			}
		}
		return true
	})
	return v
}

// substitutes reports whether a word holds a command substitution.
func substitutes(w *syntax.Word) bool {
	found := false
	syntax.Walk(w, func(n syntax.Node) bool {
		if _, ok := n.(*syntax.CmdSubst); ok {
			found = true
		}
		return !found
	})
	return found
}

// callSets returns the variables a command sets: read X, mapfile X,
// printf -v X, getopts opts X, export/declare/local/readonly X.
func callSets(s *Script, ce *syntax.CallExpr) []string {
	if len(ce.Args) == 0 {
		return nil
	}
	args := make([]string, len(ce.Args))
	for i, w := range ce.Args {
		args[i] = s.word(w)
	}
	var out []string
	switch args[0] {
	case "read", "mapfile", "readarray":
		for i := 1; i < len(args); i++ {
			a := args[i]
			if strings.HasPrefix(a, "-") {
				// options with a value
				if strings.ContainsAny(a[1:], "pdntuCcsa") && len(a) == 2 && a != "-a" && i+1 < len(args) {
					i++
				} else if a == "-a" && i+1 < len(args) {
					out = append(out, args[i+1])
					i++
				}
				continue
			}
			out = append(out, a)
		}
		if args[0] == "read" && len(out) == 0 {
			out = append(out, "REPLY")
		}
		if args[0] != "read" && len(out) == 0 {
			out = append(out, "MAPFILE")
		}
	case "printf":
		if len(args) > 2 && args[1] == "-v" {
			out = append(out, args[2])
		}
	case "getopts":
		if len(args) > 2 {
			out = append(out, args[2])
		}
	case "export", "declare", "typeset", "local", "readonly":
		for _, a := range args[1:] {
			if !strings.HasPrefix(a, "-") {
				name, _, _ := strings.Cut(a, "=")
				out = append(out, name)
			}
		}
	}
	var valid []string
	for _, n := range out {
		if validName(n) {
			valid = append(valid, n)
		}
	}
	return valid
}

func isArithmAssign(op syntax.BinAritOperator) bool {
	switch op {
	case syntax.Assgn, syntax.AddAssgn, syntax.SubAssgn, syntax.MulAssgn, syntax.QuoAssgn,
		syntax.RemAssgn, syntax.AndAssgn, syntax.OrAssgn, syntax.XorAssgn, syntax.ShlAssgn, syntax.ShrAssgn:
		return true
	}
	return false
}

// hasDefault reports whether a parameter expansion gives a value when the
// variable is unset (${X:-v}, ${X-v}, ${X:=v}, ${X=v}, ${X:+v}, ${X+v}) or
// fails with the page's own message (${X:?msg}).
func hasDefault(op syntax.ParExpOperator) bool {
	switch op {
	case syntax.DefaultUnset, syntax.DefaultUnsetOrNull, syntax.AssignUnset, syntax.AssignUnsetOrNull,
		syntax.AlternateUnset, syntax.AlternateUnsetOrNull, syntax.ErrorUnset, syntax.ErrorUnsetOrNull:
		return true
	}
	return false
}

// validName reports whether name is a variable name (not $1, $@, $?, ...).
func validName(name string) bool {
	if name == "" || (name[0] >= '0' && name[0] <= '9') {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// Environment are variables a reader's shell has without the page setting
// them (bash's own, the login environment, the Pod environment in
// container steps).
var Environment = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`HOME PATH USER LOGNAME PWD OLDPWD SHELL TERM HOSTNAME HOST LANG LANGUAGE
		LC_ALL LC_CTYPE TZ TMPDIR EDITOR VISUAL PAGER KUBECONFIG KUBE_EDITOR GOPATH GOROOT GOOS GOARCH GOBIN
		GOFLAGS GOPROXY UID EUID PPID RANDOM SECONDS LINENO BASH BASH_VERSION BASH_SOURCE BASHPID BASH_REMATCH
		FUNCNAME IFS PS1 PS2 PS4 OSTYPE HOSTTYPE MACHTYPE SHLVL REPLY COLUMNS LINES PIPESTATUS OPTARG OPTIND
		MAPFILE DISPLAY SSH_AUTH_SOCK SSH_CLIENT SSH_CONNECTION XDG_CONFIG_HOME XDG_DATA_HOME XDG_RUNTIME_DIR
		HTTP_PROXY HTTPS_PROXY NO_PROXY http_proxy https_proxy no_proxy JAVA_HOME PYTHONPATH NODE_PATH
		KUBERNETES_SERVICE_HOST KUBERNETES_SERVICE_PORT KUBERNETES_PORT POD_NAME POD_NAMESPACE`) {
		Environment[w] = true
	}
}

package kubectl

import "github.com/docrun/docrun/markdown/shell"

// Call is a shell command that runs kubectl, with kubectl's reading of its
// arguments.
type Call struct {
	// Shell is the command as the shell reads it (its line, here-document,
	// whether it runs in the background or in a substitution).
	Shell shell.Call
	// Invocation is what Parse read of the arguments; when Err is set, what
	// it could read before the error.
	Invocation
	// Err is the reason kubectl would refuse the command line before
	// running it (see Parse), or nil.
	Err error
}

// ReadCall reads a shell command as a kubectl command line: ok is false
// when its program, past the words that only wrap it (sudo, env, a "$ "
// prompt; see shell.Call.Program), is not kubectl.
func ReadCall(c shell.Call) (call Call, ok bool) {
	prog, args := c.Program()
	if prog != "kubectl" {
		return Call{}, false
	}
	inv, err := Parse(args)
	return Call{Shell: c, Invocation: inv, Err: err}, true
}

// Calls returns the kubectl commands of a script, in the order of its
// calls (those inside substitutions included: see shell.Call.Substituted).
// A command line kubectl would refuse is returned with Err set and what
// could be read of it: a rule that must know what kubectl will do skips
// it, a rule that looks for a likely intent reads it.
func Calls(sc *shell.Script) []Call {
	var out []Call
	for _, c := range sc.Calls {
		if k, ok := ReadCall(c); ok {
			out = append(out, k)
		}
	}
	return out
}

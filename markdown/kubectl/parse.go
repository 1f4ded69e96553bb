// Package kubectl reads a kubectl command line the way kubectl does: it finds
// the command in kubectl's own command tree and parses its flags with the
// flag definitions of that command. The tree is a table generated from
// k8s.io/kubectl/pkg/cmd (go generate ./markdown/kubectl), so docrun does not
// link kubectl; the parsing follows cobra's Command.Find and pflag's FlagSet
// rules, which a test checks against cobra and pflag themselves.
package kubectl

import (
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Flag is one flag given on the command line.
type Flag struct {
	// Name is the flag's long name, normalized ("namespace" for -n,
	// --namespace and --name_space).
	Name string
	// Value is the value kubectl sets: the given one, or the flag's
	// default when given bare ("true" for a bool flag).
	Value string
}

// Invocation is one kubectl command line, read with kubectl's command tree.
type Invocation struct {
	// Path is the command path, e.g. ["rollout", "status"]; empty for bare
	// kubectl and for plugins.
	Path []string
	// Plugin is the first word of a command kubectl does not have, which
	// kubectl runs as the plugin kubectl-<word>... when one is installed
	// ("krew", "convert"); Args are then the plugin's own arguments.
	Plugin string
	// Flags are the flags given, in order, long names only.
	Flags []Flag
	// Args are the positional arguments before "--".
	Args []string
	// Dash are the arguments after "--" (exec's and run's command); nil
	// when there is no "--".
	Dash []string
	// Unknown are the flags the command does not have, as written.
	Unknown []string

	cmd *node
}

// Parse reads args, kubectl's argv after the program name. It always
// returns what it could read; the error is the first reason kubectl itself
// would refuse the command line before running it (an unknown flag, a flag
// without its value, a value of the wrong type). It does not check what a
// command checks once it runs (how many arguments, required flags).
func Parse(args []string) (Invocation, error) {
	root := tree()
	n, rest := find(root, args)
	if n == root && len(stripFlags(rest, root)) > 0 {
		return plugin(args, root)
	}
	inv := Invocation{Path: n.path(), cmd: n}
	err := inv.parseFlags(rest)
	return inv, err
}

// find is cobra's Command.Find: it looks for each next subcommand among the
// words that are not flags or the values of flags, and returns the command
// with the arguments left once the command's words are removed.
func find(n *node, args []string) (*node, []string) {
	words := stripFlags(args, n)
	if len(words) == 0 {
		return n, args
	}
	next := n.child(words[0])
	if next == nil {
		return n, args
	}
	return find(next, argsMinusFirst(args, words[0], n))
}

// takesNext tells whether cobra, while it looks for a command, skips the
// argument after s as the value of the flag s. A long flag that n does not
// know is taken to need a value, as cobra does.
func takesNext(s string, n *node) bool {
	if strings.Contains(s, "=") {
		return false
	}
	if strings.HasPrefix(s, "--") {
		f := n.lookup(s[2:], false)
		return f == nil || f.noOptDef == ""
	}
	if strings.HasPrefix(s, "-") && len(s) == 2 {
		f := n.lookupShort(s[1], false)
		return f == nil || f.noOptDef == ""
	}
	return false
}

// stripFlags is cobra's stripFlags: the words of args that are neither flags
// nor flag values, up to "--".
func stripFlags(args []string, n *node) []string {
	var words []string
	for len(args) > 0 {
		s := args[0]
		args = args[1:]
		switch {
		case s == "--":
			return words
		case takesNext(s, n):
			if len(args) <= 1 {
				return words
			}
			args = args[1:]
		case s != "" && !strings.HasPrefix(s, "-"):
			words = append(words, s)
		}
	}
	return words
}

// argsMinusFirst is cobra's argsMinusFirstX: args without the first word x
// that is not a flag value.
func argsMinusFirst(args []string, x string, n *node) []string {
	i := wordIndex(args, x, n)
	if i < 0 {
		return args
	}
	return append(append([]string(nil), args[:i]...), args[i+1:]...)
}

// wordIndex is the index of the first word x in args that is not a flag
// value, before "--", or -1.
func wordIndex(args []string, x string, n *node) int {
	for i := 0; i < len(args); i++ {
		s := args[i]
		switch {
		case s == "--":
			return -1
		case takesNext(s, n):
			i++
		case !strings.HasPrefix(s, "-") && s == x:
			return i
		}
	}
	return -1
}

// plugin reads a command line whose command word is no kubectl command:
// kubectl runs it as a plugin, whose name must come before any flag.
func plugin(args []string, root *node) (Invocation, error) {
	name := stripFlags(args, root)[0]
	inv := Invocation{Plugin: name, Args: args[wordIndex(args, name, root)+1:]}
	if strings.HasPrefix(args[0], "-") {
		return inv, fmt.Errorf("flags cannot be placed before plugin name: %s", args[0])
	}
	return inv, nil
}

// parseFlags is pflag's FlagSet.Parse on the command's flags (and cobra's
// help flag). Unlike pflag it goes on after an error, and keeps the first.
func (inv *Invocation) parseFlags(args []string) error {
	var first error
	fail := func(err error) {
		if first == nil {
			first = err
		}
	}
	for len(args) > 0 {
		s := args[0]
		args = args[1:]
		switch {
		case len(s) < 2 || s[0] != '-':
			inv.Args = append(inv.Args, s)
		case s == "--":
			inv.Dash = append([]string{}, args...)
			return first
		case s[1] == '-':
			var err error
			args, err = inv.parseLong(s, args)
			fail(err)
		default:
			var err error
			args, err = inv.parseShort(s, args)
			fail(err)
		}
	}
	return first
}

// parseLong reads --name, --name=value or --name value.
func (inv *Invocation) parseLong(s string, args []string) ([]string, error) {
	name := s[2:]
	if name == "" || name[0] == '-' || name[0] == '=' {
		inv.Unknown = append(inv.Unknown, s)
		return args, fmt.Errorf("bad flag syntax: %s", s)
	}
	name, value, hasValue := strings.Cut(name, "=")
	f := inv.cmd.lookup(name, true)
	switch {
	case f == nil:
		inv.Unknown = append(inv.Unknown, s)
		return args, fmt.Errorf("unknown flag: --%s", name)
	case hasValue:
	case f.noOptDef != "":
		value = f.noOptDef
	case len(args) > 0:
		value, args = args[0], args[1:]
	default:
		return args, fmt.Errorf("flag needs an argument: --%s", name)
	}
	return args, inv.set(f, value)
}

// parseShort reads a group of shorthands: -i, -it, -nns, -n=ns, -n ns. A
// shorthand that needs a value takes the rest of the group, or the next
// argument when it is the group's last letter.
func (inv *Invocation) parseShort(s string, args []string) ([]string, error) {
	out := args
	for group := s[1:]; group != ""; {
		if strings.HasPrefix(group, "test.") {
			break // pflag leaves go test's -test.* flags alone
		}
		c := group[0]
		f := inv.cmd.lookupShort(c, true)
		if f == nil {
			inv.Unknown = append(inv.Unknown, s)
			// pflag names the letter by the first byte of its UTF-8
			return out, fmt.Errorf("unknown shorthand flag: %q in -%s", rune(string(rune(c))[0]), group)
		}
		var value string
		switch {
		case len(group) > 2 && group[1] == '=':
			value, group = group[2:], ""
		case f.noOptDef != "":
			value, group = f.noOptDef, group[1:]
		case len(group) > 1:
			value, group = group[1:], ""
		case len(args) > 0:
			value, out, group = args[0], args[1:], ""
		default:
			return out, fmt.Errorf("flag needs an argument: %q in -%s", rune(c), group)
		}
		if err := inv.set(f, value); err != nil {
			return out, err
		}
	}
	return out, nil
}

// set records a flag and checks its value as pflag's value types do (bool,
// numbers, durations, comma-separated lists; other types take any string
// here).
func (inv *Invocation) set(f *flag, value string) error {
	inv.Flags = append(inv.Flags, Flag{Name: f.name, Value: value})
	var err error
	switch f.typ {
	case "bool", "tristate":
		_, err = strconv.ParseBool(value)
	case "int", "int64":
		_, err = strconv.ParseInt(value, 0, 64)
	case "int32":
		_, err = strconv.ParseInt(value, 0, 32)
	case "duration":
		_, err = time.ParseDuration(value)
	case "stringSlice":
		if value != "" {
			_, err = csv.NewReader(strings.NewReader(value)).Read()
		}
	}
	if err != nil {
		name := "--" + f.name
		if f.shorthand != "" {
			name = "-" + f.shorthand + ", " + name
		}
		return fmt.Errorf("invalid argument %q for %q flag: %v", value, name, err)
	}
	return nil
}

package kubectl

import (
	"encoding/csv"
	"strconv"
	"strings"
)

// Command is the command path as kubectl's help writes it ("rollout
// status"); "" for bare kubectl and for plugins.
func (inv Invocation) Command() string {
	return strings.Join(inv.Path, " ")
}

// Verb is the first word of the command path ("get", "rollout"), or "".
func (inv Invocation) Verb() string {
	if len(inv.Path) == 0 {
		return ""
	}
	return inv.Path[0]
}

// Has reports whether the flag (long name) was given.
func (inv Invocation) Has(name string) bool {
	_, ok := inv.Value(name)
	return ok
}

// Value is the last value given to the flag (long name), which is the one
// kubectl uses for a flag of one value.
func (inv Invocation) Value(name string) (string, bool) {
	for i := len(inv.Flags) - 1; i >= 0; i-- {
		if inv.Flags[i].Name == name {
			return inv.Flags[i].Value, true
		}
	}
	return "", false
}

// Values is every value given to the flag (long name), in order; a list
// flag's value (-f a.yaml,b.yaml) is split at commas as kubectl splits it.
func (inv Invocation) Values(name string) []string {
	var out []string
	for _, f := range inv.Flags {
		if f.Name == name {
			out = append(out, inv.split(f)...)
		}
	}
	return out
}

// split is the values one occurrence of a flag gives: a list flag's value
// read as one CSV record, as pflag's stringSlice reads it; any other
// flag's value as it is.
func (inv Invocation) split(f Flag) []string {
	if inv.cmd == nil {
		return []string{f.Value}
	}
	if d := inv.cmd.lookup(f.Name, false); d == nil || d.typ != "stringSlice" {
		return []string{f.Value}
	}
	if f.Value == "" {
		return nil
	}
	fields, err := csv.NewReader(strings.NewReader(f.Value)).Read()
	if err != nil {
		return []string{f.Value}
	}
	return fields
}

// Bool reports whether the bool flag (long name) was given and is true as
// kubectl reads it (-i, --stdin, --stdin=true; not --stdin=false).
func (inv Invocation) Bool(name string) bool {
	v, ok := inv.Value(name)
	b, err := strconv.ParseBool(v)
	return ok && err == nil && b
}

// Namespace is the namespace given with -n/--namespace ("" when none: the
// kubeconfig's context decides) and whether -A/--all-namespaces asks for
// every namespace.
func (inv Invocation) Namespace() (ns string, all bool) {
	ns, _ = inv.Value("namespace")
	return ns, inv.Bool("all-namespaces")
}

// DryRun is the dry-run strategy of a command that has --dry-run, as
// kubectl reads the flag: "client" (also for a bare --dry-run and
// --dry-run=true), "server", or "none" (not given, false or invalid).
func (inv Invocation) DryRun() string {
	v, ok := inv.Value("dry-run")
	if !ok {
		return "none"
	}
	if b, err := strconv.ParseBool(v); err == nil {
		if b {
			return "client"
		}
		return "none"
	}
	if inv.cmd != nil {
		if f := inv.cmd.lookup("dry-run", false); f != nil && v == f.noOptDef {
			return "client" // a bare --dry-run
		}
	}
	switch v {
	case "client":
		return "client"
	case "server":
		return "server"
	}
	return "none"
}

// String is the command line as kubectl read it: the command path or the
// plugin, each flag as --name=value, the arguments, and what follows "--";
// words are quoted for a POSIX shell where they need it.
func (inv Invocation) String() string {
	words := []string{"kubectl"}
	if inv.Plugin != "" {
		words = append(words, inv.Plugin)
	}
	words = append(words, inv.Path...)
	for _, f := range inv.Flags {
		words = append(words, "--"+f.Name+"="+f.Value)
	}
	words = append(words, inv.Args...)
	if inv.Dash != nil {
		words = append(words, "--")
		words = append(words, inv.Dash...)
	}
	for i, w := range words {
		words[i] = quote(w)
	}
	return strings.Join(words, " ")
}

// quote single-quotes a word for a POSIX shell unless it is made only of
// characters no shell treats specially.
func quote(w string) string {
	if w != "" && strings.Trim(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=+.,:/@%") == "" {
		return w
	}
	return "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
}

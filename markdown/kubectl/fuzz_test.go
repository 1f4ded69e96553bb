package kubectl

import (
	"strings"
	"testing"
)

// FuzzParse feeds Parse any argv (arguments separated by NUL bytes): it must
// not panic, every flag it reports must be one of the command's, and the
// command line written back in canonical form (path, --name=value flags,
// arguments, -- and the rest) must read the same. (Not with -h: cobra adds
// the help flag only once it has found the command, so before that -h takes
// the next word for its value, and a canonical --help=true does not.)
func FuzzParse(f *testing.F) {
	for _, c := range readParseCases(f) {
		f.Add(strings.Join(argv(c.line), "\x00"))
	}
	f.Fuzz(func(t *testing.T, s string) {
		inv, err := Parse(strings.Split(s, "\x00"))
		if err != nil || inv.Plugin != "" || inv.Has("help") {
			return
		}
		for _, fl := range inv.Flags {
			if inv.cmd.lookup(fl.Name, true) == nil {
				t.Fatalf("%q: flag --%s is not one of %q's", s, fl.Name, inv.Command())
			}
		}
		again, err := Parse(canonical(inv))
		if err != nil || again.String() != inv.String() {
			t.Fatalf("%q read as %s; written back and read again: %s, %v", s, inv, again, err)
		}
	})
}

// canonical is the argv of an invocation in canonical form.
func canonical(inv Invocation) []string {
	args := append([]string(nil), inv.Path...)
	for _, f := range inv.Flags {
		args = append(args, "--"+f.Name+"="+f.Value)
	}
	args = append(args, inv.Args...)
	if inv.Dash != nil {
		args = append(append(args, "--"), inv.Dash...)
	}
	return args
}

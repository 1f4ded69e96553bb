package markdown

import (
	"regexp"

	"github.com/docrun/docrun/markdown/shell"
)

// unsetVars adds to a command step's placeholders the variables it expands
// that the page never set before (nor the step itself), as "$NAME": the
// reader was expected to set them ("export NODE_NAME=..." in prose, or a
// value of their own). Variables of the reader's environment (HOME,
// KUBECONFIG, ...) are not placeholders, and nothing is once a step has
// sourced or evaluated text that may set variables docrun cannot see.
// Steps that run elsewhere (in a container, on a node) neither set nor
// need the page's variables.
func (w *walker) unsetVars(st *Step) {
	if st.Kind != KindCommand || st.Target != nil {
		return
	}
	if w.vars == nil {
		w.vars = map[string]bool{}
	}
	v := shell.Parse(st.Code).Vars()
	for _, n := range v.Set {
		w.vars[n] = true
	}
	if v.Opaque {
		w.opaque = true
	}
	if w.opaque {
		return
	}
	for _, n := range v.Used {
		if !w.vars[n] && !shell.Environment[n] {
			st.Placeholders = appendNew(st.Placeholders, "$"+n)
		}
	}
}

// capitalName is a placeholder written in capitals (NODE_NAME, POD-NAME).
var capitalName = regexp.MustCompile(`^[A-Z][A-Z0-9]*(?:[_-][A-Z0-9]+)+$`)

// capitalSpans returns the code spans of the prose around a block that are
// names in capitals: pages explain such placeholders there ("where
// `NODE_NAME` is the name of your node").
func capitalSpans(spans []string) []string {
	var out []string
	for _, s := range spans {
		if capitalName.MatchString(s) {
			out = append(out, s)
		}
	}
	return out
}

// appendNew appends the names not already in list.
func appendNew(list []string, names ...string) []string {
	for _, n := range names {
		dup := false
		for _, m := range list {
			if m == n {
				dup = true
				break
			}
		}
		if !dup {
			list = append(list, n)
		}
	}
	return list
}

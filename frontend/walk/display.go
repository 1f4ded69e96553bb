package walk

import (
	"fmt"
	"strings"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/formatters"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/result"
)

// maxShown is how many lines of a block that is not run are shown.
const maxShown = 12

// show prints a step: its section heading when it changes, the prose
// before it, and its code.
func (w *walker) show(i int, st *result.StepResult) {
	total := len(w.ps.Steps())
	if st.Section != w.section {
		w.section = st.Section
		if st.Section != "" {
			w.printf("\n%s\n", w.bold("## "+st.Section))
		}
	}
	if w.page != nil && !st.Hidden {
		if prose := w.page.ProseBefore(st.Index); prose != "" {
			w.printf("\n%s", wrap(prose, w.o.Width))
		}
	}
	what := "step"
	switch {
	case st.Hidden:
		what = "hidden step (from a docrun directive or docrun.yaml)"
	case st.Kind == markdown.KindManifest && st.File != "":
		what = "manifest " + st.File
	case st.Kind == markdown.KindManifest:
		what = "manifest"
	case st.Kind != markdown.KindCommand:
		what = string(st.Kind) + " step"
	}
	w.printf("\n%s\n", w.dim(fmt.Sprintf("[%d/%d] %s, line %d", i+1, total, what, st.Line)))
	code := st.Code
	if passOver(st) != "" {
		lines := strings.Split(strings.TrimRight(code, "\n"), "\n")
		if len(lines) > maxShown {
			code = strings.Join(lines[:maxShown], "\n") + "\n"
			defer w.printf("    … (%d more lines)\n", len(lines)-maxShown)
		}
	}
	w.printf("%s", w.code(code, st.Lang))
}

// code returns code indented by four columns, highlighted when colours
// are on.
func (w *walker) code(code, lang string) string {
	code = strings.TrimRight(code, "\n") + "\n"
	if w.o.Color {
		if h, ok := w.highlight(code, lang); ok {
			code = h
		}
	}
	var b strings.Builder
	for _, l := range strings.SplitAfter(strings.TrimSuffix(code, "\n"), "\n") {
		b.WriteString("    " + l)
	}
	b.WriteString("\n")
	if w.o.Color {
		b.WriteString("\x1b[0m")
	}
	return b.String()
}

// highlight formats code with chroma's terminal formatter.
func (w *walker) highlight(code, lang string) (string, bool) {
	l := lexerFor(lang)
	style := styles.Get(w.o.Style)
	if w.o.Style == "" {
		style = styles.Get("monokai")
	}
	name := w.o.Formatter
	if name == "" {
		name = "terminal256"
	}
	f := formatters.Get(name)
	it, err := l.Tokenise(nil, code)
	if err != nil {
		return "", false
	}
	var b strings.Builder
	if err := f.Format(&b, style, it); err != nil {
		return "", false
	}
	return b.String(), true
}

func lexerFor(lang string) chroma.Lexer {
	switch lang {
	case "", "shell", "sh", "console", "terminal":
		lang = "bash"
	}
	l := lexers.Get(lang)
	if l == nil {
		l = lexers.Fallback
	}
	return chroma.Coalesce(l)
}

func (w *walker) bold(s string) string {
	if !w.o.Color {
		return s
	}
	return "\x1b[1m" + s + "\x1b[0m"
}

func (w *walker) dim(s string) string {
	if !w.o.Color {
		return s
	}
	return "\x1b[2m" + s + "\x1b[0m"
}

// wrap wraps prose to width terminal columns: each line of s is a
// paragraph (or a list item, "- ...", continued with a hanging indent);
// blank lines stay. Lines break at spaces and, in CJK text such as
// Japanese, which has no spaces, between characters, but not before
// closing or after opening punctuation (see segments). A piece that still
// does not fit, such as a word longer than the width, starts a line of its
// own and is cut at the width.
func wrap(s string, width int) string {
	var b strings.Builder
	for _, para := range strings.Split(s, "\n") {
		indent := ""
		if strings.HasPrefix(para, "- ") {
			indent = "  "
		}
		col, start := 0, true
		for _, word := range strings.FieldsFunc(para, isBreakSpace) {
			for i, seg := range segments(word) {
				sep := 0 // a space before a word that does not start a line
				if i == 0 && !start {
					sep = 1
				}
				n := displayWidth(seg)
				for seg != "" {
					switch {
					case col+sep+n <= width:
						b.WriteString(strings.Repeat(" ", sep) + seg)
						col, start, seg = col+sep+n, false, ""
					case !start:
						b.WriteString("\n" + indent)
						col, start, sep = len(indent), true, 0
					default:
						cut, w := fit(seg, width-col)
						b.WriteString(seg[:cut])
						col, start, seg, n = col+w, false, seg[cut:], n-w
					}
				}
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// suggest returns a value to offer for an unbound placeholder: the value
// of a binding with the same name written differently (pod_name,
// pod-name, PodName), or else one that shares a significant word with it
// (<your-namespace> and the page's namespace).
func suggest(name string, binds map[string]result.Binding) string {
	norm := func(s string) string {
		return strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.ToLower(s))
	}
	for k, b := range binds {
		if norm(k) == norm(name) {
			return b.Value
		}
	}
	words := func(s string) map[string]bool {
		out := map[string]bool{}
		for _, f := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == '-' || r == '_' || r == ' ' }) {
			switch f {
			case "name", "your", "my", "the", "a", "of", "path", "to":
				continue
			}
			out[f] = true
		}
		return out
	}
	want := words(name)
	best, bestKey := "", ""
	for k, b := range binds {
		for wd := range words(k) {
			// The smallest key wins, so that the choice does not depend on
			// map order.
			if want[wd] && (bestKey == "" || k < bestKey) {
				best, bestKey = b.Value, k
			}
		}
	}
	return best
}

package runner

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/runner/session"

	"github.com/docrun/docrun/result"
)

// bindings holds the values placeholders get on one page.
type bindings struct {
	values map[string]result.Binding
	// weak are the names of docrun's values that yield to an object the
	// page made (node-name: any Ready node, unless the page labelled one).
	weak map[string]bool
	// objects binds a placeholder to an object the page made (see
	// pageRun.objectBinding), given the code it is in; nil without a
	// cluster. why says, when ok is false, why no object fits (two
	// candidates), or is "" when the placeholder names no object.
	// anyOne says the page lets the reader pick any one of several
	// objects (Step.AnyOne).
	objects func(name, code string, anyOne bool) (b result.Binding, why string, ok bool)
	// why are the reasons the last bind left placeholders unbound, by name.
	why map[string]string
	// env are the names of the variables the page's shell starts with: a
	// $VAR placeholder the environment sets needs nothing.
	env map[string]bool
}

// envNames returns the names of NAME=value entries.
func envNames(env []string) map[string]bool {
	m := make(map[string]bool, len(env))
	for _, e := range env {
		if name, _, ok := strings.Cut(e, "="); ok {
			m[name] = true
		}
	}
	m[session.EnvMarker] = true
	return m
}

func (b *bindings) set(name, value, source string) {
	if b.values == nil {
		b.values = map[string]result.Binding{}
	}
	b.values[name] = result.Binding{Name: name, Value: value, Source: source}
}

// get returns the value of a placeholder: given under its own name, or,
// for a variable the page never sets ($NODE_NAME), under the variable's
// name (--set NODE_NAME=...); otherwise a value docrun bound itself under
// the same name written another way (<your-namespace>, $NAMESPACE and
// NAMESPACE are all "namespace"; <your-node-name> is "node-name").
func (b *bindings) get(name string) (result.Binding, bool) {
	if v, ok := b.values[name]; ok {
		return v, true
	}
	if v, ok := b.values[strings.TrimPrefix(name, "$")]; ok {
		return v, true
	}
	want := canonicalName(name)
	for _, k := range sortedKeys(b.values) {
		if v := b.values[k]; v.Source == "auto" && canonicalName(k) == want {
			return v, true
		}
	}
	return result.Binding{}, false
}

// canonicalName folds the ways pages write one placeholder: case, _ or -
// or spaces, a leading $ and a leading "your"/"my"/"the".
func canonicalName(name string) string {
	n := strings.ToLower(strings.TrimPrefix(name, "$"))
	n = strings.NewReplacer("_", "-", " ", "-").Replace(n)
	for _, p := range []string{"your-", "my-", "the-"} {
		n = strings.TrimPrefix(n, p)
	}
	return n
}

func sortedKeys(m map[string]result.Binding) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// bind replaces a step's placeholders with their values. It returns the
// code, the bindings used and the names still unbound (unbound says why,
// when an object could be meant). A value given (--set, docrun.yaml) or
// docrun's own comes first, then an object the page made, then a weak
// value of docrun's.
func (b *bindings) bind(code string, names []string) (string, []result.Binding, []string) {
	return b.bindAny(code, names, false)
}

// bindAny is bind for a step whose prose lets the reader pick any one of
// several objects (Step.AnyOne) when anyOne is set.
func (b *bindings) bindAny(code string, names []string, anyOne bool) (string, []result.Binding, []string) {
	var used []result.Binding
	var missing []string
	b.why = nil
	for _, n := range names {
		if v, ok := strings.CutPrefix(n, "$"); ok && b.env[v] {
			continue // the shell's environment has it
		}
		v, ok := b.get(n)
		if (!ok || b.weak[v.Name]) && b.objects != nil {
			if o, why, found := b.objects(n, code, anyOne); found {
				v, ok = o, true
			} else if why != "" && !ok {
				if b.why == nil {
					b.why = map[string]string{}
				}
				b.why[n] = why
			}
		}
		if !ok {
			missing = append(missing, n)
			continue
		}
		used = append(used, v)
		code = replacePlaceholder(code, n, v.Value)
	}
	return code, used, missing
}

// unbound returns why the last bind left a placeholder without a value
// (several objects the page made could be meant), or "".
func (b *bindings) unbound(name string) string { return b.why[name] }

// missingReason is the skip reason of a step that needs a value for the
// placeholder name (where says where, for a file's placeholder).
func (b *bindings) missingReason(name, where string) string {
	if v, ok := strings.CutPrefix(name, "$"); ok {
		return fmt.Sprintf("needs $%s, which the page never sets (bind it with --set %s=VALUE)", v, v)
	}
	why := ""
	if w := b.unbound(name); w != "" {
		why = ": " + w
	}
	return fmt.Sprintf("needs a value for <%s>%s%s (bind it with --set %s=VALUE)", name, where, why, name)
}

// replacePlaceholder puts value in place of <name>, or of the literal
// placeholder name as a whole word.
func replacePlaceholder(code, name, value string) string {
	if v, ok := strings.CutPrefix(name, "$"); ok {
		// a variable the reader sets before typing the command
		return "export " + v + "=" + shellQuote(value) + "\n" + code
	}
	if strings.Contains(code, "‹"+name+"›") {
		return strings.ReplaceAll(code, "‹"+name+"›", value)
	}
	if strings.Contains(code, "<"+name+">") {
		return strings.ReplaceAll(code, "<"+name+">", value)
	}
	// the name as a whole word, not a variable of the same name ($NAME)
	re := regexp.MustCompile(`(^|[^$\w{-])` + regexp.QuoteMeta(name) + `\b`)
	return re.ReplaceAllString(code, "${1}"+strings.ReplaceAll(value, "$", "$$"))
}

// shellQuote quotes a value for bash.
func shellQuote(v string) string {
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}

// substitute applies a page's configured substitutions; ${name} in a
// replacement refers to a bound placeholder.
func (b *bindings) substitute(code string, subs []Substitution) string {
	for _, s := range subs {
		repl := s.Replace
		for name, v := range b.values {
			repl = strings.ReplaceAll(repl, "${"+name+"}", v.Value)
		}
		if s.re != nil {
			code = s.re.ReplaceAllString(code, repl)
		} else {
			code = strings.ReplaceAll(code, s.Literal, repl)
		}
	}
	return code
}

// mapExamples replaces https://k8s.io/examples/PATH (and kubernetes.io)
// with the site's content/en/examples/PATH when the site has it, so a docs
// change is tested with its own manifests and offline; curl and wget calls
// that fetch one become a copy of it (fetchExamples). Misses are
// returned: URLs whose file is not in the site's English examples (other
// says the language folder that has it, if any), and URLs that lead
// outside the site (markdown.Site.FindExample contains them as it does the
// page's own example files; such a URL is left as written).
func mapExamples(code string, site *markdown.Site, lang string) (string, []exampleMiss) {
	if site == nil || site.Root == "" {
		return code, nil
	}
	code = fetchExamples(code, site)
	var misses []exampleMiss
	out := markdown.ExampleURLPattern.ReplaceAllStringFunc(code, func(u string) string {
		p := markdown.ExampleURLPath(u)
		if p == "" {
			return u
		}
		local, err := site.FindExample("en", p)
		if local != "" {
			return local
		}
		miss := exampleMiss{url: u, path: p, err: err}
		if err == nil && lang != "en" {
			if other, _ := site.FindExample(lang, p); other != "" {
				miss.other = lang
			}
		}
		misses = append(misses, miss)
		return u
	})
	return out, misses
}

type exampleMiss struct {
	url, path, other string
	err              error // why the URL maps to no local file, beyond its absence
}

func (m exampleMiss) String() string {
	if m.err == markdown.ErrOutside {
		return m.url + " is outside the site"
	}
	if m.err != nil {
		return m.url + ": " + m.err.Error()
	}
	s := m.url + " is not under content/en/examples/" + m.path
	if m.other != "" {
		s += " (it exists only under content/" + m.other + "/examples: the published URL would not find it)"
	}
	return s
}

// sortedBindings returns bindings ordered by name, for stable output.
func sortedBindings(bs []result.Binding) []result.Binding {
	sort.Slice(bs, func(i, j int) bool { return bs[i].Name < bs[j].Name })
	return bs
}

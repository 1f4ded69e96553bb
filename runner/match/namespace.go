package match

import (
	"regexp"
	"strings"
)

// mNamespace replaces, for the comparison, a namespace name that stands for
// the namespace the page works in (see names).
const mNamespace = "\x1aN"

// names is the set of namespace names that are one namespace for a
// comparison: `default` and the namespaces the run used instead of the
// reader's (docrun's own `docrun-x7k2p`). A page shows its reader's
// namespace, most often `default`; the run shows its own. Empty when the
// caller gave no namespaces: then every name is itself.
type names map[string]bool

func newNames(run []string) names {
	n := names{}
	for _, s := range run {
		if s = strings.TrimSpace(s); s != "" {
			n[s] = true
		}
	}
	if len(n) == 0 {
		return nil
	}
	n["default"] = true
	return n
}

// nameRun matches a run of the characters of names: a namespace name is
// replaced only as a whole run, so `default-token-x7k2p` and
// `Default` stay while `my-svc.default.svc` and `namespace/default` match.
var nameRun = regexp.MustCompile(`[A-Za-z0-9_-]+`)

// kubectl names the namespace in messages where older versions did not:
// `pod "web-0" deleted from default namespace` was `pod "web-0" deleted`,
// "No resources found in default namespace." was "No resources found.".
// Pages show either; for one of the names, both read as the older form.
var nsPhrases = strings.NewReplacer(
	" from "+mNamespace+" namespace", "",
	"No resources found in "+mNamespace+" namespace", "No resources found",
)

// same returns line with each name of the set replaced by one marker, so
// that two lines that differ only in which of the names they show are the
// same, and kubectl's messages that name one of them in their older form.
func (n names) same(line string) string {
	if len(n) == 0 || !n.in(line) {
		return line
	}
	return nsPhrases.Replace(n.replace(line, mNamespace))
}

// replace returns line with each whole name of the set written as with.
func (n names) replace(line, with string) string {
	return nameRun.ReplaceAllStringFunc(line, func(s string) string {
		if n[s] {
			return with
		}
		return s
	})
}

// PageNamespace returns a function that writes the run's namespaces
// (docrun's own docrun-x7k2p, or the one it was told to use) in a line of
// the run's output as the page's `default`, by the rule of the comparison:
// only whole names, so `default-token-x7k2p` stays. With no run
// namespaces it returns lines unchanged.
func PageNamespace(run []string) func(line string) string {
	n := newNames(run)
	return func(line string) string {
		if len(n) == 0 || !n.in(line) {
			return line
		}
		return n.replace(line, "default")
	}
}

// in reports whether line contains one of the names (as any substring): a
// quick test before the token scan.
func (n names) in(line string) bool {
	for s := range n {
		if strings.Contains(line, s) {
			return true
		}
	}
	return false
}

// sameAll applies same to each line; it returns lines itself when the set
// is empty.
func (n names) sameAll(lines []string) []string {
	if len(n) == 0 {
		return lines
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = n.same(l)
	}
	return out
}

package update

import (
	"slices"
	"strings"

	"github.com/docrun/docrun/result"
)

// redacted is what docrun writes in output in place of a secret.
const redacted = "[REDACTED]"

// pageText is a step's output as the page shows it, given the page's text
// it replaces (old: the expected block, or the step's code for a new
// block, expected false): the values docrun bound to placeholders the page shows written
// as the page writes them (<pod-name>), the run's namespace as the page's,
// and a redacted secret as the page showed that line, when it did.
func (o Options) pageText(st *result.StepResult, old string, expected bool) (string, string) {
	out := st.Output()
	var lines []string
	if o.Lines != nil {
		lines = o.Lines(out)
	} else {
		lines = strings.Split(strings.TrimRight(out, "\r\n"), "\n")
	}
	if len(lines) == 0 || len(lines) == 1 && strings.TrimSpace(lines[0]) == "" {
		return "", "it printed nothing: not updated"
	}
	forms := placeholderForms(st.Bindings, old)
	used := map[int]bool{}
	var oldLines []string
	if expected {
		oldLines = strings.Split(old, "\n")
	}
	for i, l := range lines {
		if t := strings.TrimLeft(l, " \t"); strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			return "", "its output has a line that would close the block's fence: not updated"
		}
		for _, f := range forms {
			l = replaceWord(l, f.value, f.form)
		}
		if o.Namespace != nil {
			l = o.Namespace(l)
		}
		lines[i] = keepRedacted(l, oldLines, used)
	}
	return strings.Join(lines, "\n") + "\n", ""
}

// form is a bound value and how the page writes its placeholder.
type form struct{ value, form string }

// placeholderForms are the bindings whose placeholder the page's text
// shows, each with the spelling it shows: <name>, ‹name›, or NAME for a
// name in capitals. Secrets are never among them: their values are
// redacted already.
func placeholderForms(bindings []result.Binding, old string) []form {
	var out []form
	for _, b := range bindings {
		if b.Secret || len(b.Value) < 2 || strings.ContainsAny(b.Value, "\n") {
			continue
		}
		spellings := []string{"<" + b.Name + ">", "‹" + b.Name + "›"}
		if b.Name == strings.ToUpper(b.Name) {
			spellings = append(spellings, "$"+b.Name, b.Name)
		}
		for _, s := range spellings {
			if strings.Contains(old, s) {
				out = append(out, form{b.Value, s})
				break
			}
		}
	}
	// Longer values first: a Pod's name holds its Deployment's.
	slices.SortStableFunc(out, func(a, b form) int { return len(b.value) - len(a.value) })
	return out
}

// nameChar reports whether c can be part of an object's name: a value is
// replaced only where it is a whole name (web-0, not web-0-x7k2p).
func nameChar(c byte) bool {
	return c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// replaceWord replaces each whole-name occurrence of value in s.
func replaceWord(s, value, with string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, value)
		if i < 0 {
			break
		}
		end := i + len(value)
		if (i == 0 || !nameChar(s[i-1])) && (end == len(s) || !nameChar(s[end])) {
			b.WriteString(s[:i] + with)
		} else {
			b.WriteString(s[:end])
		}
		s = s[end:]
	}
	b.WriteString(s)
	return b.String()
}

// keepRedacted writes a line with one redacted value as the page showed
// that line, when one of the page's lines has the same words before it
// (or, for the first word, the same second word) and a value of the same
// shape at its place, whatever the spacing: `token: [REDACTED]` becomes
// the page's `token: <your-token>`, a table row `[REDACTED]   Opaque   2`
// the page's `db-user-pass   Opaque   2`. Each of the page's lines serves
// once (used), so that no value is shown twice. The page's own text is public;
// the run's secret never shows.
func keepRedacted(line string, old []string, used map[int]bool) string {
	if strings.Count(line, redacted) != 1 {
		return line
	}
	words := strings.Fields(line)
	k := slices.IndexFunc(words, func(w string) bool { return strings.Contains(w, redacted) })
	if len(words) < 2 {
		return line // a lone value: nothing says which of the page's it is
	}
	pre, post, _ := strings.Cut(words[k], redacted)
	for i, o := range old {
		if used[i] {
			continue
		}
		if v, ok := valueAt(words, k, pre, post, strings.Fields(o)); ok {
			used[i] = true
			return strings.Replace(line, redacted, v, 1)
		}
	}
	return line
}

// valueAt is the value an old line's words (ow) show where a line's words
// have a redacted one (words[k], pre and post around the marker): the same
// words before it and a value of its shape in its place; a redacted last
// word stands for the rest of the old line ("password:  12 bytes").
func valueAt(words []string, k int, pre, post string, ow []string) (string, bool) {
	if len(ow) < 2 || len(ow) < k+1 || !slices.Equal(ow[:k], words[:k]) {
		return "", false
	}
	v := ""
	switch {
	case k > 0 && k == len(words)-1 && pre == "" && post == "":
		v = strings.Join(ow[k:], " ")
	case len(ow) != len(words) || k == 0 && ow[1] != words[1]:
		return "", false
	case len(ow[k]) > len(pre)+len(post) && strings.HasPrefix(ow[k], pre) && strings.HasSuffix(ow[k], post):
		v = ow[k][len(pre) : len(ow[k])-len(post)]
	}
	return v, v != "" && !strings.Contains(v, redacted)
}

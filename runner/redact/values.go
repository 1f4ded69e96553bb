package redact

import (
	"encoding/base64"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// Redactor hides secrets. It holds the secret values learned so far; its
// methods are safe for concurrent use. A nil *Redactor hides nothing.
type Redactor struct {
	mu     sync.Mutex
	values map[string]bool
	gen    atomic.Uint64
	match  atomic.Pointer[matcher] // nil: to be built
}

// New returns a Redactor that knows no values yet.
func New() *Redactor { return &Redactor{values: map[string]bool{}} }

// Generation counts the changes of the set of known values: text redacted
// before it changed may show a value known now.
func (r *Redactor) Generation() uint64 {
	if r == nil {
		return 0
	}
	return r.gen.Load()
}

// Add records secret values: they are replaced wherever they appear, as
// they are and base64-encoded (at any alignment, so inside the encoding of
// a longer text too). A value of several lines adds each of its lines
// that has no space and at least 8 characters (the lines of a key or a
// certificate), not the common lines of YAML. Values shorter than
// MinValueLen, and the markers of kubectl and docrun, are ignored.
func (r *Redactor) Add(values ...string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, v := range values {
		v = strings.TrimSpace(v)
		if strings.Contains(v, "\n") {
			for _, l := range strings.Split(v, "\n") {
				if l = strings.TrimSpace(l); len(l) >= 8 && !strings.ContainsAny(l, " \t") {
					r.addLocked(l)
				}
			}
			continue
		}
		r.addLocked(v)
	}
}

func (r *Redactor) addLocked(v string) {
	if len(v) < MinValueLen || placeholderValue(v) || r.values[v] {
		return
	}
	r.values[v] = true
	r.match.Store(nil)
	r.gen.Add(1)
}

// AddEnv records the values of the variables of env (NAME=value) whose
// names look secret.
func (r *Redactor) AddEnv(env []string) {
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && SecretName(k) {
			r.Add(v)
		}
	}
}

// AddShellValues records the values printed by ShellQuery.
func (r *Redactor) AddShellValues(out string) {
	for _, v := range strings.Split(out, "\x00") {
		r.Add(v)
	}
}

// Learn records the literal values code assigns to secret-looking
// variables (export MY_SECRET=s3cr3t), before the code runs, so that even
// its live output is redacted.
func (r *Redactor) Learn(code string) {
	if r == nil {
		return
	}
	for _, m := range assignRe.FindAllStringSubmatch(code, -1) {
		r.Add(strings.Trim(m[2], `"'`))
	}
}

// learnData records a Secret's data value: as it is, and decoded.
func (r *Redactor) learnData(v string) {
	v = strings.Trim(strings.TrimSpace(v), `"',`)
	r.Add(v)
	if dec, err := base64.StdEncoding.DecodeString(v); err == nil && utf8.Valid(dec) {
		r.Add(string(dec))
	}
}

// placeholderValue reports whether v is no secret but a stand-in for one.
func placeholderValue(v string) bool {
	switch strings.Trim(v, `"'`) {
	case "", Marker, "REDACTED", "DATA+OMITTED", "true", "false", "null", "~", "{}", "[]", "|", ">", "|-", ">-", "|+", ">+":
		return true
	}
	return strings.HasPrefix(v, "$") || strings.HasPrefix(v, "<") && strings.HasSuffix(v, ">")
}

// matcher finds the known values and their encodings in a line: the
// candidates for each first byte, longest first.
type matcher struct {
	byFirst [256][]string
}

// matcher returns the matcher of the values known now, or nil when none
// are.
func (r *Redactor) matcher() *matcher {
	if m := r.match.Load(); m != nil {
		return m
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.values) == 0 {
		return nil
	}
	if m := r.match.Load(); m != nil {
		return m
	}
	forms := map[string]bool{}
	for v := range r.values {
		forms[v] = true
		for _, f := range encodings(v) {
			forms[f] = true
		}
	}
	m := &matcher{}
	for f := range forms {
		m.byFirst[f[0]] = append(m.byFirst[f[0]], f)
	}
	for i := range m.byFirst {
		c := m.byFirst[i]
		sort.Slice(c, func(a, b int) bool { return len(c[a]) > len(c[b]) || len(c[a]) == len(c[b]) && c[a] < c[b] })
	}
	r.match.Store(m)
	return m
}

// minEncoded is the shortest base64 fragment looked for: shorter ones
// would hide ordinary words.
const minEncoded = 6

// encodings are the forms v takes inside base64 text, standard and URL
// alphabets: its whole encoding with padding, and for each of the three
// alignments it can have inside a longer encoded text, the characters that
// depend on v alone.
func encodings(v string) []string {
	out := []string{base64.StdEncoding.EncodeToString([]byte(v))}
	for k := 0; k < 3; k++ {
		enc := base64.StdEncoding.EncodeToString(append(make([]byte, k), v...))
		enc = strings.TrimRight(enc, "=")
		// The first characters also hold bits of the k bytes before v.
		lead := [3]int{0, 2, 3}[k]
		// The last character holds bits of the byte after v unless v
		// ends a group of three.
		trail := 0
		if (k+len(v))%3 != 0 {
			trail = 1
		}
		if len(enc)-lead-trail >= minEncoded {
			out = append(out, enc[lead:len(enc)-trail])
		}
	}
	for _, f := range out {
		if u := strings.NewReplacer("+", "-", "/", "_").Replace(f); u != f {
			out = append(out, strings.TrimRight(u, "="))
		}
	}
	return out
}

// find calls add for each known form in s, leftmost first, longest at a
// position, without overlaps.
func (m *matcher) find(s string, add func(start, end int)) {
	for i := 0; i < len(s); {
		n := 0
		for _, v := range m.byFirst[s[i]] {
			if strings.HasPrefix(s[i:], v) {
				n = len(v)
				break
			}
		}
		if n > 0 {
			add(i, i+n)
			i += n
			continue
		}
		i++
	}
}

// Clone returns a Redactor that knows the values r knows now, and learns
// apart from it.
func (r *Redactor) Clone() *Redactor {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	c := New()
	for v := range r.values {
		c.values[v] = true
	}
	return c
}

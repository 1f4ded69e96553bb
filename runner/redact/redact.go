// Package redact hides secrets in what docrun shows and saves: step output,
// the commands as run, the run result, reports and the terminal.
//
// Two kinds of things are hidden. Secrets recognised by their shape: bearer
// tokens and JWTs, the token, password, client-key-data and
// client-certificate-data fields of kubeconfigs (YAML and JSON), the data
// and stringData values of Secret objects printed as YAML or JSON, private
// keys, and values assigned to variables whose names contain TOKEN, PASSWORD
// or SECRET. And secret values the Redactor was told about (Add): the
// values of such variables in the page's shell, wherever they show up
// later, with their base64 forms. Each is replaced by Marker.
package redact

import (
	"encoding/base64"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// Marker replaces every secret.
const Marker = "[REDACTED]"

// MinValueLen is the shortest known value Add accepts: shorter ones would
// replace ordinary words and numbers everywhere.
const MinValueLen = 4

// Redactor hides secrets. Its methods are safe for concurrent use; a nil
// *Redactor hides nothing.
type Redactor struct {
	mu     sync.RWMutex
	values map[string]bool
	repl   *strings.Replacer
}

// New returns a Redactor that knows no values yet.
func New() *Redactor { return &Redactor{values: map[string]bool{}} }

// secretName matches variable names whose values are secrets.
var secretName = regexp.MustCompile(`(?i)token|passw(or)?d|secret|api_?key|private_?key|credential`)

// SecretName reports whether a variable or field name holds a secret.
func SecretName(name string) bool { return secretName.MatchString(name) }

// Add records secret values: they are replaced wherever they appear, as
// they are and base64-encoded. Values shorter than MinValueLen, and the
// markers of kubectl and docrun, are ignored.
func (r *Redactor) Add(values ...string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, v := range values {
		v = strings.TrimSpace(v)
		if len(v) < MinValueLen || placeholderValue(v) || r.values[v] {
			continue
		}
		r.values[v] = true
		r.values[base64.StdEncoding.EncodeToString([]byte(v))] = true
		r.repl = nil
	}
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

// ShellQuery is bash code that prints, NUL-terminated, the values of the
// shell's variables whose names look secret; AddShellValues reads its
// output.
const ShellQuery = `for __docrun_v in $(compgen -v); do case "${__docrun_v^^}" in ` +
	`*TOKEN*|*PASSWORD*|*PASSWD*|*SECRET*|*APIKEY*|*API_KEY*|*PRIVATE_KEY*|*CREDENTIAL*) ` +
	`printf '%s\0' "${!__docrun_v}";; esac; done; unset __docrun_v`

// AddShellValues records the values printed by ShellQuery.
func (r *Redactor) AddShellValues(out string) {
	for _, v := range strings.Split(out, "\x00") {
		r.Add(v)
	}
}

// MentionsSecret reports whether code refers to a variable whose name looks
// secret: after such a step the shell's variables are worth reading.
func MentionsSecret(code string) bool { return secretName.MatchString(code) }

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

// placeholderValue reports whether v is no secret but a stand-in for one.
func placeholderValue(v string) bool {
	switch strings.Trim(v, `"'`) {
	case "", Marker, "REDACTED", "DATA+OMITTED", "true", "false", "null", "~", "{}", "[]", "|", ">", "|-", ">-":
		return true
	}
	return strings.HasPrefix(v, "$") || strings.HasPrefix(v, "<") && strings.HasSuffix(v, ">")
}

var (
	// jwtRe matches JSON web tokens (service-account tokens among them)
	// and their base64 encoding as a Secret's data holds them.
	jwtRe = regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*|\bZXlK[A-Za-z0-9+/]{40,}={0,2}`)
	// bearerRe matches the credentials of an Authorization header.
	bearerRe = regexp.MustCompile(`(?i)(\b(?:bearer|basic)\s+)([A-Za-z0-9\-._~+/]{8,}=*)`)
	// assignRe matches NAME=value with a secret-looking NAME and a literal
	// value (not $VAR or $(command)).
	assignRe = regexp.MustCompile(`(?i)\b([A-Za-z0-9_]*(?:token|passw(?:or)?d|secret|api_?key|private_?key|credential)[A-Za-z0-9_]*)=("[^"$\x60]+"|'[^']+'|[^\s"'$\x60;|&()<>]+)`)
	// flagRe matches --token=VALUE and --password VALUE.
	flagRe = regexp.MustCompile(`(?i)(--(?:token|password|client-secret|client-key-data|client-certificate-data)[= ])([^\s$"'][^\s"']*)`)
	// pemRe matches private keys.
	pemRe = regexp.MustCompile(`(?s)(-----BEGIN [A-Z ]*PRIVATE KEY-----).*?(-----END [A-Z ]*PRIVATE KEY-----)`)
)

// triggers are substrings without which no shape rule can match.
var triggers = []string{"eyJ", "ZXlK", "earer", "asic", "=", ":", "PRIVATE KEY"}

// String returns s with every secret replaced by Marker.
func (r *Redactor) String(s string) string {
	if r == nil || s == "" {
		return s
	}
	if hasAny(s, triggers) {
		s = r.shapes(s)
	}
	r.mu.RLock()
	repl, n := r.repl, len(r.values)
	r.mu.RUnlock()
	if n == 0 {
		return s
	}
	if repl == nil {
		repl = r.replacer()
	}
	return repl.Replace(s)
}

// replacer builds the replacer of known values, longest first.
func (r *Redactor) replacer() *strings.Replacer {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.repl != nil {
		return r.repl
	}
	vals := make([]string, 0, len(r.values))
	for v := range r.values {
		vals = append(vals, v)
	}
	sort.Slice(vals, func(i, j int) bool { return len(vals[i]) > len(vals[j]) })
	args := make([]string, 0, 2*len(vals))
	for _, v := range vals {
		args = append(args, v, Marker)
	}
	r.repl = strings.NewReplacer(args...)
	return r.repl
}

// shapes applies the rules that recognise secrets by their shape, learning
// the values of Secret data on the way.
func (r *Redactor) shapes(s string) string {
	if strings.Contains(s, "PRIVATE KEY-----") {
		s = pemRe.ReplaceAllString(s, "$1\n"+Marker+"\n$2")
	}
	if strings.Contains(s, ":") {
		s = r.structured(s)
	}
	if strings.Contains(s, "eyJ") || strings.Contains(s, "ZXlK") {
		s = jwtRe.ReplaceAllString(s, Marker)
	}
	if strings.Contains(s, "earer") || strings.Contains(s, "asic") || strings.Contains(s, "EARER") || strings.Contains(s, "ASIC") {
		s = bearerRe.ReplaceAllStringFunc(s, func(m string) string {
			sub := bearerRe.FindStringSubmatch(m)
			if placeholderValue(sub[2]) {
				return m
			}
			return sub[1] + Marker
		})
	}
	if strings.Contains(s, "=") || strings.Contains(s, "--") {
		s = assignRe.ReplaceAllStringFunc(s, func(m string) string {
			sub := assignRe.FindStringSubmatch(m)
			if placeholderValue(sub[2]) {
				return m
			}
			return sub[1] + "=" + Marker
		})
		s = flagRe.ReplaceAllStringFunc(s, func(m string) string {
			sub := flagRe.FindStringSubmatch(m)
			if placeholderValue(sub[2]) {
				return m
			}
			return sub[1] + Marker
		})
	}
	return s
}

func hasAny(s string, subs []string) bool {
	for _, t := range subs {
		if strings.Contains(s, t) {
			return true
		}
	}
	return false
}

// learnData records a Secret's data value: as it is, and decoded.
func (r *Redactor) learnData(v string) {
	v = strings.Trim(strings.TrimSpace(v), `"',`)
	r.Add(v)
	if dec, err := base64.StdEncoding.DecodeString(v); err == nil && utf8.Valid(dec) {
		r.Add(string(dec))
	}
}

package redact

import (
	"regexp"
	"strings"
)

// Output of kubectl is YAML or indented JSON, often mixed with other
// lines, so the structured rules work line by line on indentation rather
// than on a parse: a mapping is the run of lines at one key indentation.
//
//   - A field whose name is a credential (token, password, client-key-data,
//     ...) has its value replaced, in YAML (token: x) and JSON ("token": "x").
//   - In a mapping with kind: Secret, every value under data, stringData and
//     binaryData is replaced (kubectl prints data before kind, so the whole
//     mapping is looked at), and learned with its decoded form.
//   - In a mapping whose name is secret-looking (an env entry
//     name: DB_PASSWORD), the sibling value is replaced.

// line is one line of text with what the rules need of it.
type line struct {
	text   string
	indent int    // leading spaces
	keyAt  int    // indentation of its key: indent, plus 2 after "- "
	item   bool   // starts a list item ("- key: ...")
	key    string // the mapping key, unquoted; "" when the line has none
	val    string // the rest after the colon, trimmed
	valAt  int    // offset of the value in text
	json   bool   // the key was quoted
	blank  bool
}

var keyRe = regexp.MustCompile(`^( *)(- +)?("?)([A-Za-z0-9_.\-/]+)("?) *: *(.*)$`)

func parseLine(t string) line {
	l := line{text: t}
	if strings.TrimSpace(t) == "" {
		l.blank = true
		return l
	}
	l.indent = len(t) - len(strings.TrimLeft(t, " "))
	l.keyAt = l.indent
	m := keyRe.FindStringSubmatchIndex(t)
	if m == nil {
		if strings.HasPrefix(t[l.indent:], "- ") {
			l.item, l.keyAt = true, l.indent+2
		}
		return l
	}
	if m[4] >= 0 {
		l.item = true
		l.keyAt = m[5]
	}
	if (m[7] > m[6]) != (m[11] > m[10]) {
		return l // unbalanced quote: not a key
	}
	l.json = m[7] > m[6]
	l.key = t[m[8]:m[9]]
	l.valAt = m[12]
	l.val = strings.TrimSpace(t[m[12]:m[13]])
	return l
}

// publicData are keys of Secret data whose values are no secret and common
// words elsewhere (a service-account token Secret's namespace and CA
// certificate): hidden in the Secret, not learned as secret values.
var publicData = map[string]bool{"namespace": true, "ca.crt": true}

// credentialKey matches field names whose values are credentials.
var credentialKey = regexp.MustCompile(`(?i)^(token|id-token|refresh-token|access-token|auth-token|password|passwd|client-key-data|client-certificate-data|client-secret|secret-key|private-key|api-key|apikey)$`)

// structured applies the line rules to s.
func (r *Redactor) structured(s string) string {
	texts := strings.Split(s, "\n")
	lines := make([]line, len(texts))
	for i, t := range texts {
		lines[i] = parseLine(t)
	}
	ids := mappings(lines)
	secret := map[int]bool{}
	valueAt := map[int]int{}
	for i, l := range lines {
		switch {
		case ids[i] < 0:
		case l.key == "kind" && unquote(l.val) == "Secret":
			secret[ids[i]] = true
		case l.key == "value":
			valueAt[ids[i]] = i
		}
	}
	changed := false
	for i := range lines {
		l := &lines[i]
		if l.key == "" || ids[i] < 0 {
			continue
		}
		switch {
		case credentialKey.MatchString(l.key):
			if r.replaceValue(l, false) {
				changed = true
			}
		case l.key == "data" || l.key == "stringData" || l.key == "binaryData":
			if (l.val == "" || strings.HasPrefix(l.val, "{")) && secret[ids[i]] {
				if r.redactBlock(lines, i) {
					changed = true
				}
			}
		case l.key == "name" && SecretName(unquote(l.val)):
			if j, ok := valueAt[ids[i]]; ok && r.replaceValue(&lines[j], false) {
				changed = true
			}
		}
	}
	for i := range lines {
		if t := lines[i].text; strings.Contains(t, `":`) && (strings.Contains(t, "{") || strings.Count(t, `":`) > 1) {
			if n := r.compactJSON(t); n != t {
				lines[i].text, changed = n, true
			}
		}
	}
	if !changed {
		return s
	}
	for i := range lines {
		texts[i] = lines[i].text
	}
	return strings.Join(texts, "\n")
}

// replaceValue replaces a line's scalar value with Marker, keeping quotes
// and a trailing comma. It reports whether it did.
func (r *Redactor) replaceValue(l *line, learn bool) bool {
	v := l.val
	if v == "" || strings.HasPrefix(v, "{") || strings.HasPrefix(v, "[") || placeholderValue(strings.TrimSuffix(v, ",")) {
		return false
	}
	comma := ""
	if l.json && strings.HasSuffix(v, ",") {
		v, comma = strings.TrimSuffix(v, ","), ","
	}
	if learn && !publicData[l.key] {
		r.learnData(v)
	}
	rep := Marker
	if strings.HasPrefix(v, `"`) {
		rep = `"` + Marker + `"`
	}
	l.text = l.text[:l.valAt] + rep + comma
	l.val = rep + comma
	return true
}

// redactBlock replaces the values of the mapping that starts below line
// i (data:, "data": {).
func (r *Redactor) redactBlock(lines []line, i int) bool {
	head := lines[i]
	changed := false
	child := -1
	for j := i + 1; j < len(lines); j++ {
		l := &lines[j]
		if l.blank {
			continue
		}
		if l.indent <= head.keyAt {
			break
		}
		if child < 0 {
			child = l.indent
		}
		if l.indent > child {
			// The body of a block scalar (key: |) goes entirely.
			l.text = strings.Repeat(" ", l.indent) + Marker
			changed = true
			continue
		}
		if l.key != "" && r.replaceValue(l, true) {
			changed = true
		}
	}
	return changed
}

// mappings gives each line with a key the number of the mapping it belongs
// to: lines at the same key indentation, not separated by a line indented
// less or by the start of another list item, share one. One pass.
func mappings(lines []line) []int {
	type open struct{ at, id int }
	ids := make([]int, len(lines))
	var stack []open
	next := 0
	for i, l := range lines {
		ids[i] = -1
		if l.blank || (l.key == "" && !l.item && len(stack) > 0 && l.indent > stack[len(stack)-1].at) {
			continue
		}
		at := l.keyAt
		if l.key == "" && !l.item {
			at = l.indent
		}
		for len(stack) > 0 && stack[len(stack)-1].at > at {
			stack = stack[:len(stack)-1]
		}
		if l.key == "" && !l.item {
			// A closing brace or other text ends the mappings inside it.
			continue
		}
		if len(stack) == 0 || stack[len(stack)-1].at < at || l.item {
			if len(stack) > 0 && stack[len(stack)-1].at == at {
				stack = stack[:len(stack)-1]
			}
			stack = append(stack, open{at: at, id: next})
			next++
		}
		ids[i] = stack[len(stack)-1].id
	}
	return ids
}

func unquote(v string) string {
	return strings.Trim(strings.TrimSuffix(strings.TrimSpace(v), ","), `"'`)
}

var (
	// jsonCredRe matches a credential field inside a line of JSON.
	jsonCredRe = regexp.MustCompile(`(?i)("(?:token|id-token|refresh-token|access-token|password|passwd|client-key-data|client-certificate-data|client-secret)"\s*:\s*)"(?:[^"\\]|\\.)*"`)
	// jsonDataRe matches the data object of a compact JSON object.
	jsonDataRe = regexp.MustCompile(`("(?:data|stringData|binaryData)"\s*:\s*)\{[^{}]*\}`)
	jsonPairRe = regexp.MustCompile(`("(?:[^"\\]|\\.)*"\s*:\s*)"((?:[^"\\]|\\.)*)"`)
	kindSecret = regexp.MustCompile(`"kind"\s*:\s*"Secret"`)
)

// compactJSON redacts credentials and Secret data in JSON written on one
// line (jq -c, kubectl ... -o json | tr -d '\n').
func (r *Redactor) compactJSON(t string) string {
	t = jsonCredRe.ReplaceAllString(t, `$1"`+Marker+`"`)
	if kindSecret.MatchString(t) {
		t = jsonDataRe.ReplaceAllStringFunc(t, func(obj string) string {
			return jsonPairRe.ReplaceAllStringFunc(obj, func(p string) string {
				m := jsonPairRe.FindStringSubmatch(p)
				if placeholderValue(m[2]) {
					return p
				}
				r.learnData(m[2])
				return m[1] + `"` + Marker + `"`
			})
		})
	}
	return t
}

package redact

import (
	"regexp"
	"strings"
)

var (
	// jwtRe matches JSON web tokens (service-account tokens among them)
	// and their base64 encoding as a Secret's data holds them.
	jwtRe = regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*|\bZXlK[A-Za-z0-9+/]{40,}={0,2}`)
	// bearerRe matches the credentials of an Authorization header.
	bearerRe = regexp.MustCompile(`(?i)(\b(?:bearer|basic)\s+)([A-Za-z0-9\-._~+/]{8,}=*)`)
	// keyBegin and keyEnd match the lines around a private key, PEM
	// (RSA, EC, OPENSSH, ENCRYPTED, ...) or PGP.
	keyBegin = regexp.MustCompile(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----`)
	keyEnd   = regexp.MustCompile(`-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----`)
)

// keyHeaders are the header lines a PEM or PGP private key may have.
var keyHeaders = map[string]bool{"Proc-Type": true, "DEK-Info": true, "Version": true, "Comment": true,
	"Hash": true, "Charset": true, "MessageID": true}

// keyBody reports whether a line can be part of a private key: base64,
// a header or blank.
func keyBody(t string) bool {
	t = strings.TrimSpace(t)
	if strings.Trim(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") == "" {
		return true
	}
	h, _, ok := strings.Cut(t, ": ")
	return ok && keyHeaders[h]
}

// keyState follows a private key across lines: after its BEGIN line,
// the body is hidden (one Marker for all its lines) up to the END line,
// or up to the first line that cannot be part of a key when the END line
// never comes.
type keyState struct {
	in    bool
	lines int
}

// key adds the spans of the private-key rule and reports whether the line
// is a key's body (no other rule applies to it).
func (k *keyState) key(e *entry, sp *spans) bool {
	t := e.l.text
	if k.in {
		if !keyEnd.MatchString(t) && keyBody(t) {
			if k.lines == 0 {
				sp.add(e.l.lead, len(t), Marker)
			} else {
				sp.add(0, len(t)+len(e.nl), "")
			}
			k.lines++
			return true
		}
		k.in = false
	}
	if !strings.Contains(t, "PRIVATE KEY") {
		return false
	}
	for _, m := range keyBegin.FindAllStringIndex(t, -1) {
		rest := t[m[1]:]
		if end := keyEnd.FindStringIndex(rest); end != nil {
			if end[0] > 0 {
				sp.add(m[1], m[1]+end[0], Marker)
			}
			continue
		}
		if strings.Trim(rest, " \t\r\"',") != "" {
			sp.add(m[1], len(t), Marker)
			continue
		}
		k.in, k.lines = true, 0
	}
	return false
}

// valueSpan hides the scalar value of a key line, keeping its quotes and a
// JSON comma; it returns the value, or "" when there is none to hide.
func valueSpan(l *line, sp *spans) string {
	v := l.val
	if v == "" || v[0] == '{' || v[0] == '[' || blockScalar(v) || placeholderValue(strings.TrimSuffix(v, ",")) {
		return ""
	}
	end := l.valAt + len(v)
	q := v[0]
	if q == '"' || q == '\'' {
		if strings.HasSuffix(v, ",") && len(v) > 1 {
			v, end = v[:len(v)-1], end-1
		}
		sp.add(l.valAt, end, string(q)+Marker+string(q))
		return v
	}
	sp.add(l.valAt, end, Marker)
	return v
}

// structured adds the spans of the rules on keys and mappings.
func (s *state) structured(e *entry, sp *spans) {
	l := &e.l
	dataSecret := e.data != nil && e.data.secret == yes
	valueSecret := e.value != nil && e.value.named == yes
	switch {
	case e.deep && (dataSecret || valueSecret):
		if l.lead < len(l.text) && strings.TrimSpace(l.text) != Marker {
			sp.add(l.lead, len(strings.TrimRight(l.text, " \t\r")), Marker)
		}
		return
	case dataSecret && !e.dataFlow && l.key != "":
		if v := valueSpan(l, sp); v != "" && !publicData[l.key] {
			s.r.learnData(v)
		}
	case valueSecret && l.key == "value", l.key != "" && credential(l.key):
		valueSpan(l, sp)
	}
	if strings.IndexByte(l.text, '{') < 0 || strings.IndexByte(l.text, ':') < 0 {
		return
	}
	top := ""
	if e.dataFlow {
		top = "data"
	}
	f := scanFlow(l.text, 0, top)
	for _, p := range f.pairs {
		val := strings.Trim(l.text[p.start:p.end], `"'`)
		if placeholderValue(val) {
			continue
		}
		repl := Marker
		if p.quote != 0 {
			repl = string(p.quote) + Marker + string(p.quote)
		}
		switch {
		case f.secretData(p, dataSecret):
			sp.add(p.start, p.end, repl)
			if !publicData[p.key] {
				s.r.learnData(val)
			}
		case credential(p.key), p.key == "value" && f.objs[p.obj].named:
			sp.add(p.start, p.end, repl)
		}
	}
}

// shapes adds the spans of the rules that know secrets by their shape.
func shapes(t string, sp *spans) {
	if strings.Contains(t, "eyJ") || strings.Contains(t, "ZXlK") {
		for _, m := range jwtRe.FindAllStringIndex(t, -1) {
			sp.add(m[0], m[1], Marker)
		}
	}
	if strings.Contains(t, "earer") || strings.Contains(t, "asic") || strings.Contains(t, "EARER") || strings.Contains(t, "ASIC") {
		for _, m := range bearerRe.FindAllStringSubmatchIndex(t, -1) {
			if !placeholderValue(t[m[4]:m[5]]) {
				sp.add(m[4], m[5], Marker)
			}
		}
	}
	if strings.IndexByte(t, '=') >= 0 && hasSecretWord(t) {
		for _, m := range assignRe.FindAllStringSubmatchIndex(t, -1) {
			if !placeholderValue(t[m[4]:m[5]]) {
				sp.add(m[4], m[5], Marker)
			}
		}
	}
	if strings.Contains(t, "--") {
		for _, m := range flagRe.FindAllStringSubmatchIndex(t, -1) {
			if !placeholderValue(t[m[4]:m[5]]) {
				sp.add(m[4], m[5], Marker)
			}
		}
	}
	bootstrapTokens(t, sp)
}

// bootstrapTokens hides kubeadm bootstrap tokens: [a-z0-9]{6}.[a-z0-9]{16},
// not inside a longer name.
func bootstrapTokens(t string, sp *spans) {
	for i := 6; i+17 <= len(t); i++ {
		if t[i] != '.' {
			continue
		}
		start, end := i-6, i+17
		if !lowerAlnum(t[start:i]) || !lowerAlnum(t[i+1:end]) ||
			start > 0 && nameByte(t[start-1]) || end < len(t) && nameByte(t[end]) {
			continue
		}
		sp.add(start, end, Marker)
		i = end
	}
}

func lowerAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func nameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_'
}

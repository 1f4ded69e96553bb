package redact

import "strings"

// line is one line of text (escape sequences removed) with what the rules
// need of it: kubectl prints YAML or indented JSON, often mixed with other
// lines, so the structure is read line by line from indentation and keys,
// not from a parse.
type line struct {
	text   string
	indent int  // leading whitespace, in columns (tabs to multiples of 8)
	lead   int  // bytes of leading whitespace
	keyAt  int  // column of its key: indent, plus that of "- " markers
	item   bool // starts a list item ("- key: ...")
	blank  bool
	key    string // the mapping key, unquoted; "" when the line has none
	loose  bool   // an unquoted key not followed by a space (token:abc)
	quote  byte   // the key's quote, or 0
	val    string // the rest after the colon, trimmed
	valAt  int    // offset of val in text
}

func keyChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '.' || c == '-' || c == '/'
}

func parseLine(t string) line {
	l := line{text: t}
	col, i := 0, 0
	for ; i < len(t) && (t[i] == ' ' || t[i] == '\t'); i++ {
		if t[i] == '\t' {
			col += 8 - col%8
		} else {
			col++
		}
	}
	if i == len(t) || strings.TrimSpace(t) == "" {
		l.blank = true
		return l
	}
	l.indent, l.lead, l.keyAt = col, i, col
	for i+1 < len(t) && t[i] == '-' && (t[i+1] == ' ' || t[i+1] == '\t') {
		l.item = true
		i += 2
		col += 2
		for i < len(t) && t[i] == ' ' {
			i++
			col++
		}
		l.keyAt = col
	}
	if i == len(t) || i+1 == len(t) && t[i] == '-' {
		l.item = true
		return l
	}
	if t[i] == '"' || t[i] == '\'' {
		l.quote = t[i]
		i++
	}
	k := i
	for i < len(t) && keyChar(t[i]) {
		i++
	}
	if i == k {
		return l
	}
	key := t[k:i]
	if l.quote != 0 {
		if i >= len(t) || t[i] != l.quote {
			l.quote = 0
			return l // unbalanced quote: not a key
		}
		i++
	}
	for i < len(t) && (t[i] == ' ' || t[i] == '\t') {
		i++
	}
	if i >= len(t) || t[i] != ':' {
		l.quote = 0
		return l
	}
	i++
	if l.quote == 0 && i < len(t) && t[i] != ' ' && t[i] != '\t' {
		l.loose = true
	}
	for i < len(t) && (t[i] == ' ' || t[i] == '\t') {
		i++
	}
	l.key, l.valAt = key, i
	l.val = strings.TrimSpace(t[i:])
	return l
}

// structural reports whether the line takes part in the structure: a key
// of a mapping (not a loose one, which is more likely a URL or a time).
func (l *line) structural() bool { return l.key != "" && !l.loose }

// closer reports whether a line without a key only closes JSON objects
// and arrays ("}," "]"): the mapping at its indentation goes on.
func (l *line) closer() bool {
	return strings.Trim(l.text, " \t}],") == ""
}

// blockScalar reports whether a value starts a YAML block scalar (|, >-).
func blockScalar(v string) bool {
	if v == "" || v[0] != '|' && v[0] != '>' {
		return false
	}
	return strings.Trim(v[1:], "+-0123456789") == ""
}

func unquote(v string) string {
	return strings.Trim(strings.TrimSuffix(strings.TrimSpace(v), ","), `"'`)
}

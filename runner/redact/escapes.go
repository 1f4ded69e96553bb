package redact

import "strings"

// stripEscapes removes terminal escape sequences from a line (colours of
// jq -C and ls --color, cursor moves, titles), so that the rules see the
// text as it reads: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \,
// or to the end of the line), charset designations (ESC ( B) and the
// other two-byte sequences. tags, when not nil, follow the bytes kept.
func stripEscapes(s string, tags []byte) (string, []byte) {
	if strings.IndexByte(s, 0x1b) < 0 {
		if tags != nil {
			tags = append([]byte(nil), tags...)
		}
		return s, tags
	}
	var b strings.Builder
	var kept []byte
	for i := 0; i < len(s); {
		if s[i] != 0x1b {
			b.WriteByte(s[i])
			if tags != nil {
				kept = append(kept, tags[i])
			}
			i++
			continue
		}
		i += escLen(s[i:])
	}
	return b.String(), kept
}

// escLen is the length of the escape sequence s starts with (s[0] is ESC).
func escLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	switch c := s[1]; {
	case c == '[':
		i := 2
		for i < len(s) && s[i] >= 0x20 && s[i] <= 0x3f {
			i++ // parameters and intermediates
		}
		if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
			i++
		}
		return i
	case c == ']' || c == 'P' || c == '_' || c == '^':
		for i := 2; i < len(s); i++ {
			if s[i] == 0x07 {
				return i + 1
			}
			if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			if s[i] == '\n' {
				return i
			}
		}
		return len(s)
	case c == '(' || c == ')' || c == '*' || c == '+':
		return min(3, len(s))
	case c >= 0x40 && c <= 0x7e:
		return 2
	}
	return 1
}

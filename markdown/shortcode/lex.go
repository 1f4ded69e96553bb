package shortcode

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxParams is the most parameters a tag may have; no page comes near it,
// and it bounds the memory one tag takes.
const MaxParams = 1000

var (
	leftAngle    = []byte("{{<")
	rightAngle   = []byte(">}}")
	leftPercent  = []byte("{{%")
	rightPercent = []byte("%}}")
	doubleBrace  = []byte("{{")
	commentOpen  = []byte("/*")
	commentClose = []byte("*/")
)

// stateFn is one state of the lexer; it returns the next state, or nil when
// lexing is done (at the end of the input or after an error).
type stateFn func(*lexer) stateFn

// lexer holds the state of one Lex call.
type lexer struct {
	src   []byte
	pos   int // current position
	start int // start of text not yet emitted
	items []Item
	err   *Error

	// The tag being lexed.
	tagStart int
	tag      *Shortcode
	left     []byte // its opening delimiter
	right    []byte // its closing delimiter
	other    []byte // the closing delimiter of the other kind
}

// Lex splits src into items covering src completely and in order, with
// Text items between tags. Empty Text items are not produced.
//
// On error, which is always an *Error, Lex returns the items before the
// offending tag together with the error.
func Lex(src []byte) ([]Item, error) {
	l := &lexer{src: src}
	for state := lexText; state != nil; {
		state = state(l)
	}
	if l.err != nil {
		return l.items, l.err
	}
	return l.items, nil
}

// errorf records an error at the start of the current tag and stops lexing.
func (l *lexer) errorf(format string, args ...any) stateFn {
	l.err = &Error{Offset: l.tagStart, Msg: fmt.Sprintf(format, args...)}
	return nil
}

// hasPrefixAt reports whether src[p:] starts with prefix.
func (l *lexer) hasPrefixAt(p int, prefix []byte) bool {
	return p <= len(l.src) && bytes.HasPrefix(l.src[p:], prefix)
}

// hasPrefix reports whether the input at the current position starts with prefix.
func (l *lexer) hasPrefix(prefix []byte) bool { return l.hasPrefixAt(l.pos, prefix) }

// skipSpaceAt returns the first position at or after p that is not white space.
func (l *lexer) skipSpaceAt(p int) int {
	for p < len(l.src) && isSpace(l.src[p]) {
		p++
	}
	return p
}

// skipSpace advances the current position past white space.
func (l *lexer) skipSpace() { l.pos = l.skipSpaceAt(l.pos) }

// selfCloseAt reports whether src[p] is a '/' followed by optional white
// space and the closing delimiter of the current tag.
func (l *lexer) selfCloseAt(p int) bool {
	return p < len(l.src) && l.src[p] == '/' && l.hasPrefixAt(l.skipSpaceAt(p+1), l.right)
}

// isSpace reports whether c is ASCII white space.
func isSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\f', '\v':
		return true
	}
	return false
}

// lexText scans plain text up to the next {{< or {{%.
func lexText(l *lexer) stateFn {
	p := l.pos
	for {
		i := bytes.Index(l.src[p:], doubleBrace)
		if i < 0 {
			l.emitText(len(l.src))
			l.pos = len(l.src)
			return nil
		}
		j := p + i
		if j+2 < len(l.src) && (l.src[j+2] == '<' || l.src[j+2] == '%') {
			l.emitText(j)
			l.pos = j
			return lexLeftDelim
		}
		// A Go template action such as {{ .Values }}: still text. Step
		// one byte only, since "{{{<" holds a tag at the second brace.
		p = j + 1
	}
}

// emitText emits the pending text up to end, if any.
func (l *lexer) emitText(end int) {
	if end > l.start {
		l.items = append(l.items, Item{Kind: Text, Start: l.start, End: end})
	}
	l.start = end
}

// lexLeftDelim scans {{< or {{% and decides between a tag and an escaped tag.
func lexLeftDelim(l *lexer) stateFn {
	l.tagStart = l.pos
	markdown := l.src[l.pos+2] == '%'
	if markdown {
		l.left, l.right, l.other = leftPercent, rightPercent, rightAngle
	} else {
		l.left, l.right, l.other = leftAngle, rightAngle, rightPercent
	}
	l.pos += len(l.left)
	if l.hasPrefix(commentOpen) {
		return lexEscaped
	}
	l.tag = &Shortcode{Markdown: markdown, Start: l.tagStart}
	return lexName
}

// lexEscaped scans an escaped tag {{</* ... */>}} without interpreting it.
func lexEscaped(l *lexer) stateFn {
	body := l.pos + len(commentOpen)
	end := string(commentClose) + string(l.right)
	i := bytes.Index(l.src[body:], []byte(end))
	if i < 0 {
		return l.errorf("unterminated escaped shortcode: no %s found", end)
	}
	stop := body + i + len(end)
	l.items = append(l.items, Item{
		Kind:    Escaped,
		Start:   l.tagStart,
		End:     stop,
		Literal: string(l.left) + string(l.src[body:body+i]) + string(l.right),
	})
	l.pos, l.start = stop, stop
	return lexText
}

// lexName scans the optional '/' of a closing tag and the shortcode name.
func lexName(l *lexer) stateFn {
	l.skipSpace()
	if l.pos < len(l.src) && l.src[l.pos] == '/' && !l.selfCloseAt(l.pos) {
		l.tag.Closing = true
		l.pos++
		l.skipSpace()
	}
	start := l.pos
	l.pos = l.scanName(start)
	if l.pos == start {
		return l.missingName()
	}
	l.tag.Name = string(l.src[start:l.pos])
	if l.tag.Closing {
		return lexClosingEnd
	}
	return lexParams
}

// scanName returns the end of the shortcode name starting at p. A name
// starts with a letter, digit or '_' and goes on with those, '-', '.'
// (inline shortcodes) and '/' (namespaced shortcodes).
func (l *lexer) scanName(p int) int {
	first := true
	for p < len(l.src) {
		r, w := utf8.DecodeRune(l.src[p:])
		ok := r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
		if !first {
			ok = ok || r == '-' || r == '.' || (r == '/' && !l.selfCloseAt(p))
		}
		if !ok {
			break
		}
		first = false
		p += w
	}
	return p
}

// missingName reports a tag without a valid name.
func (l *lexer) missingName() stateFn {
	switch {
	case l.pos >= len(l.src), l.hasPrefix(l.other), l.hasPrefix(doubleBrace):
		return l.unexpected("")
	case l.hasPrefix(l.right):
		return l.errorf("missing shortcode name in %s", l.src[l.tagStart:l.pos+len(l.right)])
	case l.selfCloseAt(l.pos):
		return l.errorf("missing shortcode name in %s", l.src[l.tagStart:l.skipSpaceAt(l.pos+1)+len(l.right)])
	case l.src[l.pos] == '*':
		return l.errorf("missing shortcode name: unexpected '*' at offset %d (an escaped shortcode is written %s/* ... */%s)",
			l.pos, l.left, l.right)
	}
	r, _ := utf8.DecodeRune(l.src[l.pos:])
	return l.errorf("missing shortcode name: unexpected %q at offset %d", r, l.pos)
}

// unexpected reports what was found at the current position when the tag
// could not go on: the end of input, the wrong closing delimiter, the start
// of another tag, or a stray character.
func (l *lexer) unexpected(context string) stateFn {
	switch {
	case l.pos >= len(l.src):
		return l.errorf("unterminated shortcode: no %s before end of input", l.right)
	case l.hasPrefix(l.other):
		return l.errorf("mismatched delimiters: %s closed by %s at offset %d", l.left, l.other, l.pos)
	case l.hasPrefix(doubleBrace):
		return l.errorf("unterminated shortcode: found {{ at offset %d before %s", l.pos, l.right)
	}
	r, _ := utf8.DecodeRune(l.src[l.pos:])
	return l.errorf("unexpected %q at offset %d%s", r, l.pos, context)
}

// lexClosingEnd scans the rest of a closing tag: white space and the
// closing delimiter.
func lexClosingEnd(l *lexer) stateFn {
	l.skipSpace()
	if l.hasPrefix(l.right) {
		return l.emitTag()
	}
	return l.unexpected(" in closing tag")
}

// emitTag consumes the closing delimiter and emits the current tag.
func (l *lexer) emitTag() stateFn {
	l.pos += len(l.right)
	l.tag.End = l.pos
	l.items = append(l.items, Item{Kind: Tag, Start: l.tag.Start, End: l.pos, Tag: l.tag})
	l.start = l.pos
	l.tag = nil
	return lexText
}

// lexParams scans the next argument or the end of the tag.
func lexParams(l *lexer) stateFn {
	l.skipSpace()
	switch {
	case l.hasPrefix(l.right):
		return l.emitTag()
	case l.selfCloseAt(l.pos):
		l.tag.SelfClosing = true
		l.pos++
		l.skipSpace()
		return l.emitTag()
	case l.pos >= len(l.src), l.hasPrefix(l.other), l.hasPrefix(doubleBrace):
		return l.unexpected("")
	}
	switch l.src[l.pos] {
	case '"', '`':
		return l.lexValue("")
	case '=':
		if len(l.tag.Params) == 0 && l.tag.Warning == "" {
			// {{< name= ... >}}: Hugo's lexer skips an '=' there and
			// renders the page, so docrun reads on and says so.
			l.tag.Warning = fmt.Sprintf("stray '=' after the shortcode name %s is ignored", l.tag.Name)
			l.pos++
			return lexParams
		}
		return l.errorf("missing parameter name before '=' at offset %d", l.pos)
	}
	start := l.pos
	end := l.scanWord(start, true)
	if end == start {
		return l.unexpected("")
	}
	if q := l.skipSpaceAt(end); q < len(l.src) && l.src[q] == '=' {
		l.pos = l.skipSpaceAt(q + 1)
		return l.lexValue(string(l.src[start:end]))
	}
	l.pos = end
	return l.addParam(Param{Value: string(l.src[start:end]), Start: start, End: end})
}

// scanWord returns the end of the unquoted word starting at p. A word ends
// at white space, a quote, the closing delimiter of either kind, a self-
// closing "/>}}", the start of another tag ("{{") and, when stopAtEq is
// set, at '='.
func (l *lexer) scanWord(p int, stopAtEq bool) int {
	for ; p < len(l.src); p++ {
		c := l.src[p]
		if isSpace(c) || c == '"' || c == '`' || (stopAtEq && c == '=') {
			break
		}
		if (c == '{' && l.hasPrefixAt(p, doubleBrace)) || l.hasPrefixAt(p, l.right) ||
			l.hasPrefixAt(p, l.other) || l.selfCloseAt(p) {
			break
		}
	}
	return p
}

// lexValue scans the value of an argument at the current position: a
// quoted string, a raw string or a bare word. name is "" for a positional
// argument.
func (l *lexer) lexValue(name string) stateFn {
	p := l.pos
	if p < len(l.src) && (l.src[p] == '"' || l.src[p] == '`') {
		val, end, ok := l.scanQuoted(p)
		if !ok {
			return nil
		}
		l.pos = end
		return l.addParam(Param{Name: name, Value: val, Start: p, End: end})
	}
	end := l.scanWord(p, false)
	if end == p {
		if l.pos >= len(l.src) || l.hasPrefix(l.other) || l.hasPrefix(doubleBrace) {
			return l.unexpected("")
		}
		return l.errorf("missing value for parameter %q at offset %d", name, p)
	}
	l.pos = end
	return l.addParam(Param{Name: name, Value: string(l.src[p:end]), Start: p, End: end})
}

// scanQuoted scans the "double-quoted" or `raw` string starting at p and
// returns its value and end. A double-quoted string may not span lines (as
// in Hugo) and \" in it stands for a quote; a raw string may span lines and
// has no escapes. On error it records the error and returns ok == false.
func (l *lexer) scanQuoted(p int) (val string, end int, ok bool) {
	if l.src[p] == '`' {
		i := bytes.IndexByte(l.src[p+1:], '`')
		if i < 0 {
			l.errorf("unterminated raw string value starting at offset %d", p)
			return "", 0, false
		}
		return string(l.src[p+1 : p+1+i]), p + 2 + i, true
	}
	escaped := false
	for i := p + 1; i < len(l.src); i++ {
		switch l.src[i] {
		case '\\':
			if i+1 < len(l.src) && l.src[i+1] == '"' {
				escaped = true
				i++
			}
		case '\n':
			l.errorf("unterminated quoted value starting at offset %d: end of line before closing quote", p)
			return "", 0, false
		case '"':
			val = string(l.src[p+1 : i])
			if escaped {
				val = strings.ReplaceAll(val, `\"`, `"`)
			}
			return val, i + 1, true
		}
	}
	l.errorf("unterminated quoted value starting at offset %d", p)
	return "", 0, false
}

// addParam appends p to the current tag, refusing to mix named and
// positional arguments as Hugo does.
func (l *lexer) addParam(p Param) stateFn {
	if len(l.tag.Params) >= MaxParams {
		return l.errorf("%s has more than %d parameters", l.tag.Name, MaxParams)
	}
	if ps := l.tag.Params; len(ps) > 0 && (ps[0].Name == "") != (p.Name == "") {
		kind := "positional"
		if p.Name != "" {
			kind = "named"
		}
		return l.errorf("got named and positional params in %s: %s parameter at offset %d", l.tag.Name, kind, p.Start)
	}
	l.tag.Params = append(l.tag.Params, p)
	return lexParams
}

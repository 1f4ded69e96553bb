package html

import (
	"go/scanner"
	"go/token"
	"strings"

	"github.com/alecthomas/chroma/v2"
)

// lexYAML tokenizes YAML line by line as chroma's YAML lexer does: keys,
// scalars by kind, comments, anchors and tags, block scalars.
func lexYAML(code string, emit emitFunc) {
	block := -1 // indentation of the key that opened a block scalar, or -1
	for i := 0; i < len(code); {
		end := lineEnd(code, i)
		line := code[i:end]
		indent := len(line) - len(strings.TrimLeft(line, " \t"))
		trimmed := line[indent:]
		switch {
		case block >= 0 && (trimmed == "" || indent > block):
			emit(chroma.LiteralStringDoc, line)
		default:
			block = -1
			if indent > 0 {
				emit(chroma.TextWhitespace, line[:indent])
			}
			block = yamlLine(trimmed, indent, emit)
		}
		if end < len(code) {
			emit(chroma.TextWhitespace, "\n")
		}
		i = end + 1
	}
}

// yamlLine tokenizes one line without its indentation and returns the
// indentation of a block scalar it opens, or -1.
func yamlLine(s string, indent int, emit emitFunc) int {
	switch {
	case s == "":
		return -1
	case s[0] == '#':
		emit(chroma.Comment, s)
		return -1
	case indent == 0 && (s == "---" || s == "..." || strings.HasPrefix(s, "--- ")):
		emit(chroma.NameNamespace, s[:3])
		if len(s) > 3 {
			return yamlValue(s[3:], indent, emit)
		}
		return -1
	}
	for strings.HasPrefix(s, "- ") || s == "-" {
		k := 1
		for k < len(s) && s[k] == ' ' {
			k++
		}
		emit(chroma.Text, s[:k])
		s = s[k:]
		indent += k
	}
	if k := yamlKey(s); k > 0 {
		emit(chroma.NameTag, s[:k])
		emit(chroma.Punctuation, ":")
		return yamlValue(s[k+1:], indent, emit)
	}
	return yamlValue(s, indent, emit)
}

// yamlKey returns the length of a mapping key at the start of s (before
// its colon), or 0.
func yamlKey(s string) int {
	if s == "" {
		return 0
	}
	if q := s[0]; q == '"' || q == '\'' {
		j := strings.IndexByte(s[1:], q)
		if j >= 0 && j+2 < len(s) && s[j+2] == ':' && (j+3 == len(s) || s[j+3] == ' ') {
			return j + 2
		}
		return 0
	}
	if strings.IndexByte("[{&*!|>%@`#", s[0]) >= 0 {
		return 0
	}
	for k := 0; k < len(s); k++ {
		switch s[k] {
		case ':':
			if k+1 == len(s) || s[k+1] == ' ' || s[k+1] == '\t' {
				return k
			}
		case ' ':
			if k+1 < len(s) && s[k+1] == '#' {
				return 0
			}
		}
	}
	return 0
}

// yamlValue tokenizes what follows a key (or a list dash): a scalar with
// its anchors, tags and comment.
func yamlValue(s string, indent int, emit emitFunc) int {
	ws := len(s) - len(strings.TrimLeft(s, " \t"))
	if ws > 0 {
		emit(chroma.TextWhitespace, s[:ws])
		s = s[ws:]
	}
	for s != "" && (s[0] == '&' || s[0] == '*' || s[0] == '!') {
		k := strings.IndexAny(s, " \t")
		if k < 0 {
			k = len(s)
		}
		emit(chroma.CommentPreproc, s[:k])
		s = s[k:]
		ws := len(s) - len(strings.TrimLeft(s, " \t"))
		if ws > 0 {
			emit(chroma.TextWhitespace, s[:ws])
			s = s[ws:]
		}
	}
	if s == "" {
		return -1
	}
	comment := ""
	switch s[0] {
	case '"', '\'':
		j := strings.IndexByte(s[1:], s[0])
		tt := chroma.LiteralStringDouble
		if s[0] == '\'' {
			tt = chroma.LiteralStringSingle
		}
		if j < 0 {
			emit(tt, s)
			return -1
		}
		emit(tt, s[:j+2])
		s = s[j+2:]
		if s != "" {
			emit(chroma.Text, s)
		}
		return -1
	case '|', '>':
		k := 1
		for k < len(s) && strings.IndexByte("+-0123456789", s[k]) >= 0 {
			k++
		}
		emit(chroma.Punctuation, s[:k])
		if k < len(s) {
			emit(chroma.Text, s[k:])
		}
		return indent
	case '[', '{':
		emit(chroma.Punctuation, s[:1])
		if len(s) > 1 {
			emit(chroma.Literal, s[1:])
		}
		return -1
	}
	if k := strings.Index(s, " #"); k >= 0 {
		s, comment = s[:k], s[k:]
	}
	v := strings.TrimRight(s, " \t")
	emit(yamlScalar(v), v)
	if rest := s[len(v):] + comment; rest != "" {
		ws := len(rest) - len(strings.TrimLeft(rest, " \t"))
		if ws > 0 {
			emit(chroma.TextWhitespace, rest[:ws])
		}
		if rest[ws:] != "" {
			emit(chroma.Comment, rest[ws:])
		}
	}
	return -1
}

// yamlScalar is the token type of a plain scalar.
func yamlScalar(v string) chroma.TokenType {
	switch strings.ToLower(v) {
	case "true", "false", "null", "~", "yes", "no", "on", "off":
		return chroma.KeywordConstant
	}
	if yamlNumber(v) {
		return chroma.LiteralNumber
	}
	return chroma.Literal
}

func yamlNumber(v string) bool {
	if v == "" {
		return false
	}
	s := strings.TrimPrefix(strings.TrimPrefix(v, "-"), "+")
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		case c == '_':
		default:
			return false
		}
	}
	return digits > 0
}

// lexJSON tokenizes JSON as chroma's JSON lexer does: keys apart from
// string values.
func lexJSON(code string, emit emitFunc) {
	t := &tokens{emit: emit, code: code}
	for i := 0; i < len(code); {
		c := code[i]
		switch {
		case c == '"':
			j := i + 1
			for j < len(code) && code[j] != '"' {
				if code[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(code))
			k := j
			for k < len(code) && (code[k] == ' ' || code[k] == '\t' || code[k] == '\n' || code[k] == '\r') {
				k++
			}
			tt := chroma.LiteralStringDouble
			if k < len(code) && code[k] == ':' {
				tt = chroma.NameTag
			}
			t.token(tt, i, j)
			i = j
		case strings.IndexByte("{}[],:", c) >= 0:
			j := i + 1
			for j < len(code) && strings.IndexByte("{}[],", code[j]) >= 0 && c != ':' {
				j++
			}
			t.token(chroma.Punctuation, i, j)
			i = j
		case c == '-' || c >= '0' && c <= '9':
			j := i + 1
			float := false
			for j < len(code) && strings.IndexByte("0123456789.eE+-", code[j]) >= 0 {
				float = float || strings.IndexByte(".eE", code[j]) >= 0
				j++
			}
			tt := chroma.LiteralNumberInteger
			if float {
				tt = chroma.LiteralNumberFloat
			}
			t.token(tt, i, j)
			i = j
		case strings.HasPrefix(code[i:], "true") || strings.HasPrefix(code[i:], "null"):
			t.token(chroma.KeywordConstant, i, i+4)
			i += 4
		case strings.HasPrefix(code[i:], "false"):
			t.token(chroma.KeywordConstant, i, i+5)
			i += 5
		default:
			i++
		}
	}
	t.flush(len(code))
}

var goTypes = wordSet("bool byte complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string uint uint8 uint16 uint32 uint64 uintptr any comparable")

var goBuiltins = wordSet("append cap clear close complex copy delete imag len make max min new panic print println real recover")

// lexGo tokenizes Go with the standard library's scanner, giving chroma's
// Go lexer's token types. Fragments scan too: errors only mark tokens.
func lexGo(code string, emit emitFunc) {
	src := []byte(code)
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	var s scanner.Scanner
	s.Init(file, src, func(token.Position, string) {}, scanner.ScanComments)
	t := &tokens{emit: emit, code: code}
	prevDot := false
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		off := file.Offset(pos)
		if tok == token.SEMICOLON && lit == "\n" {
			continue
		}
		text := tok.String()
		if lit != "" {
			text = lit
		}
		end := min(off+len(text), len(code))
		if off < t.start || off > len(code) {
			continue
		}
		var tt chroma.TokenType
		switch {
		case tok == token.COMMENT:
			tt = chroma.CommentSingle
			if strings.HasPrefix(text, "/*") {
				tt = chroma.CommentMultiline
			}
		case tok == token.PACKAGE || tok == token.IMPORT:
			tt = chroma.KeywordNamespace
		case tok == token.FUNC || tok == token.VAR || tok == token.CONST || tok == token.TYPE ||
			tok == token.STRUCT || tok == token.INTERFACE || tok == token.MAP || tok == token.CHAN:
			tt = chroma.KeywordDeclaration
		case tok.IsKeyword():
			tt = chroma.Keyword
		case tok == token.STRING:
			tt = chroma.LiteralString
		case tok == token.CHAR:
			tt = chroma.LiteralStringChar
		case tok == token.INT:
			tt = chroma.LiteralNumberInteger
			if strings.HasPrefix(strings.ToLower(text), "0x") {
				tt = chroma.LiteralNumberHex
			}
		case tok == token.FLOAT || tok == token.IMAG:
			tt = chroma.LiteralNumberFloat
		case tok == token.IDENT:
			tt = goIdent(text, code[end:], prevDot)
		case tok == token.DEFINE || tok.IsOperator() && strings.ContainsAny(text, "+-*/%&|^!<>:") && text != ":":
			tt = chroma.Operator
			if text == ">" || text == "<" || text == "&" || text == "*" {
				tt = chroma.Punctuation
			}
		case tok.IsOperator():
			tt = chroma.Punctuation
		default:
			tt = chroma.Text
		}
		prevDot = tok == token.PERIOD
		t.token(tt, off, end)
	}
	t.flush(len(code))
}

// goIdent is the token type of an identifier given what follows it.
func goIdent(name, rest string, afterDot bool) chroma.TokenType {
	switch {
	case name == "true" || name == "false" || name == "nil" || name == "iota":
		return chroma.KeywordConstant
	case goTypes[name] && !afterDot:
		return chroma.KeywordType
	case strings.HasPrefix(strings.TrimLeft(rest, " \t"), "("):
		if goBuiltins[name] && !afterDot {
			return chroma.NameBuiltin
		}
		return chroma.NameFunction
	}
	return chroma.NameOther
}

package html

import (
	"strings"

	"github.com/alecthomas/chroma/v2"
)

// Most of a documentation page's code is shell and YAML, and chroma's
// regular-expression lexers take a millisecond or more per kilobyte of it.
// docrun's own lexers for shell, YAML, JSON and Go scan each byte once and
// give the token types chroma's lexers give, so the same classes and the
// same stylesheet apply.

// fastLexers are docrun's own lexers, keyed by lowercased fence language.
var fastLexers = map[string]lexFunc{
	"shell": lexShell, "bash": lexShell, "sh": lexShell, "zsh": lexShell, "console-bash": lexShell,
	"yaml": lexYAML, "yml": lexYAML,
	"json": lexJSON,
	"go":   lexGo, "golang": lexGo,
}

var shellKeywords = wordSet("if then else elif fi case esac for select while until do done function in time")

var shellBuiltins = wordSet("alias bg bind break builtin caller cd command compgen complete declare dirs disown " +
	"echo enable eval exec exit export false fc fg getopts hash help history jobs kill let local logout popd " +
	"printf pushd pwd read readonly set shift shopt source suspend test times trap true type typeset ulimit " +
	"umask unalias unset wait")

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// shellText is what a run of plain shell text may hold.
func shellText(c byte) bool {
	switch c {
	case '=', ' ', '\t', '\n', '\r', '[', ']', '{', '}', '(', ')', '$', '"', '\'', '`', '\\', '<', '&', '|', ';', '#':
		return false
	}
	return true
}

func wordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// tokens collects plain text between tokens and emits it as one.
type tokens struct {
	emit  emitFunc
	code  string
	start int // start of pending plain text
}

func (t *tokens) flush(to int) {
	if to > t.start {
		t.emit(chroma.Text, t.code[t.start:to])
	}
	t.start = to
}

func (t *tokens) token(tt chroma.TokenType, from, to int) {
	t.flush(from)
	t.emit(tt, t.code[from:to])
	t.start = to
}

// lexShell tokenizes bash as chroma's bash lexer does.
func lexShell(code string, emit emitFunc) {
	t := &tokens{emit: emit, code: code}
	var parens []bool // for each open '(': whether it was $(
	n := len(code)
	for i := 0; i < n; {
		c := code[i]
		atWord := i == 0 || !wordByte(code[i-1]) && code[i-1] != '-' && code[i-1] != '.' && code[i-1] != '/'
		switch {
		case c == '#' && (i == 0 || strings.IndexByte(" \t\n;&|(", code[i-1]) >= 0):
			j := lineEnd(code, i)
			t.token(chroma.CommentSingle, i, j)
			i = j
		case c == '\'':
			j := strings.IndexByte(code[i+1:], '\'')
			if j < 0 {
				j = n
			} else {
				j += i + 2
			}
			t.token(chroma.LiteralStringSingle, i, j)
			i = j
		case c == '"':
			i = shellDouble(t, i)
		case c == '`':
			t.token(chroma.LiteralStringBacktick, i, i+1)
			i++
		case c == '$':
			i = shellDollar(t, i, &parens)
		case c == '\\' && i+1 < n:
			t.token(chroma.LiteralStringEscape, i, i+2)
			i += 2
		case c == '<' && strings.HasPrefix(code[i:], "<<") && !strings.HasPrefix(code[i:], "<<<"):
			if j := heredocEnd(code, i); j > 0 {
				t.token(chroma.LiteralString, i, j)
				i = j
			} else {
				i += 2
			}
		case (c == '&' || c == '|') && i+1 < n && code[i+1] == c:
			t.token(chroma.Operator, i, i+2)
			i += 2
		case c == ';' || c == '&' || c == '|':
			t.token(chroma.Punctuation, i, i+1)
			i++
		case c == '(':
			parens = append(parens, false)
			t.token(chroma.Operator, i, i+1)
			i++
		case c == ')':
			tt := chroma.Operator
			if k := len(parens); k > 0 {
				if parens[k-1] {
					tt = chroma.Keyword
				}
				parens = parens[:k-1]
			}
			t.token(tt, i, i+1)
			i++
		case c == '[' || c == ']' || c == '{' || c == '}' || c == '=':
			t.token(chroma.Operator, i, i+1)
			i++
		case atWord && wordByte(c):
			i = shellWord(t, i)
		default:
			j := i + 1
			for j < n && shellText(code[j]) && !(wordByte(code[j]) && !wordByte(code[j-1]) && code[j-1] != '-' && code[j-1] != '.' && code[j-1] != '/') {
				j++
			}
			i = j
		}
	}
	t.flush(n)
}

// shellWord handles a word at i: a keyword, a builtin, an assignment's
// name, a number, or plain text.
func shellWord(t *tokens, i int) int {
	code := t.code
	j := i
	for j < len(code) && wordByte(code[j]) {
		j++
	}
	w := code[i:j]
	next := byte(' ')
	if j < len(code) {
		next = code[j]
	}
	ends := next == ' ' || next == '\t' || next == '\n' || next == ')' || next == '`' || next == ';'
	switch {
	case shellKeywords[w] && ends:
		t.token(chroma.Keyword, i, j)
	case shellBuiltins[w] && ends:
		t.token(chroma.NameBuiltin, i, j)
	case next == '=' || next == '+' && j+1 < len(code) && code[j+1] == '=':
		t.token(chroma.NameVariable, i, j)
		k := j + 1
		if next == '+' {
			k++
		}
		t.token(chroma.Operator, j, k)
		return k
	case isDigits(w) && (next == ' ' || next == '\n' || j == len(code)):
		t.token(chroma.LiteralNumber, i, j)
	default:
		// Part of plain text: a word with dashes, dots, slashes.
		for j < len(code) && shellText(code[j]) {
			j++
		}
	}
	return j
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// shellDollar handles $NAME, ${...}, $(...), $((...)) and $?.
func shellDollar(t *tokens, i int, parens *[]bool) int {
	code := t.code
	if i+1 >= len(code) {
		return i + 1
	}
	c := code[i+1]
	switch {
	case c == '(':
		k := i + 2
		if k < len(code) && code[k] == '(' {
			k++
		}
		*parens = append(*parens, true)
		if k == i+3 {
			*parens = append(*parens, true)
		}
		t.token(chroma.Keyword, i, k)
		return k
	case c == '{':
		end := strings.IndexByte(code[i:], '}')
		if end < 0 {
			t.token(chroma.LiteralStringInterpol, i, i+2)
			return i + 2
		}
		end += i
		t.token(chroma.LiteralStringInterpol, i, i+2)
		if end > i+2 {
			t.token(chroma.NameVariable, i+2, end)
		}
		t.token(chroma.LiteralStringInterpol, end, end+1)
		return end + 1
	case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		j := i + 1
		for j < len(code) && wordByte(code[j]) {
			j++
		}
		t.token(chroma.NameVariable, i, j)
		return j
	case c >= '0' && c <= '9' || strings.IndexByte("@*#?$!-", c) >= 0:
		t.token(chroma.NameVariable, i, i+2)
		return i + 2
	}
	return i + 1
}

// shellDouble handles a double-quoted string from i, with the variables
// and command substitutions inside it.
func shellDouble(t *tokens, i int) int {
	code := t.code
	t.flush(i)
	lit := i // start of the literal part being collected
	j := i + 1
	for j < len(code) {
		c := code[j]
		switch {
		case c == '\\' && j+1 < len(code):
			if j > lit {
				t.token(chroma.LiteralStringDouble, lit, j)
			}
			t.token(chroma.LiteralStringEscape, j, j+2)
			j += 2
			lit = j
			continue
		case c == '"':
			t.token(chroma.LiteralStringDouble, lit, j+1)
			return j + 1
		case c == '$' && j+1 < len(code) && code[j+1] == '(':
			end := matchParen(code, j+1)
			if j > lit {
				t.token(chroma.LiteralStringDouble, lit, j)
			}
			t.token(chroma.Keyword, j, j+2)
			inner := code[j+2 : end]
			lexShell(inner, t.emit)
			t.start = end
			if end < len(code) {
				t.token(chroma.Keyword, end, end+1)
				end++
			}
			j, lit = end, end
			continue
		case c == '$' && j+1 < len(code) && (code[j+1] == '{' || code[j+1] == '_' || code[j+1] >= 'a' && code[j+1] <= 'z' || code[j+1] >= 'A' && code[j+1] <= 'Z'):
			if j > lit {
				t.token(chroma.LiteralStringDouble, lit, j)
			}
			var none []bool
			j = shellDollar(t, j, &none)
			lit = j
			continue
		}
		j++
	}
	if len(code) > lit {
		t.token(chroma.LiteralStringDouble, lit, len(code))
	}
	return len(code)
}

// matchParen returns the index of the ')' closing the '(' at open, or
// len(code).
func matchParen(code string, open int) int {
	depth := 0
	for k := open; k < len(code); k++ {
		switch code[k] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return k
			}
		}
	}
	return len(code)
}

// heredocEnd returns the end of the here-document whose << is at i: the
// end of its closing delimiter line, or -1 when there is none.
func heredocEnd(code string, i int) int {
	k := i + 2
	if k < len(code) && code[k] == '-' {
		k++
	}
	for k < len(code) && (code[k] == ' ' || code[k] == '\t') {
		k++
	}
	quote := byte(0)
	if k < len(code) && (code[k] == '\'' || code[k] == '"') {
		quote = code[k]
		k++
	}
	if k < len(code) && code[k] == '\\' {
		k++
	}
	s := k
	for k < len(code) && wordByte(code[k]) {
		k++
	}
	delim := code[s:k]
	if delim == "" {
		return -1
	}
	if quote != 0 && (k >= len(code) || code[k] != quote) {
		return -1
	}
	line := lineEnd(code, k)
	for line < len(code) {
		start := line + 1
		end := lineEnd(code, start)
		if strings.TrimLeft(code[start:end], "\t") == delim {
			return end
		}
		line = end
	}
	return -1
}

func lineEnd(code string, i int) int {
	if j := strings.IndexByte(code[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(code)
}

// Package shortcode lexes and parses Hugo shortcodes in page bodies.
//
// Hugo pages embed shortcodes as {{< name args >}} (content rendered as
// HTML) and {{% name args %}} (content rendered as Markdown). This package
// splits a source into byte-ranged items in the style of Hugo's pageparser
// (Rob Pike's "Lexical Scanning in Go": state functions, items that are
// {kind, start, end} byte ranges, errors as positioned values) and pairs
// opening and closing tags into a tree. It does not import Hugo.
//
// The lexer follows Hugo's rules:
//
//   - {{< is closed by >}} and {{% by %}}; mixing them is an error.
//   - {{< /name >}} is a closing tag; a '/' right before the closing
//     delimiter ({{< name />}}) makes the tag self-closing.
//   - Arguments are either all positional or all named (key="value");
//     values are bare words, "double-quoted" strings (in which \" stands for
//     a quote) or `raw strings`. Single quotes are not quote characters, as
//     in Hugo: key='v' has the value 'v' including the quotes.
//   - {{</* note */>}} is an escaped tag: it stands for the literal text
//     {{< note >}} and its inside is not interpreted.
//   - {{ not followed by < or % is plain text, so Go templates such as
//     {{range .items}} in code blocks are left alone.
//
// Hugo knows from its templates which shortcodes take inner content; this
// package does not, so Parse pairs an opening tag with the nearest later
// closing tag of the same name at the same nesting depth and treats an
// opening tag without one as standalone.
//
// Like Hugo, the lexer knows nothing of Markdown: tags inside fenced code
// blocks are tags (the Kubernetes pages rely on this, for example
// "curl -LO .../v{{< skew currentPatchVersion >}}/bin/..."), which is why
// escaped tags exist. The lexer is more lenient than Hugo in one respect:
// unquoted values and parameter names may hold any bytes other than white
// space, quotes, '=' and delimiters, where Hugo accepts only letters,
// digits, '-' and '.'. Lexing and parsing take time linear in the input,
// and never panic; invalid UTF-8 is treated as plain bytes. A tag has at
// most MaxParams parameters.
package shortcode

import (
	"fmt"
	"strings"
)

// Kind is the kind of an Item.
type Kind int

const (
	// Text is plain text between tags: src[Start:End].
	Text Kind = iota
	// Tag is a shortcode tag; the Item's Tag field is set.
	Tag
	// Escaped is an escaped tag such as {{</* note */>}}; the Item's
	// Literal field holds the text Hugo outputs for it ({{< note >}}).
	Escaped
)

// String returns the name of the kind.
func (k Kind) String() string {
	switch k {
	case Text:
		return "Text"
	case Tag:
		return "Tag"
	case Escaped:
		return "Escaped"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Param is one argument of a tag.
type Param struct {
	Name  string // "" for a positional argument
	Value string // the value with quotes removed and \" unescaped
	// Start and End are the byte range of the value in the source,
	// quotes included.
	Start, End int
}

// Shortcode is one lexed tag.
type Shortcode struct {
	// Name is the shortcode name ("note", "tab", "glossary_tooltip");
	// for a closing tag it is the name without the '/'.
	Name string
	// Closing reports a closing tag: {{< /name >}}.
	Closing bool
	// SelfClosing reports {{< name />}} or {{< name args />}}.
	SelfClosing bool
	// Markdown reports the {{% %}} form (true) rather than {{< >}} (false).
	Markdown bool
	// Params are the arguments in source order. They are either all
	// positional or all named.
	Params []Param
	// Start and End are the byte range of the whole tag in the source,
	// delimiters included.
	Start, End int
	// Warning, when set, says what the lexer read past that Hugo accepts
	// but is likely a mistake (a stray '=' after the name).
	Warning string
}

// Positional returns the value of positional argument i (counting from 0),
// or "" when there is no such argument.
func (s *Shortcode) Positional(i int) string {
	n := 0
	for _, p := range s.Params {
		if p.Name != "" {
			continue
		}
		if n == i {
			return p.Value
		}
		n++
	}
	return ""
}

// Get returns the value of the named argument and whether it is present.
func (s *Shortcode) Get(name string) (string, bool) {
	for _, p := range s.Params {
		if p.Name != "" && p.Name == name {
			return p.Value, true
		}
	}
	return "", false
}

// Delims returns the opening and closing delimiters of the tag:
// "{{<", ">}}" or "{{%", "%}}".
func (s *Shortcode) Delims() (open, close string) {
	if s.Markdown {
		return "{{%", "%}}"
	}
	return "{{<", ">}}"
}

// String returns the tag in a normalized source form, such as
// {{< glossary_tooltip text="Pod" term_id="pod" >}} or {{% /tab %}}.
// Values are written bare when that is unambiguous and quoted otherwise.
func (s *Shortcode) String() string {
	open, close := s.Delims()
	var b strings.Builder
	b.WriteString(open)
	b.WriteByte(' ')
	if s.Closing {
		b.WriteByte('/')
	}
	b.WriteString(s.Name)
	for _, p := range s.Params {
		b.WriteByte(' ')
		if p.Name != "" {
			b.WriteString(p.Name)
			b.WriteByte('=')
		}
		b.WriteString(quoteValue(p.Value))
	}
	if s.SelfClosing {
		b.WriteString(" /")
	}
	b.WriteByte(' ')
	b.WriteString(close)
	return b.String()
}

// quoteValue writes v so that the lexer reads it back as v.
func quoteValue(v string) string {
	bare := v != ""
	for i := 0; i < len(v) && bare; i++ {
		switch c := v[i]; {
		case isSpace(c), c == '"', c == '`', c == '=', c == '/', c == '{', c == '}', c == '%', c == '>':
			bare = false
		}
	}
	switch {
	case bare:
		return v
	case !strings.ContainsAny(v, "\"\n") && !strings.HasSuffix(v, `\`):
		return `"` + v + `"`
	case !strings.Contains(v, "`"):
		return "`" + v + "`"
	}
	// Only \" is an escape inside double quotes; a value holding a
	// backquote and also a newline or a trailing backslash cannot be
	// written back exactly.
	v = strings.ReplaceAll(v, "\n", " ")
	return `"` + strings.ReplaceAll(v, `"`, `\"`) + `"`
}

// Item is one lexed piece of the source.
type Item struct {
	Kind Kind
	// Start and End are the byte range of the item in the source.
	Start, End int
	// Tag is the lexed tag when Kind == Tag.
	Tag *Shortcode
	// Literal is the text Hugo outputs when Kind == Escaped.
	Literal string
}

// Error is a lexing or parsing error at a byte offset of the source. For
// errors inside a tag, Offset is the start of the tag and Msg gives the
// offset of the offending byte.
type Error struct {
	Offset int
	Msg    string
}

// Error returns the message with its offset.
func (e *Error) Error() string {
	return fmt.Sprintf("shortcode: offset %d: %s", e.Offset, e.Msg)
}

// Position converts a byte offset of src into a 1-based line and a 1-based
// byte column. Offsets outside src are clamped to it.
func Position(src []byte, offset int) (line, col int) {
	offset = max(0, min(offset, len(src)))
	line, lineStart := 1, 0
	for i := 0; i < offset; i++ {
		if src[i] == '\n' {
			line++
			lineStart = i + 1
		}
	}
	return line, offset - lineStart + 1
}

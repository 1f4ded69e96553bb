package html

import (
	"bytes"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	chtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
)

// Code is highlighted with chroma's token types and CSS classes (the
// classes of chroma's HTML formatter with WithClasses), styled by one
// stylesheet that holds a light and a dark theme.

// Light and dark are the chroma styles of the report's code blocks.
const (
	LightStyle = "github"
	DarkStyle  = "github-dark"
)

// emitFunc receives the tokens of a code block in order.
type emitFunc func(t chroma.TokenType, text string)

// lexFunc splits code into tokens.
type lexFunc func(code string, emit emitFunc)

// plainLangs are fence languages shown as plain text.
var plainLangs = map[string]bool{"": true, "text": true, "plaintext": true, "none": true, "output": true, "txt": true}

var lexCache sync.Map // lowercased fence language -> lexFunc

// lexerFor returns the tokenizer of a fence language: one of docrun's fast
// lexers for the languages pages are mostly made of, else chroma's lexer,
// else plain text.
func lexerFor(lang string) lexFunc {
	lang = strings.ToLower(lang)
	if v, ok := lexCache.Load(lang); ok {
		return v.(lexFunc)
	}
	var f lexFunc
	switch {
	case plainLangs[lang]:
		f = plainLex
	case fastLexers[lang] != nil:
		f = fastLexers[lang]
	default:
		l := lexers.Get(lang)
		if l == nil {
			f = plainLex
		} else {
			f = chromaLex(chroma.Coalesce(l))
		}
	}
	lexCache.Store(lang, f)
	return f
}

func plainLex(code string, emit emitFunc) { emit(chroma.Text, code) }

func chromaLex(l chroma.Lexer) lexFunc {
	return func(code string, emit emitFunc) {
		it, err := l.Tokenise(nil, code)
		if err != nil {
			emit(chroma.Text, code)
			return
		}
		for t := it(); t != chroma.EOF; t = it() {
			emit(t.Type, t.Value)
		}
	}
}

// tokenClass is chroma's CSS class of a token type, or "" for plain text.
func tokenClass(t chroma.TokenType) string {
	for t != 0 {
		if c, ok := chroma.StandardTypes[t]; ok {
			return c
		}
		t = t.Parent()
	}
	return ""
}

// highlight writes code as highlighted HTML: <pre class="chroma"> with a
// <span class> per token, every text escaped.
func highlight(w writer, lang, code string) {
	w.WriteString(`<pre class="chroma"><code`)
	if lang != "" {
		w.WriteString(` data-lang="`)
		escape(w, lang)
		w.WriteByte('"')
	}
	w.WriteByte('>')
	lexerFor(lang)(code, func(t chroma.TokenType, text string) {
		if text == "" {
			return
		}
		cls := ""
		if t != chroma.Text && t != chroma.TextWhitespace {
			cls = tokenClass(t)
		}
		if cls == "" {
			escape(w, text)
			return
		}
		w.WriteString(`<span class="`)
		w.WriteString(cls)
		w.WriteString(`">`)
		escape(w, text)
		w.WriteString(`</span>`)
	})
	w.WriteString("</code></pre>\n")
}

var (
	cssOnce sync.Once
	cssText string
)

// chromaCSS is the stylesheet of highlighted code: the light style, and the
// dark style inside @media (prefers-color-scheme: dark).
func chromaCSS() string {
	cssOnce.Do(func() {
		f := chtml.New(chtml.WithClasses(true), chtml.WithAllClasses(true))
		var b bytes.Buffer
		if s := styles.Get(LightStyle); s != nil {
			_ = f.WriteCSS(&b, s)
		}
		if s := styles.Get(DarkStyle); s != nil {
			b.WriteString("@media (prefers-color-scheme: dark) {\n")
			_ = f.WriteCSS(&b, s)
			b.WriteString("}\n")
		}
		cssText = b.String()
	})
	return cssText
}

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

// Code is highlighted by chroma's lexers, written with the CSS classes of
// chroma's HTML formatter (WithClasses) and styled by one stylesheet that
// holds a light and a dark theme. Highlighted blocks are cached (see
// blockCache), so re-rendering an unchanged page costs no lexing.

// Light and dark are the chroma styles of the report's code blocks.
const (
	LightStyle = "github"
	DarkStyle  = "github-dark"
)

// plainLangs are fence languages shown as plain text.
var plainLangs = map[string]bool{"": true, "text": true, "plaintext": true, "none": true, "output": true, "txt": true}

// langAliases are fence languages of pages that chroma knows by another name.
var langAliases = map[string]string{"console-bash": "bash"}

// blocks holds the HTML of highlighted code blocks, keyed on language and
// code: the report, watch and serve re-render pages whose code has not
// changed.
var blocks = newBlockCache(32 << 20)

// lexerCache maps a fence language as written to its lexer (a nil Lexer
// for plain text): chroma's lookup of a name it does not know tries every
// lexer's file patterns.
var lexerCache sync.Map

// lexerFor returns chroma's lexer of a fence language, or nil for plain text.
func lexerFor(lang string) chroma.Lexer {
	if l, ok := lexerCache.Load(lang); ok {
		return l.(lexerBox).Lexer
	}
	var l chroma.Lexer
	name := strings.ToLower(lang)
	if a, ok := langAliases[name]; ok {
		name = a
	}
	if !plainLangs[name] {
		if found := lexers.Get(name); found != nil {
			l = chroma.Coalesce(found)
		}
	}
	lexerCache.Store(lang, lexerBox{l})
	return l
}

// lexerBox lets the lexer cache hold a nil Lexer.
type lexerBox struct{ chroma.Lexer }

// tokenClass is chroma's CSS class of a token type, or "" for plain text.
func tokenClass(t chroma.TokenType) string {
	if t == chroma.Text || t == chroma.TextWhitespace {
		return ""
	}
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
	key := lang + "\x00" + code
	h, ok := blocks.get(key)
	if !ok {
		var b strings.Builder
		highlightTo(&b, lang, code)
		h = b.String()
		blocks.put(key, h)
	}
	w.WriteString(h)
}

// highlightTo lexes code and writes its HTML.
func highlightTo(w writer, lang, code string) {
	w.WriteString(`<pre class="chroma"><code`)
	if lang != "" {
		w.WriteString(` data-lang="`)
		escape(w, lang)
		w.WriteByte('"')
	}
	w.WriteByte('>')
	var it chroma.Iterator
	if l := lexerFor(lang); l != nil {
		it, _ = l.Tokenise(nil, code)
	}
	if it == nil {
		escape(w, code)
	} else {
		for t := it(); t != chroma.EOF; t = it() {
			span(w, tokenClass(t.Type), t.Value)
		}
	}
	w.WriteString("</code></pre>\n")
}

// span writes a token's text, in a <span> of its class unless that is "".
func span(w writer, cls, text string) {
	if text == "" {
		return
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

package html

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
	nhtml "golang.org/x/net/html"
)

// Raw HTML in a page is reduced to an allowlist of inert elements and
// attributes; everything else is dropped, and the content of script-like
// elements with it. Elements stay balanced: each is closed at the latest
// when the container it was opened in ends, and an element that cannot hold
// blocks is closed at the end of the HTML block that opened it.

// inlineElems may appear in raw HTML anywhere.
var inlineElems = map[string]bool{
	"a": true, "abbr": true, "b": true, "bdi": true, "bdo": true, "br": true, "cite": true,
	"code": true, "del": true, "dfn": true, "em": true, "i": true, "ins": true, "kbd": true,
	"mark": true, "q": true, "s": true, "samp": true, "small": true, "span": true,
	"strong": true, "sub": true, "sup": true, "time": true, "u": true, "var": true, "wbr": true,
}

// blockElems may appear in HTML blocks only.
var blockElems = map[string]bool{
	"div": true, "p": true, "pre": true, "blockquote": true, "details": true, "summary": true,
	"figure": true, "figcaption": true, "section": true, "aside": true, "center": true,
	"table": true, "caption": true, "colgroup": true, "col": true, "thead": true, "tbody": true,
	"tfoot": true, "tr": true, "td": true, "th": true, "ul": true, "ol": true, "li": true,
	"dl": true, "dt": true, "dd": true, "h1": true, "h2": true, "h3": true, "h4": true,
	"h5": true, "h6": true, "hr": true,
}

// spanning elements may stay open across the markdown blocks that follow
// their HTML block (<div> ... markdown ... </div>).
var spanning = map[string]bool{"div": true, "details": true, "blockquote": true, "figure": true, "section": true, "aside": true}

// closesP are the elements before which HTML ends an open paragraph.
var closesP = map[string]bool{
	"div": true, "p": true, "pre": true, "blockquote": true, "details": true, "figure": true,
	"section": true, "aside": true, "table": true, "ul": true, "ol": true, "dl": true, "hr": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
}

var voidElems = map[string]bool{"br": true, "wbr": true, "hr": true, "col": true}

// dropped elements go with all their content.
var dropped = map[string]bool{
	"script": true, "style": true, "iframe": true, "object": true, "embed": true, "noscript": true,
	"template": true, "svg": true, "math": true, "textarea": true, "select": true, "title": true,
	"frameset": true, "frame": true, "applet": true, "noembed": true, "noframes": true, "xmp": true,
	"audio": true, "video": true, "canvas": true, "form": true, "button": true, "head": true,
}

var allowedAttrs = map[string]bool{
	"title": true, "lang": true, "dir": true, "colspan": true, "rowspan": true, "align": true,
	"valign": true, "start": true, "reversed": true, "open": true, "id": true, "datetime": true,
	"cite": true, "href": true,
}

func (b *body) renderHTMLBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	if ids := b.marks.alone[node]; len(ids) > 0 {
		b.standalone(w, ids, true)
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.HTMLBlock)
	b.sanitize(w, htmlBlockText(n, src), node.Parent(), node, false)
	w.WriteByte('\n')
	return ast.WalkSkipChildren, nil
}

func (b *body) renderRawHTML(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	if ids := b.marks.alone[node]; len(ids) > 0 {
		b.standalone(w, ids, false)
		return ast.WalkSkipChildren, nil
	}
	b.sanitize(w, rawText(node.(*ast.RawHTML), src), node.Parent(), nil, true)
	return ast.WalkSkipChildren, nil
}

// sanitize writes the allowed part of raw HTML. owner is the node whose
// children the HTML is among; block is the HTML block, nil for inline HTML.
func (b *body) sanitize(w writer, text string, owner, block ast.Node, inline bool) {
	z := nhtml.NewTokenizer(strings.NewReader(text))
	skipping, depth := "", 0
	for {
		tt := z.Next()
		if tt == nhtml.ErrorToken {
			break
		}
		tok := z.Token()
		name := strings.ToLower(tok.Data)
		if skipping != "" {
			switch {
			case tt == nhtml.StartTagToken && name == skipping:
				depth++
			case tt == nhtml.EndTagToken && name == skipping:
				depth--
				if depth == 0 {
					skipping = ""
				}
			}
			continue
		}
		switch tt {
		case nhtml.TextToken:
			escape(w, tok.Data)
		case nhtml.StartTagToken, nhtml.SelfClosingTagToken:
			switch {
			case dropped[name]:
				if tt == nhtml.StartTagToken {
					skipping, depth = name, 1
				}
			case name == "img":
				w.WriteString(`<span class="image" title="`)
				escape(w, "image: "+attr(tok, "src"))
				w.WriteString(`">[image: `)
				escape(w, attr(tok, "alt"))
				w.WriteString("]</span>")
			case inlineElems[name] || (!inline && blockElems[name]):
				if name == "center" {
					name = "div"
				}
				if closesP[name] {
					b.closeP(w, owner)
				}
				b.startTag(w, name, tok.Attr)
				switch {
				case voidElems[name]:
				case tt == nhtml.SelfClosingTagToken:
					// <p/> is no void element: close it at once.
					w.WriteString("</" + name + ">")
				default:
					b.push(openElem{tag: name, owner: owner, mark: -1, block: block, persist: spanning[name]})
				}
			}
		case nhtml.EndTagToken:
			if name == "center" {
				name = "div"
			}
			b.endTag(w, name, owner)
		}
	}
	// Elements that cannot hold the blocks after this one end with it.
	if block != nil {
		for len(b.stack) > 0 {
			top := b.stack[len(b.stack)-1]
			if top.block != block || top.persist {
				break
			}
			b.closeTop(w)
		}
	}
}

func (b *body) startTag(w writer, name string, attrs []nhtml.Attribute) {
	w.WriteString("<" + name)
	for _, a := range attrs {
		k := strings.ToLower(a.Key)
		if !allowedAttrs[k] || a.Namespace != "" {
			continue
		}
		v := a.Val
		switch k {
		case "href", "cite":
			if v = safeURL(v); v == "" {
				continue
			}
		case "id":
			// Report ids (steps, the header) must not be taken.
			if strings.Contains(v, ":") || strings.HasPrefix(v, "docrun-") {
				continue
			}
		}
		w.WriteString(" " + k + `="`)
		escape(w, v)
		w.WriteByte('"')
	}
	w.WriteByte('>')
}

// endTag closes the innermost open element called name that was opened
// among the same owner's children, and those opened after it; an end tag
// that matches none is dropped.
func (b *body) endTag(w writer, name string, owner ast.Node) {
	for i := len(b.stack) - 1; i >= 0; i-- {
		e := b.stack[i]
		if e.mark >= 0 || e.owner != owner {
			return
		}
		if e.tag == name {
			for len(b.stack) > i {
				b.closeTop(w)
			}
			return
		}
	}
}

// closeP closes a paragraph the page's raw HTML left open among owner's
// children, as an HTML parser would before a block.
func (b *body) closeP(w writer, owner ast.Node) {
	for i := len(b.stack) - 1; i >= 0; i-- {
		e := b.stack[i]
		if e.mark >= 0 || e.owner != owner {
			return
		}
		if e.tag == "p" {
			for len(b.stack) > i {
				b.closeTop(w)
			}
			return
		}
	}
}

func attr(t nhtml.Token, key string) string {
	for _, a := range t.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

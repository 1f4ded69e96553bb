package html

import (
	"bytes"
	"fmt"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"

	"github.com/docrun/docrun/markdown"
)

// codePriority is the priority of docrun's node renderer: ahead of
// goldmark's default HTML renderer (1000) and its extensions' (500), as
// Hugo registers its code block renderer.
const codePriority = 100

// body renders the article of one report: goldmark's renderers for
// ordinary markdown, docrun's for code blocks (steps), shortcode markers,
// raw HTML, headings, links and images. One body renders one report.
type body struct {
	rep  *Report
	page *markdown.Page
	lang string
	site *markdown.Site

	// defaults are the functions of goldmark's renderers, which docrun's
	// node renderer wraps.
	defaults map[ast.NodeKind]renderer.NodeRendererFunc

	marks markPlan
	stack []openElem
	steps stepPlan
}

// openElem is an element the renderer opened and must close: a shortcode
// wrapper or an element of the page's raw HTML. Owner is the AST node whose
// children it sits among; it is closed at the latest when Owner ends.
type openElem struct {
	tag     string
	owner   ast.Node
	mark    int      // wrapper of mark N, or -1
	block   ast.Node // the HTML block that opened it, for raw elements
	persist bool     // a raw element that may span several blocks
}

func newBody(r *Report) *body {
	b := &body{rep: r, page: r.Page, site: r.site()}
	b.lang = r.doc().Lang
	if b.lang == "" {
		b.lang = "en"
	}
	return b
}

// render writes the article's HTML.
func (b *body) render(w *bytes.Buffer) error {
	b.steps = planSteps(b.rep)
	if b.page == nil {
		b.renderFromResult(w)
		return nil
	}
	b.marks = planMarks(b.page)
	defaults := []util.PrioritizedValue{
		util.Prioritized(ghtml.NewRenderer(), 1000),
		util.Prioritized(extension.NewTableHTMLRenderer(), 500),
		util.Prioritized(extension.NewStrikethroughHTMLRenderer(), 500),
		util.Prioritized(extension.NewTaskCheckBoxHTMLRenderer(), 500),
		util.Prioritized(extension.NewDefinitionListHTMLRenderer(), 500),
		util.Prioritized(extension.NewFootnoteHTMLRenderer(), 500),
	}
	b.defaults = collect(defaults)
	r := renderer.NewRenderer(renderer.WithNodeRenderers(
		append(defaults, util.Prioritized(b, codePriority))...))
	return r.Render(w, b.page.Source, b.page.AST)
}

// collect returns the functions renderers register, later ones of lower
// priority value replacing earlier ones, as goldmark's renderer does.
func collect(rs util.PrioritizedSlice) map[ast.NodeKind]renderer.NodeRendererFunc {
	c := collector{}
	sorted := append(util.PrioritizedSlice(nil), rs...)
	sorted.Sort()
	for i := len(sorted) - 1; i >= 0; i-- {
		sorted[i].Value.(renderer.NodeRenderer).RegisterFuncs(c)
	}
	return c
}

type collector map[ast.NodeKind]renderer.NodeRendererFunc

// Register records a renderer's function for a node kind.
func (c collector) Register(k ast.NodeKind, f renderer.NodeRendererFunc) { c[k] = f }

// RegisterFuncs registers docrun's functions: its own for the nodes it
// renders itself, and around every other kind goldmark's function wrapped
// so that shortcode wrappers and raw HTML elements open and close in the
// right places.
func (b *body) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	own := map[ast.NodeKind]renderer.NodeRendererFunc{
		ast.KindFencedCodeBlock: b.renderCode,
		ast.KindCodeBlock:       b.renderCode,
		ast.KindHeading:         b.renderHeading,
		ast.KindHTMLBlock:       b.renderHTMLBlock,
		ast.KindRawHTML:         b.renderRawHTML,
		ast.KindLink:            b.renderLink,
		ast.KindAutoLink:        b.renderAutoLink,
		ast.KindImage:           b.renderImage,
		ast.KindDocument:        b.renderDocument,
	}
	for k, f := range b.defaults {
		if own[k] == nil {
			reg.Register(k, b.wrap(f))
		}
	}
	for k, f := range own {
		reg.Register(k, b.wrap(f))
	}
}

// wrap surrounds a node's function with what the plans attach to the node:
// shortcode wrappers opened before it and closed after it, and raw HTML
// elements opened inside it closed before it ends.
func (b *body) wrap(f renderer.NodeRendererFunc) renderer.NodeRendererFunc {
	return func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			for _, id := range b.marks.before[n] {
				b.openMark(w, id, n.Parent())
			}
			if b.marks.skip[n] {
				return ast.WalkSkipChildren, nil
			}
			return f(w, src, n, entering)
		}
		var s ast.WalkStatus = ast.WalkContinue
		var err error
		if !b.marks.skip[n] {
			b.closeOwned(w, n)
			s, err = f(w, src, n, entering)
		}
		for _, id := range b.marks.after[n] {
			b.closeMark(w, id)
		}
		return s, err
	}
}

// push records an element the renderer opened.
func (b *body) push(e openElem) { b.stack = append(b.stack, e) }

// closeTop closes the innermost open element.
func (b *body) closeTop(w writer) {
	e := b.stack[len(b.stack)-1]
	b.stack = b.stack[:len(b.stack)-1]
	w.WriteString("</" + e.tag + ">")
	if e.mark >= 0 {
		w.WriteByte('\n')
	}
}

// closeOwned closes the elements opened among n's children.
func (b *body) closeOwned(w writer, n ast.Node) {
	for len(b.stack) > 0 && b.stack[len(b.stack)-1].owner == n {
		b.closeTop(w)
	}
}

func (b *body) renderDocument(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		return ast.WalkContinue, nil
	}
	for len(b.stack) > 0 {
		b.closeTop(w)
	}
	b.renderLeftover(w)
	return ast.WalkContinue, nil
}

func (b *body) renderHeading(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	id := markdown.HeadingID(n)
	if entering {
		fmt.Fprintf(w, "<h%d", n.Level)
		if id != "" {
			w.WriteString(` id="`)
			escape(w, id)
			w.WriteByte('"')
		}
		w.WriteByte('>')
		return ast.WalkContinue, nil
	}
	if id != "" {
		w.WriteString(`<a class="anchor" href="#`)
		escape(w, id)
		w.WriteString(`" aria-label="link to this section">#</a>`)
	}
	fmt.Fprintf(w, "</h%d>\n", n.Level)
	return ast.WalkContinue, nil
}

func (b *body) renderLink(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	if !entering {
		w.WriteString("</a>")
		return ast.WalkContinue, nil
	}
	w.WriteString("<a")
	if u := safeURL(string(n.Destination)); u != "" {
		w.WriteString(` href="`)
		escape(w, u)
		w.WriteByte('"')
	}
	if len(n.Title) > 0 {
		w.WriteString(` title="`)
		escape(w, string(n.Title))
		w.WriteByte('"')
	}
	w.WriteByte('>')
	return ast.WalkContinue, nil
}

func (b *body) renderAutoLink(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.AutoLink)
	if !entering {
		return ast.WalkContinue, nil
	}
	u := string(n.URL(src))
	label := string(n.Label(src))
	if n.AutoLinkType == ast.AutoLinkEmail && len(u) > 0 && !bytes.HasPrefix([]byte(u), []byte("mailto:")) {
		u = "mailto:" + u
	}
	w.WriteString("<a")
	if s := safeURL(u); s != "" {
		w.WriteString(` href="`)
		escape(w, s)
		w.WriteByte('"')
	}
	w.WriteByte('>')
	escape(w, label)
	w.WriteString("</a>")
	return ast.WalkContinue, nil
}

// renderImage shows an image as its alt text: a report fetches nothing.
func (b *body) renderImage(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Image)
	if !entering {
		w.WriteString("]</span>")
		return ast.WalkContinue, nil
	}
	w.WriteString(`<span class="image" title="`)
	escape(w, "image: "+string(n.Destination))
	w.WriteString(`">[image: `)
	return ast.WalkContinue, nil
}

// flowContainer reports whether a node's children are blocks that a
// shortcode wrapper (a <div>) may sit among.
func flowContainer(n ast.Node) bool {
	switch n.Kind() {
	case ast.KindDocument, ast.KindListItem, ast.KindBlockquote,
		east.KindFootnote, east.KindDefinitionDescription:
		return true
	}
	return false
}

package markdown

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
)

// walker turns the AST of an expanded page into sections and steps.
type walker struct {
	page    *Page
	src     *source
	source  []byte
	ids     map[string]int
	section *Section
	part    string
	pending *Directives
	replace *block // a replacement block given by a "docrun replace" directive
	// shell is the container an earlier step opened a shell in, or nil;
	// shellSection the section it is in.
	shell        *Target
	shellSection int
	// named are the values the page said to replace with an object's
	// name, which later steps that show the same value replace too.
	named []Replacement
	// vars are the shell variables earlier steps of the page set; opaque
	// is set once a step sourced or evaluated text that may set more.
	vars     map[string]bool
	opaque   bool
	warnings []string
	// tabs are the page's tabs; stepTabs the tab of each step.
	tabs     pageTabs
	stepTabs map[int]stepTab
}

// stepTab is the tab a step's block is in (-1 outside tabs) and why it
// does not run when that tab is an alternative to the one that runs.
type stepTab struct {
	id   int
	skip string
}

// block is a code block found in the page, before it becomes a step or an
// expected output.
type block struct {
	node  ast.Node
	lang  string
	code  string
	line  int
	pos   int
	embed *embed
	// prose are the sentences between the previous code block (or
	// heading, or tab boundary) and this one, in order.
	prose   []string
	direct  bool     // the block directly follows another code block
	lead    string   // the paragraph right before the block
	after   string   // the paragraph right after the block
	spans   []string // code spans of the paragraphs before and after the block
	hidden  bool
	dirLine int
}

func (w *walker) walk(root ast.Node) error {
	w.tabs, w.stepTabs = newPageTabs(w.source, w.src.marks), map[int]stepTab{}
	w.page.tabs = w.tabs
	return ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			w.heading(n)
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock:
			w.tabsMarker(n)
			return ast.WalkSkipChildren, w.htmlBlock(n)
		case *ast.FencedCodeBlock:
			lang := ""
			if n.Info != nil {
				lang = firstWord(string(n.Info.Segment.Value(w.source)))
			}
			w.code(w.newBlock(n, lang))
			return ast.WalkSkipChildren, nil
		case *ast.CodeBlock:
			w.code(w.newBlock(n, ""))
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
}

func (w *walker) newBlock(n ast.Node, lang string) *block {
	pos := n.Pos()
	if pos < 0 {
		pos = 0
		if n.Lines().Len() > 0 {
			pos = n.Lines().At(0).Start
		}
	}
	b := &block{node: n, lang: lang, code: linesText(n, w.source), pos: pos,
		line: w.src.pageLine(pos), embed: w.src.embeds[pos]}
	if _, fenced := n.(*ast.FencedCodeBlock); !fenced && n.Lines().Len() > 0 {
		b.line = w.src.pageLine(n.Lines().At(0).Start)
	}
	b.prose, b.direct = w.context(n)
	b.lead, b.after, b.spans = w.around(n)
	return b
}

// context finds the prose before a block: the sentences of the
// paragraphs between it and the previous code block, heading or tab
// boundary, and whether another code block comes right before it instead.
// HTML comments (directives) and note boundaries in between are not prose
// and do not separate; a list right before the block gives the text of its
// last item.
func (w *walker) context(n ast.Node) (prose []string, direct bool) {
	var paras []string
	first := true
	for prev := n.PreviousSibling(); prev != nil; prev = prev.PreviousSibling() {
		switch p := prev.(type) {
		case *ast.HTMLBlock:
			if isComment(p, w.source) && !isMarker(p, w.source) {
				continue
			}
			if !isMarker(p, w.source) || w.isTabMarker(p) {
				return joinProse(paras), false
			}
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			return joinProse(paras), first
		case *ast.Paragraph, *ast.TextBlock:
			paras = append(paras, plainText(p, w.source))
		case *ast.List:
			if last := p.LastChild(); last != nil {
				for c := last.LastChild(); c != nil; c = c.PreviousSibling() {
					if para, ok := c.(*ast.Paragraph); ok {
						paras = append(paras, plainText(para, w.source))
						continue
					}
					if _, ok := c.(*ast.TextBlock); ok {
						paras = append(paras, plainText(c, w.source))
						continue
					}
					break
				}
			}
			return joinProse(paras), false
		default:
			return joinProse(paras), false
		}
		first = false
	}
	return joinProse(paras), false
}

// joinProse turns paragraphs collected last first into sentences in page
// order.
func joinProse(paras []string) []string {
	var out []string
	for i := len(paras) - 1; i >= 0; i-- {
		out = append(out, sentences(paras[i])...)
	}
	return out
}

func isComment(h *ast.HTMLBlock, source []byte) bool {
	return h.HTMLBlockType == ast.HTMLBlockType2 || bytes.HasPrefix(bytes.TrimSpace(blockText(h, source)), []byte("<!--"))
}

// isMarker reports whether an HTML block is a shortcode marker: a tab or
// note boundary separates blocks that would otherwise follow each other.
func isMarker(h *ast.HTMLBlock, source []byte) bool {
	return bytes.Contains(blockText(h, source), []byte("<!--docrun-sc:"))
}

func linesText(n ast.Node, source []byte) string {
	var b strings.Builder
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.WriteString(strings.Repeat(" ", seg.Padding))
		b.Write(seg.Value(source))
	}
	return b.String()
}

func blockText(h *ast.HTMLBlock, source []byte) []byte {
	var b bytes.Buffer
	lines := h.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(source))
	}
	if h.HasClosure() {
		b.Write(h.ClosureLine.Value(source))
	}
	return b.Bytes()
}

// plainText is the text of an inline container with markup removed.
func plainText(n ast.Node, source []byte) string {
	var b strings.Builder
	var walk func(ast.Node)
	walk = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text:
				b.Write(c.Segment.Value(source))
				if c.SoftLineBreak() || c.HardLineBreak() {
					b.WriteByte(' ')
				}
			case *ast.String:
				b.Write(c.Value)
			case *ast.RawHTML:
				// Shortcode markers and inline HTML are not text.
			case *ast.AutoLink:
				b.Write(c.Label(source))
			default:
				walk(c)
			}
		}
	}
	walk(n)
	return strings.TrimSpace(b.String())
}

func firstWord(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '{' || r == ',' }); i >= 0 {
		s = s[:i]
	}
	return s
}

func (w *walker) heading(n *ast.Heading) {
	title := plainText(n, w.source)
	id := HeadingID(n)
	if id == "" {
		id = headingID(title)
	}
	if c := w.ids[id]; c > 0 {
		w.ids[id] = c + 1
		id = fmt.Sprintf("%s-%d", id, c)
	} else {
		w.ids[id] = 1
	}
	pos := n.Pos()
	if pos < 0 && n.Lines().Len() > 0 {
		pos = n.Lines().At(0).Start
	}
	sec := Section{Level: n.Level, ID: id, Title: title, Line: w.src.pageLine(max(pos, 0))}
	if n.Lines().Len() > 0 {
		first, last := n.Lines().At(0), n.Lines().At(n.Lines().Len()-1)
		for off, role := range w.src.roles {
			if off >= first.Start && off < last.Stop {
				sec.Role = role
			}
		}
	}
	n.SetAttributeString("id", []byte(id))
	w.page.Doc.Sections = append(w.page.Doc.Sections, sec)
	w.section = &w.page.Doc.Sections[len(w.page.Doc.Sections)-1]
	if sec.Role != "" {
		w.part = sec.Role
	}
}

// headingID makes an anchor from heading text the way Hugo's "github"
// style does: lower case, spaces to hyphens, punctuation dropped, letters
// of every script kept.
func headingID(title string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(title) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

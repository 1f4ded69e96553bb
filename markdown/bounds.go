package markdown

import (
	"fmt"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Limits on the markdown of one page, far above what a reader writes. They
// turn input shaped to make goldmark take minutes and gigabytes (thousands
// of nested list items, megabytes of "[") into a file:line error in a
// fraction of a second.
const (
	// MaxNesting is how deep lists, block quotes, footnotes and
	// definition lists may nest.
	MaxNesting = 32
	// MaxBrackets is the most square brackets one paragraph, heading or
	// table may hold.
	MaxBrackets = 2000
	// MaxInlineWork bounds, over a whole page, the sum for each paragraph
	// (heading, table) of its length times its count of brackets and
	// emphasis, code and autolink delimiters, and of its lines squared:
	// what goldmark's scans for links, emphasis and link definitions cost
	// at worst.
	MaxInlineWork = 1 << 28
	// MaxElements is the most markdown elements (blocks, inline
	// elements, lines of paragraphs) a page may have.
	MaxElements = 200_000
	// MaxCodeBlocks is the most code blocks a page may have.
	MaxCodeBlocks = 10_000
	// MaxHeadings is the most headings a page may have.
	MaxHeadings = 10_000
	// MaxExpandedSize is the largest a page may grow to once its
	// includes and example files are expanded.
	MaxExpandedSize = 2 * MaxPageSize
)

// boundsError stops a parse that went past a limit; parseMarkdown
// recovers it.
type boundsError struct {
	off int // offset in the expanded text
	msg string
}

func (e boundsError) Error() string { return e.msg }

// boundedParser is a goldmark parser whose block and inline parsers (the
// defaults and those extensions add) are wrapped in the limits. It keeps
// the options it is given and builds the parser at the first Parse.
type boundedParser struct {
	cfg    *parser.Config
	parser parser.Parser
	budget *budget
}

func newBoundedParser() *boundedParser {
	cfg := parser.NewConfig()
	for _, o := range []parser.Option{
		parser.WithBlockParsers(parser.DefaultBlockParsers()...),
		parser.WithInlineParsers(parser.DefaultInlineParsers()...),
		parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
	} {
		o.SetParserOption(cfg)
	}
	return &boundedParser{cfg: cfg}
}

// AddOptions implements parser.Parser.
func (b *boundedParser) AddOptions(opts ...parser.Option) {
	for _, o := range opts {
		o.SetParserOption(b.cfg)
	}
}

// Parse implements parser.Parser. It panics with a boundsError when the
// page goes past a limit.
func (b *boundedParser) Parse(r text.Reader, opts ...parser.ParseOption) ast.Node {
	if b.parser == nil {
		st := &budget{}
		var blocks, inlines []util.PrioritizedValue
		for _, v := range b.cfg.BlockParsers {
			blocks = append(blocks, util.Prioritized(&nestLimit{BlockParser: v.Value.(parser.BlockParser), budget: st}, v.Priority))
		}
		for _, v := range b.cfg.InlineParsers {
			inlines = append(inlines, util.Prioritized(&inlineLimit{InlineParser: v.Value.(parser.InlineParser), budget: st}, v.Priority))
		}
		po := []parser.Option{
			parser.WithBlockParsers(blocks...),
			parser.WithInlineParsers(inlines...),
			// First of all transformers, as goldmark's link reference
			// one takes time quadratic in a paragraph's lines.
			parser.WithParagraphTransformers(util.Prioritized(paragraphLimit{st}, 0)),
			parser.WithParagraphTransformers(b.cfg.ParagraphTransformers...),
			parser.WithASTTransformers(b.cfg.ASTTransformers...),
		}
		for k, v := range b.cfg.Options {
			po = append(po, parser.WithOption(k, v))
		}
		if b.cfg.EscapedSpace {
			po = append(po, parser.WithEscapedSpace())
		}
		b.parser = parser.NewParser(po...)
		b.budget = st
	}
	pc := parser.NewContext()
	r = &lineLimit{Reader: r, pc: pc, budget: b.budget}
	return b.parser.Parse(r, append(opts, parser.WithContext(pc))...)
}

// lineLimit stops a paragraph that grows past the page's budget (its
// lines squared) as it grows: goldmark adds a paragraph's lines without
// asking any parser.
type lineLimit struct {
	text.Reader
	pc     parser.Context
	budget *budget
}

// AdvanceLine implements text.Reader.
func (r *lineLimit) AdvanceLine() {
	r.Reader.AdvanceLine()
	if last := r.pc.LastOpenedBlock().Node; last != nil && last.Kind() == ast.KindParagraph {
		if lines := last.Lines().Len(); r.budget.work+lines*lines > MaxInlineWork {
			r.budget.charge(lines*lines, last.Lines().At(lines-1).Start)
		}
	}
}

// nestLimit refuses a block opened inside MaxNesting containers, and
// counts the blocks against MaxElements.
type nestLimit struct {
	parser.BlockParser
	budget *budget
}

// Open implements parser.BlockParser.
func (n *nestLimit) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	depth := 0
	for p := parent; p != nil && p.Kind() != ast.KindDocument; p = p.Parent() {
		if p.Kind() != ast.KindList {
			// A list counts once, with its items.
			depth++
		}
	}
	if depth > MaxNesting {
		_, seg := reader.PeekLine()
		panic(boundsError{off: seg.Start, msg: fmt.Sprintf("lists, block quotes or footnotes are too deeply nested (more than %d levels)", MaxNesting)})
	}
	_, seg := reader.PeekLine()
	node, state := n.BlockParser.Open(parent, reader, pc)
	if node != nil {
		n.budget.add(1, seg.Start)
		n.budget.count(node.Kind(), seg.Start)
	}
	return node, state
}

// SetOption passes goldmark's options on to the parser it wraps.
func (n *nestLimit) SetOption(name parser.OptionName, value any) {
	if so, ok := n.BlockParser.(parser.SetOptioner); ok {
		so.SetOption(name, value)
	}
}

// budget is what a page's parse has cost so far: elements, code blocks,
// headings, inline work, and the block last measured.
type budget struct {
	elements, codeBlocks, headings int
	work                           int
	block                          ast.Node
}

// count counts a code block or a heading, which become steps and sections.
func (b *budget) count(k ast.NodeKind, off int) {
	switch k {
	case ast.KindFencedCodeBlock, ast.KindCodeBlock:
		b.codeBlocks++
		if b.codeBlocks > MaxCodeBlocks {
			panic(boundsError{off: off, msg: fmt.Sprintf("the page has more than %d code blocks", MaxCodeBlocks)})
		}
	case ast.KindHeading:
		b.headings++
		if b.headings > MaxHeadings {
			panic(boundsError{off: off, msg: fmt.Sprintf("the page has more than %d headings", MaxHeadings)})
		}
	}
}

// add counts n elements, the last at offset off.
func (b *budget) add(n, off int) {
	b.elements += n
	if b.elements > MaxElements {
		panic(boundsError{off: off, msg: fmt.Sprintf("the page has more than %d markdown elements (blocks, links, emphasis, lines)", MaxElements)})
	}
}

// inlineLimit measures a block at its first inline trigger: its count of
// brackets and delimiters against MaxBrackets, its work against the page's
// MaxInlineWork.
type inlineLimit struct {
	parser.InlineParser
	budget *budget
}

// Parse implements parser.InlineParser.
func (l *inlineLimit) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	if b := l.budget; parent != b.block {
		b.block = parent
		b.measure(parent, block.Source())
	}
	node := l.InlineParser.Parse(parent, block, pc)
	if node != nil {
		_, seg := block.Position()
		l.budget.add(1, seg.Start)
	}
	return node
}

// measure counts the specials of a block's lines and charges its work.
func (b *budget) measure(n ast.Node, src []byte) {
	lines := n.Lines()
	if lines == nil || lines.Len() == 0 {
		return
	}
	size, brackets, specials := 0, 0, 0
	for i := range lines.Len() {
		seg := lines.At(i)
		for _, c := range seg.Value(src) {
			switch c {
			case '[', ']':
				brackets++
			case '*', '_', '~', '`', '<':
				specials++
			}
		}
		size += seg.Len()
	}
	start := lines.At(0).Start
	if brackets > MaxBrackets {
		panic(boundsError{off: start, msg: fmt.Sprintf("too many brackets in one paragraph: %d, more than the %d docrun parses", brackets, MaxBrackets)})
	}
	b.add(lines.Len(), start)
	b.charge(size*(brackets+specials), start)
}

// charge adds work done for the paragraph at off.
func (b *budget) charge(work, off int) {
	b.work += work
	if b.work > MaxInlineWork {
		panic(boundsError{off: off, msg: "the page is too costly to parse (long paragraphs full of brackets, emphasis or link definitions); this paragraph goes past the limit"})
	}
}

// paragraphLimit charges a closed paragraph its lines squared, the cost
// of goldmark's search for link reference definitions in it.
type paragraphLimit struct{ budget *budget }

// Transform implements parser.ParagraphTransformer.
func (p paragraphLimit) Transform(n *ast.Paragraph, reader text.Reader, pc parser.Context) {
	if lines := n.Lines(); lines != nil && lines.Len() > 0 {
		p.budget.charge(lines.Len()*lines.Len(), lines.At(0).Start)
	}
}

// CloseBlock passes the end of a block on to the parser it wraps.
func (l *inlineLimit) CloseBlock(parent ast.Node, block text.Reader, pc parser.Context) {
	if cb, ok := l.InlineParser.(parser.CloseBlocker); ok {
		cb.CloseBlock(parent, block, pc)
	}
}

// SetOption passes goldmark's options on to the parser it wraps.
func (l *inlineLimit) SetOption(name parser.OptionName, value any) {
	if so, ok := l.InlineParser.(parser.SetOptioner); ok {
		so.SetOption(name, value)
	}
}

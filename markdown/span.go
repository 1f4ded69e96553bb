package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
)

// pageOffset maps an offset of the expanded text to the page file's byte
// offset, when the text there is the page's own, copied byte for byte.
func (s *source) pageOffset(off int) (int, bool) {
	seg := s.seg(off)
	if seg == nil || !seg.verbatim || seg.pageOff >= 0 || seg.file != s.page {
		return 0, false
	}
	return seg.off + off - seg.out, true
}

// span is where lines i to j (0-based, inclusive) of block b's code are in
// the page file, or nil when one of them is not the page's own text, or
// was read with a tab expanded into spaces (writing it back would not give
// the same text). j < i is the empty text right after the opening fence.
func (w *walker) span(b *block, i, j int) *Span {
	if b.node == nil || b.embed != nil {
		return nil
	}
	page := w.src.files[w.src.page]
	lines := b.node.Lines()
	if j >= lines.Len() {
		return nil
	}
	// A last line with nothing on it (the page ends there, without a line
	// end) holds no text.
	for j >= i && lines.At(j).Start == lines.At(j).Stop {
		j--
	}
	sp := &Span{}
	indentSet := false
	for k := i; k <= j; k++ {
		seg := lines.At(k)
		if seg.Padding > 0 {
			return nil
		}
		start, ok := w.src.pageOffset(seg.Start)
		if !ok {
			return nil
		}
		if seg.Stop > seg.Start {
			if end, ok := w.src.pageOffset(seg.Stop - 1); !ok || end-start != seg.Stop-1-seg.Start {
				return nil
			}
		}
		line := page.line(start)
		if k > i && line != sp.Last+1 {
			return nil
		}
		if k == i {
			sp.First = line
		}
		sp.Last = line
		if !indentSet && len(bytes.TrimSpace(seg.Value(w.source))) > 0 {
			sp.Indent, indentSet = string(page.data[page.lines[line-1]:start]), true
		}
	}
	if j < i || !indentSet {
		// Empty text: it starts after the opening fence, indented as
		// the fence is.
		fence, ok := w.src.pageOffset(b.pos)
		if !ok {
			return nil
		}
		l := page.line(fence)
		if j < i {
			sp.First, sp.Last = l+1, l
		}
		if !indentSet {
			sp.Indent = string(page.data[page.lines[l-1]:fence])
		}
	}
	return sp
}

// blockSpan is the span of a block's whole code, with the line of its
// closing fence when it is fenced.
func (w *walker) blockSpan(b *block) *Span {
	if b.node == nil {
		return nil
	}
	sp := w.span(b, 0, b.node.Lines().Len()-1)
	if _, fenced := b.node.(*ast.FencedCodeBlock); sp == nil || !fenced {
		return sp
	}
	page := w.src.files[w.src.page]
	if sp.Last < len(page.lines) {
		next := page.data[page.lines[sp.Last]:]
		if k := bytes.IndexByte(next, '\n'); k >= 0 {
			next = next[:k]
		}
		if t := bytes.TrimLeft(next, " \t>"); bytes.HasPrefix(t, []byte("```")) || bytes.HasPrefix(t, []byte("~~~")) {
			sp.End = sp.Last + 1
		}
	}
	return sp
}

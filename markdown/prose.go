package markdown

import (
	"strings"

	"github.com/yuin/goldmark/ast"
)

// ProseBefore returns the prose a reader sees right before the code block
// of step (a Step.Index): the paragraphs and lists between the previous
// code block or heading and the block, as plain text with shortcodes
// expanded and their markers dropped. Paragraphs are separated by a blank
// line, list items by a line break and start with "- ". A step with no
// block in the page (a hidden step) has no prose.
func (p *Page) ProseBefore(step int) string {
	var node ast.Node
	for n, ref := range p.Blocks {
		if ref.Step == step && !ref.Expected {
			node = n
			break
		}
	}
	if node == nil {
		return ""
	}
	var parts []string
	for prev := node.PreviousSibling(); prev != nil; prev = prev.PreviousSibling() {
		if stopsProse(prev) {
			break
		}
		if t := proseText(prev, p.Source); t != "" {
			parts = append(parts, t)
		}
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, "\n\n")
}

// stopsProse reports whether a block ends the prose that leads to the next
// code block: another code block, a heading or a thematic break.
func stopsProse(n ast.Node) bool {
	switch n.(type) {
	case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.Heading, *ast.ThematicBreak:
		return true
	}
	return false
}

// proseText is the plain text of a block: a paragraph's text, a list's
// items, a container's paragraphs; HTML blocks (comments, shortcode
// markers) have none.
func proseText(n ast.Node, source []byte) string {
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		return plainText(n, source)
	case *ast.HTMLBlock, *ast.FencedCodeBlock, *ast.CodeBlock:
		return ""
	case *ast.List:
		var items []string
		for it := n.FirstChild(); it != nil; it = it.NextSibling() {
			var words []string
			for c := it.FirstChild(); c != nil; c = c.NextSibling() {
				if t := proseText(c, source); t != "" {
					words = append(words, strings.ReplaceAll(t, "\n", " "))
				}
			}
			items = append(items, "- "+strings.Join(words, " "))
		}
		return strings.Join(items, "\n")
	}
	var parts []string
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t := proseText(c, source); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "\n\n")
}

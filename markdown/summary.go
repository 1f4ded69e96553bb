package markdown

import (
	"strings"

	"github.com/yuin/goldmark/ast"
)

// FirstLine is the first line of code that is not blank or a comment
// (# or //), shortened to width runes: how lists, progress lines and
// reports name a step.
func FirstLine(code string, width int) string {
	for _, l := range strings.Split(code, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, "//") {
			continue
		}
		if r := []rune(l); len(r) > width {
			return string(r[:width-1]) + "…"
		}
		return l
	}
	return strings.TrimSpace(code)
}

// HeadingID returns the id attribute of a heading: the {#id} written in the
// page, or the one the parser generated.
func HeadingID(n *ast.Heading) string {
	v, ok := n.AttributeString("id")
	if !ok {
		return ""
	}
	switch v := v.(type) {
	case []byte:
		return string(v)
	case string:
		return v
	}
	return ""
}

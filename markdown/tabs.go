package markdown

import (
	"bytes"
	"regexp"
	"strconv"

	"github.com/yuin/goldmark/ast"
)

// tabScope is where a block sits among tabs: the tabs shortcode and the
// tab's position in it, or group -1 outside tabs.
type tabScope struct{ group, tab int }

// sees reports whether a command in scope u sees a file shown in scope f:
// a file in a tab is seen in that tab, and outside the tabs only when it
// is in the tab docrun follows: the one that runs of alternatives, else
// the first (the one the reader sees first).
func (t pageTabs) sees(f, u tabScope) bool {
	switch {
	case f.group < 0:
		return true
	case u.group == f.group:
		return u.tab == f.tab
	}
	if s := t.sets[f.group]; s != nil && s.alternative {
		return f.tab == s.chosen
	}
	return f.tab == 0
}

// tabSpan is one tab of a tabs shortcode: the part of the expanded text
// between its markers.
type tabSpan struct {
	start, end int
	scope      tabScope // the tabs mark id and the tab's position in it
	name       string   // the tab's name="..."
}

// tabSpans finds the tabs of the expanded text from the shortcode markers,
// inner tabs before the tabs around them.
func tabSpans(source []byte, marks []*Mark) []tabSpan {
	var spans []tabSpan
	var stack []int // open mark ids
	opened := map[int]int{}
	tabsSeen := map[int]int{} // tabs mark id -> tabs closed in it so far
	for _, m := range scMarkerRe.FindAllSubmatchIndex(source, -1) {
		closing := m[3] > m[2]
		id, err := strconv.Atoi(string(source[m[4]:m[5]]))
		if err != nil || id >= len(marks) {
			continue
		}
		if !closing {
			stack = append(stack, id)
			opened[id] = m[1]
			continue
		}
		for len(stack) > 0 {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if top == id {
				break
			}
		}
		if marks[id].Name != "tab" {
			continue
		}
		group := -1
		for j := len(stack) - 1; j >= 0; j-- {
			if marks[stack[j]].Name == "tabs" {
				group = stack[j]
				break
			}
		}
		if group < 0 {
			continue
		}
		spans = append(spans, tabSpan{opened[id], m[0], tabScope{group, tabsSeen[group]}, marks[id].Params["name"]})
		tabsSeen[group]++
	}
	return spans
}

// tabScopes returns the tab scope of each step, from the tab markers
// around its block in the expanded text (the outermost tab).
func (w *walker) tabScopes() []tabScope {
	doc := w.page.Doc
	out := make([]tabScope, len(doc.Steps))
	for i := range out {
		out[i] = tabScope{group: -1}
	}
	for n, ref := range w.page.Blocks {
		if ref.Expected {
			continue
		}
		off := nodeOffset(n)
		for _, sp := range w.tabs.spans {
			if off >= sp.start && off < sp.end {
				for i := ref.Step; i < ref.Step+max(ref.Steps, 1); i++ {
					out[i] = sp.scope
				}
			}
		}
	}
	return out
}

var scMarkerRe = regexp.MustCompile(`<!--docrun-sc:(/?)(\d+)-->`)

// nodeOffset is the offset of a block's first byte in the expanded text.
func nodeOffset(n ast.Node) int {
	if p := n.Pos(); p >= 0 {
		return p
	}
	if n.Lines().Len() > 0 {
		return n.Lines().At(0).Start
	}
	return -1
}

// markerOf returns the id of the shortcode mark an HTML block stands for
// (-1 for none), and whether it is the closing marker.
func (w *walker) markerOf(h *ast.HTMLBlock) (int, bool) {
	m := scMarkerRe.FindSubmatch(bytes.TrimSpace(blockText(h, w.source)))
	if m == nil {
		return -1, false
	}
	id, err := strconv.Atoi(string(m[2]))
	if err != nil || id < 0 || id >= len(w.src.marks) {
		return -1, false
	}
	return id, len(m[1]) > 0
}

// isTabMarker reports whether an HTML block opens or closes a tab or a tab
// set: prose and output never reach across it.
func (w *walker) isTabMarker(h *ast.HTMLBlock) bool {
	id, _ := w.markerOf(h)
	return id >= 0 && (w.src.marks[id].Name == "tab" || w.src.marks[id].Name == "tabs")
}

// tabsMarker reads the prose before a tab set: a sentence that offers a
// choice makes its tabs alternatives.
func (w *walker) tabsMarker(h *ast.HTMLBlock) {
	id, closing := w.markerOf(h)
	if id < 0 || closing || w.src.marks[id].Name != "tabs" {
		return
	}
	set := w.tabs.sets[id]
	if set == nil || set.alternative || len(set.names) < 2 {
		return
	}
	if offersChoice(w.leadIn(h), w.page.Doc.Lang) {
		set.choose()
	}
}

// leadIn is the paragraph that introduces a block: the one right before
// it, or before the list right before it ("There are two modes:", a list
// of them, the tabs).
func (w *walker) leadIn(n ast.Node) []string {
	for prev := n.PreviousSibling(); prev != nil; prev = prev.PreviousSibling() {
		switch p := prev.(type) {
		case *ast.HTMLBlock:
			if isComment(p, w.source) && !w.isTabMarker(p) {
				continue
			}
			return nil
		case *ast.List:
			continue
		case *ast.Paragraph, *ast.TextBlock:
			return sentences(plainText(p, w.source))
		default:
			return nil
		}
	}
	return nil
}

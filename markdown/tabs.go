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
// is in the first tab (the one the reader sees first).
func (f tabScope) sees(u tabScope) bool {
	switch {
	case f.group < 0:
		return true
	case u.group == f.group:
		return u.tab == f.tab
	}
	return f.tab == 0
}

// tabScopes returns the tab scope of each step, from the tab markers
// around its block in the expanded text.
func (w *walker) tabScopes() []tabScope {
	doc := w.page.Doc
	out := make([]tabScope, len(doc.Steps))
	for i := range out {
		out[i] = tabScope{group: -1}
	}
	type span struct {
		start, end int
		scope      tabScope
	}
	var spans []span
	var stack []int // open mark ids
	opened := map[int]int{}
	tabsSeen := map[int]int{} // tabs mark id -> tabs opened in it so far
	for _, m := range scMarkerRe.FindAllSubmatchIndex(w.source, -1) {
		closing := m[3] > m[2]
		id, err := strconv.Atoi(string(w.source[m[4]:m[5]]))
		if err != nil || id >= len(w.page.Marks) {
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
		if w.page.Marks[id].Name != "tab" {
			continue
		}
		group := -1
		for j := len(stack) - 1; j >= 0; j-- {
			if w.page.Marks[stack[j]].Name == "tabs" {
				group = stack[j]
				break
			}
		}
		if group < 0 {
			continue
		}
		spans = append(spans, span{opened[id], m[0], tabScope{group, tabsSeen[group]}})
		tabsSeen[group]++
	}
	for n, ref := range w.page.Blocks {
		if ref.Expected {
			continue
		}
		off := nodeOffset(n)
		for _, sp := range spans {
			if off >= sp.start && off < sp.end {
				out[ref.Step] = sp.scope
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

// markerOf returns the shortcode mark an HTML block stands for, and
// whether it is the closing marker.
func (w *walker) markerOf(h *ast.HTMLBlock) (*Mark, bool) {
	m := scMarkerRe.FindSubmatch(bytes.TrimSpace(blockText(h, w.source)))
	if m == nil {
		return nil, false
	}
	id, err := strconv.Atoi(string(m[2]))
	if err != nil || id < 0 || id >= len(w.src.marks) {
		return nil, false
	}
	return w.src.marks[id], len(m[1]) > 0
}

// isTabMarker reports whether an HTML block opens or closes a tab or a tab
// set: prose and output never reach across it.
func (w *walker) isTabMarker(h *ast.HTMLBlock) bool {
	m, _ := w.markerOf(h)
	return m != nil && (m.Name == "tab" || m.Name == "tabs")
}

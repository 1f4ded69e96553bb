package update

import (
	"bytes"
	"strings"

	"github.com/docrun/docrun/markdown"
)

// lines is a page split into its lines, each with its line end.
type lines struct {
	src   []byte
	start []int // byte offset of each line; one more entry: len(src)
}

func splitLines(src []byte) *lines {
	l := &lines{src: src, start: []int{0}}
	for i, c := range src {
		if c == '\n' {
			l.start = append(l.start, i+1)
		}
	}
	if l.start[len(l.start)-1] != len(src) {
		l.start = append(l.start, len(src))
	}
	return l
}

// count is the number of lines.
func (l *lines) count() int { return len(l.start) - 1 }

// line is 1-based line n with its line end.
func (l *lines) line(n int) []byte { return l.src[l.start[n-1]:l.start[n]] }

// text is lines from to to (inclusive), "" when to < from.
func (l *lines) text(from, to int) string {
	if to < from {
		return ""
	}
	return string(l.src[l.start[from-1]:l.start[to]])
}

// eol is the line end of line n ("\r\n" or "\n"), "\n" when it has none
// or there is no such line.
func (l *lines) eol(n int) string {
	if n < 1 || n > l.count() {
		n = 1
	}
	if l.count() > 0 && bytes.HasSuffix(l.line(n), []byte("\r\n")) {
		return "\r\n"
	}
	return "\n"
}

// holds reports whether the page's lines of sp still read as text, line
// by line with surrounding spaces ignored: the edit is of the block
// docrun parsed.
func (l *lines) holds(sp *markdown.Span, text string) bool {
	if sp.First < 1 || sp.Last > l.count() || sp.Last < sp.First-1 {
		return false
	}
	want := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if text == "" {
		want = nil
	}
	if len(want) != sp.Last-sp.First+1 {
		return false
	}
	for i, w := range want {
		got := strings.TrimPrefix(string(l.line(sp.First+i)), sp.Indent)
		if strings.TrimSpace(got) != strings.TrimSpace(w) {
			return false
		}
	}
	return true
}

// edit replaces lines from to to (inclusive; to = from-1 inserts before
// line from) with text.
type edit struct {
	step     int
	from, to int
	text     string
	added    bool
	lead     int // lines of text before the block's own (a blank line, a fence)
}

// apply makes the edits, sorted by line and not overlapping (an edit that
// overlaps the one before is dropped), and says where each block is now.
func (l *lines) apply(edits []edit) ([]byte, []Change) {
	var out bytes.Buffer
	var changes []Change
	at, shift := 1, 0 // next line of the page to copy; lines added so far
	for _, e := range edits {
		if e.from < at || e.to > l.count() {
			continue
		}
		out.Write(l.src[l.start[at-1]:l.start[e.from-1]])
		first := e.from + shift + e.lead
		out.WriteString(e.text)
		n := strings.Count(e.text, "\n")
		shift += n - (e.to - e.from + 1)
		lines := n - e.lead
		if e.added {
			lines-- // the closing fence
		}
		changes = append(changes, Change{Step: e.step, Line: first, Lines: lines, Added: e.added})
		at = e.to + 1
	}
	out.Write(l.src[l.start[at-1]:])
	return out.Bytes(), changes
}

// indent writes text's lines each after prefix (nothing after it on a
// blank line but the prefix's own marks, "> ") with line end eol.
func indent(text, prefix, eol string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if line == "" {
			b.WriteString(blankLine(prefix))
		} else {
			b.WriteString(prefix + line)
		}
		b.WriteString(eol)
	}
	return b.String()
}

// blankLine is a blank line inside a block with prefix: a block quote's
// ">", else nothing.
func blankLine(prefix string) string {
	return strings.TrimRight(prefix, " \t")
}

package redact

import "sort"

// span is a part of a line to replace: bytes [start, end) become repl.
type span struct {
	start, end int
	repl       string
}

// spans are the parts of one line the rules hide.
type spans []span

func (sp *spans) add(start, end int, repl string) {
	*sp = append(*sp, span{start, end, repl})
}

// merged returns the spans in order without overlaps: a span inside
// another goes, and overlapping ones become one Marker.
func (sp spans) merged() spans {
	if len(sp) < 2 {
		return sp
	}
	sort.Slice(sp, func(i, j int) bool {
		if sp[i].start != sp[j].start {
			return sp[i].start < sp[j].start
		}
		return sp[i].end > sp[j].end
	})
	out := sp[:1]
	for _, s := range sp[1:] {
		last := &out[len(out)-1]
		switch {
		case s.start >= last.end && !(s.start == last.start && s.end == last.end):
			out = append(out, s)
		case s.end > last.end:
			last.end, last.repl = s.end, Marker
		}
	}
	return out
}

package markdown

import (
	"bytes"
	"fmt"
	"sort"
)

// Error is a problem with a page, at a line of the page or of a file it
// includes. Its message reads "file:line: message".
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// fileText is a file read while expanding a page, with its line starts.
type fileText struct {
	data  []byte
	lines []int // byte offset of each line's start
}

func newFileText(data []byte) *fileText {
	lines := make([]int, 1, bytes.Count(data, []byte("\n"))+1)
	ft := &fileText{data: data, lines: lines}
	for i, c := range data {
		if c == '\n' {
			ft.lines = append(ft.lines, i+1)
		}
	}
	return ft
}

// line returns the 1-based line of byte offset off.
func (f *fileText) line(off int) int {
	return sort.Search(len(f.lines), func(i int) bool { return f.lines[i] > off })
}

// segment maps a range of the expanded text back to where it came from.
type segment struct {
	out      int    // start in the expanded text
	file     string // file the text came from
	off      int    // start in that file
	verbatim bool   // copied byte for byte, so offsets inside map linearly
	pageOff  int    // for text from another file: the page offset of the shortcode that brought it in; -1 for the page's own text
}

// source is a page after shortcode expansion: the markdown goldmark parses,
// and what is needed to trace any byte of it back to the page.
type source struct {
	page     string
	text     bytes.Buffer
	segs     []segment
	files    map[string]*fileText
	embeds   map[int]*embed // keyed by the offset of a synthetic fence in text
	marks    []*Mark
	roles    map[int]string // offset of heading text in text -> heading role
	deps     []string       // files read besides the page (includes, examples, i18n)
	warnings []string
}

// embed describes a code block docrun wrote into the expanded text: an
// example file, or the body of a tab/highlight shortcode.
type embed struct {
	file    string // example file name as written in the shortcode
	source  string // path read, for example files and includes
	pageOff int    // page offset of the shortcode
}

// Mark is a block shortcode (note, tabs, tab, feature-state, ...) of the
// page. The expanded text carries it as an HTML comment marker
// (<!--docrun-sc:N--> ... <!--docrun-sc:/N-->) so that the markdown around
// it keeps its structure and a renderer can put the shortcode back.
type Mark struct {
	Name    string
	Params  map[string]string
	Args    []string
	Line    int
	Paired  bool
	Unknown bool
}

// pos maps an offset of the expanded text to the page's 1-based line.
func (s *source) pageLine(off int) int {
	seg := s.seg(off)
	if seg == nil {
		return 1
	}
	p := s.files[s.page]
	if seg.pageOff >= 0 {
		return p.line(seg.pageOff)
	}
	if seg.verbatim {
		return p.line(seg.off + off - seg.out)
	}
	return p.line(seg.off)
}

// fileLine maps an offset of the expanded text to the file it came from and
// that file's 1-based line.
func (s *source) fileLine(off int) (string, int) {
	seg := s.seg(off)
	if seg == nil {
		return s.page, 1
	}
	f := s.files[seg.file]
	if f == nil {
		return seg.file, 0
	}
	if seg.verbatim {
		return seg.file, f.line(seg.off + off - seg.out)
	}
	return seg.file, f.line(seg.off)
}

func (s *source) seg(off int) *segment {
	i := sort.Search(len(s.segs), func(i int) bool { return s.segs[i].out > off }) - 1
	if i < 0 {
		return nil
	}
	return &s.segs[i]
}

// add appends text that came from file at offset off.
func (s *source) add(text []byte, file string, off int, verbatim bool, pageOff int) {
	if len(text) == 0 {
		return
	}
	out := s.text.Len()
	if n := len(s.segs); n > 0 {
		last := &s.segs[n-1]
		if last.out == out {
			s.segs = s.segs[:n-1]
		} else if verbatim && last.verbatim && last.file == file && last.pageOff == pageOff &&
			last.off+(out-last.out) == off {
			s.text.Write(text)
			return
		}
	}
	s.segs = append(s.segs, segment{out: out, file: file, off: off, verbatim: verbatim, pageOff: pageOff})
	s.text.Write(text)
}

// atLineStart reports whether the expanded text's current line holds only
// spaces and tabs so far.
func (s *source) atLineStart() bool {
	b := s.text.Bytes()
	for i := len(b) - 1; i >= 0; i-- {
		switch b[i] {
		case '\n':
			return true
		case ' ', '\t':
		default:
			return false
		}
	}
	return true
}

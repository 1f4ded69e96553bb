package redact

import (
	"io"
	"strings"
	"sync"
)

// MaxLine is the longest line redacted as one: a longer line is redacted
// in pieces of MaxLine bytes (the same pieces however it is written).
const MaxLine = 1 << 20

// MaxHeld bounds the text a Stream holds back while a mapping's lines wait
// for the line that decides them: past it the waiting lines are decided
// as secret (hidden), never shown.
const MaxHeld = 2 << 20

// Stream redacts text that arrives in pieces (a step's output as it is
// produced) and passes it on as soon as its redaction is decided. Its
// output, for any split of the text into writes, is that of String on the
// whole text. It may have several sources (a step's stdout and stderr),
// redacted as one text in the order their writes arrive; source i goes to
// sink i, or to the only sink. Its methods are safe for concurrent use.
type Stream struct {
	mu    sync.Mutex
	r     *Redactor
	sinks []io.Writer
	cur   []byte // the line being written
	tags  []byte // the source of each byte of cur, with several sinks
	st    state
	out   []byte // output for sink outTo, written at the end of a call
	outTo int
}

// NewStream returns a Stream whose output goes to the sinks (nil ones
// discard). With a nil Redactor text passes through unchanged.
func (r *Redactor) NewStream(sinks ...io.Writer) *Stream {
	if len(sinks) == 0 {
		sinks = []io.Writer{nil}
	}
	return &Stream{r: r, sinks: sinks, st: state{r: r}}
}

// Write redacts p, written by source 0.
func (s *Stream) Write(p []byte) (int, error) {
	s.write(0, string(p))
	return len(p), nil
}

// Source returns the writer of source i.
func (s *Stream) Source(i int) io.Writer { return sourceWriter{s, i} }

type sourceWriter struct {
	s   *Stream
	src int
}

func (w sourceWriter) Write(p []byte) (int, error) {
	w.s.write(w.src, string(p))
	return len(p), nil
}

// Flush ends the text: the last line (without a newline) and every line
// held back are redacted and written. The Stream can take a new text
// afterwards.
func (s *Stream) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.r == nil {
		return nil
	}
	if len(s.cur) > 0 {
		s.line()
	}
	s.st.tr.endAll()
	s.st.release(s, true)
	s.st = state{r: s.r}
	s.send()
	return nil
}

func (s *Stream) write(src int, p string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.r == nil {
		s.emit(src, p)
		s.send()
		return
	}
	for len(p) > 0 {
		n, nl := len(p), false
		if j := strings.IndexByte(p, '\n'); j >= 0 {
			n, nl = j+1, true
		}
		if room := MaxLine - len(s.cur); n > room {
			n, nl = room, false
		}
		s.cur = append(s.cur, p[:n]...)
		if len(s.sinks) > 1 {
			for range n {
				s.tags = append(s.tags, byte(src))
			}
		}
		p = p[n:]
		if nl || len(s.cur) >= MaxLine {
			s.line()
		}
	}
	s.send()
}

// line takes the complete line in cur into the text.
func (s *Stream) line() {
	text, tags := stripEscapes(string(s.cur), s.tags)
	s.cur, s.tags = s.cur[:0], s.tags[:0]
	e := &entry{tags: tags, size: len(text)}
	if strings.HasSuffix(text, "\n") {
		text, e.nl = text[:len(text)-1], "\n"
	}
	e.l = parseLine(text)
	s.st.add(s, e)
}

// emit queues text of source src for its sink.
func (s *Stream) emit(src int, text string) {
	if text == "" {
		return
	}
	if src >= len(s.sinks) {
		src = 0
	}
	if src != s.outTo {
		s.send()
		s.outTo = src
	}
	s.out = append(s.out, text...)
}

// send writes the queued output.
func (s *Stream) send() {
	if len(s.out) > 0 && s.sinks[s.outTo] != nil {
		_, _ = s.sinks[s.outTo].Write(s.out)
	}
	s.out = s.out[:0]
}

// state is what a Stream knows of the text so far.
type state struct {
	r    *Redactor
	tr   tracker
	keys keyState
	held []*entry
	size int // bytes held
}

// add takes a line into the text and writes what is decided.
func (st *state) add(s *Stream, e *entry) {
	st.tr.arrive(e)
	st.held = append(st.held, e)
	st.size += e.size
	st.release(s, st.size > MaxHeld)
}

// release writes the held lines whose redaction is decided, in order;
// with force, all of them (what is undecided is decided as secret).
func (st *state) release(s *Stream, force bool) {
	i := 0
	for ; i < len(st.held); i++ {
		e := st.held[i]
		if force {
			e.force()
		} else if !e.decided() {
			break
		}
		st.size -= e.size
		st.write(s, e)
	}
	st.held = append(st.held[:0], st.held[i:]...)
}

// write redacts one line and emits it.
func (st *state) write(s *Stream, e *entry) {
	var sp spans
	if !st.keys.key(e, &sp) {
		st.structured(e, &sp)
		shapes(e.l.text, &sp)
		if m := st.r.matcher(); m != nil {
			m.find(e.l.text, func(i, j int) { sp.add(i, j, Marker) })
		}
	}
	text := e.l.text + e.nl
	sp = sp.merged()
	src := func(i int) int {
		if len(e.tags) == 0 {
			return 0
		}
		return int(e.tags[min(i, len(e.tags)-1)])
	}
	// Runs of one source are emitted together; a span's replacement goes
	// to the source of its first byte, its bytes to none.
	at := 0
	plain := func(end int) {
		for at < end {
			j, t := at+1, src(at)
			for j < end && src(j) == t {
				j++
			}
			s.emit(t, text[at:j])
			at = j
		}
	}
	for _, x := range sp {
		plain(x.start)
		s.emit(src(x.start), x.repl)
		at = x.end
	}
	plain(len(text))
}

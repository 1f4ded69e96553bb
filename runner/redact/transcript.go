package redact

import (
	"io"
	"strings"
	"sync"
)

// Transcript records a step's output as it is produced: its sources
// (stdout and stderr) each as written, and the order of their writes, so
// that the output can be redacted again as one text once more secrets are
// known (at the end of the step). Its writers are safe for concurrent use.
type Transcript struct {
	mu     sync.Mutex
	chunks []chunk
	raw    [2]strings.Builder
}

type chunk struct {
	src  int
	text string
}

// Source returns the writer of source i (0 or 1).
func (t *Transcript) Source(i int) io.Writer { return transcriptWriter{t, i} }

type transcriptWriter struct {
	t   *Transcript
	src int
}

func (w transcriptWriter) Write(p []byte) (int, error) {
	w.t.mu.Lock()
	defer w.t.mu.Unlock()
	w.t.chunks = append(w.t.chunks, chunk{w.src, string(p)})
	w.t.raw[w.src].Write(p)
	return len(p), nil
}

// Raw returns what source i wrote, unredacted.
func (t *Transcript) Raw(i int) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.raw[i].String()
}

// Redact returns what each source wrote, redacted as one text in the
// order of the writes (see Stream).
func (t *Transcript) Redact(r *Redactor) (string, string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if r == nil {
		return t.raw[0].String(), t.raw[1].String()
	}
	var out [2]strings.Builder
	st := r.NewStream(&out[0], &out[1])
	for _, c := range t.chunks {
		st.write(c.src, c.text)
	}
	st.Flush()
	return out[0].String(), out[1].String()
}

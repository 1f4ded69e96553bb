package serve

import (
	"bufio"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// stream is a client of a tab's event stream.
type stream struct {
	resp *http.Response
	mu   sync.Mutex
	evs  []sseEvent
	done bool // the stream ended
}

type sseEvent struct{ name, data string }

// events opens a tab's event stream; it is closed when the test ends.
func (h *harness) events(id string) *stream {
	h.t.Helper()
	req := h.request("GET", "/events?tab="+url.QueryEscape(id), nil, nil)
	resp, err := (&http.Client{}).Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		resp.Body.Close()
		h.t.Fatalf("events: %s %s", resp.Status, resp.Header.Get("Content-Type"))
	}
	s := &stream{resp: resp}
	go s.read()
	h.t.Cleanup(s.close)
	return s
}

func (s *stream) read() {
	sc := bufio.NewScanner(s.resp.Body)
	var ev sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if ev.name != "" {
				s.mu.Lock()
				s.evs = append(s.evs, ev)
				s.mu.Unlock()
			}
			ev = sseEvent{}
		case strings.HasPrefix(line, "event: "):
			ev.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			ev.data = strings.TrimPrefix(line, "data: ")
		}
	}
	s.mu.Lock()
	s.done = true
	s.mu.Unlock()
}

func (s *stream) close() { s.resp.Body.Close() }

// all returns the events received so far.
func (s *stream) all() []sseEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sseEvent(nil), s.evs...)
}

// wait waits for an event named name whose data contains text, at index
// from or after, and returns its index.
func (s *stream) wait(t *testing.T, from int, name, text string) int {
	t.Helper()
	at := -1
	eventually(t, fmt.Sprintf("event %s %q", name, text), func() bool {
		for i, ev := range s.all() {
			if i >= from && ev.name == name && strings.Contains(ev.data, text) {
				at = i
				return true
			}
		}
		return false
	})
	return at
}

// ended reports whether the stream was closed by the server.
func (s *stream) ended() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.done
}

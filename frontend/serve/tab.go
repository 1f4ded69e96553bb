package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/render/html"
	"github.com/docrun/docrun/runner"
	"github.com/docrun/docrun/runner/session"

	"github.com/docrun/docrun/result"
)

// tab is one browser tab showing a page, and its session.
type tab struct {
	s  *Server
	id string
	ps *pageState

	mu      sync.Mutex
	sess    *runner.PageSession // nil until the first run, and once ended
	busy    bool                // a run (or the opening of the session) is going on
	running int                 // position of the step running, or -1
	note    string              // how the last session ended
	last    time.Time           // last request or step end
	streams int                 // event streams open
	goneAt  time.Time           // when the last event stream closed
	subs    map[chan event]struct{}

	reloadMu sync.Mutex // serialises reloads of the session's page
}

// event is one server-sent event.
type event struct {
	name string
	data []byte
}

func newTab(s *Server, ps *pageState) *tab {
	return &tab{s: s, id: randomID(12), ps: ps, running: -1, last: time.Now(), subs: map[chan event]struct{}{}}
}

// touch records a request of the tab.
func (t *tab) touch() {
	t.mu.Lock()
	t.last = time.Now()
	t.mu.Unlock()
}

// session returns the tab's session, or nil.
func (t *tab) session() *runner.PageSession {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.sess
}

// status says what the tab's session is, for the page's header.
func (t *tab) status() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.statusLocked()
}

func (t *tab) statusLocked() string {
	if t.sess == nil {
		s := "no session yet: the first Run starts one (its own shell, namespace and kubeconfig copy)"
		if t.busy {
			s = "starting a session…"
		} else if t.note != "" {
			s = t.note + "; the next Run starts a new one"
		}
		return s
	}
	s := "session"
	if res := t.sess.Result(); res != nil && res.Cluster != nil {
		s += ": namespace " + res.Cluster.Namespace
	}
	if res := t.sess.Result(); t.running >= 0 && res != nil && t.running < len(res.Steps) {
		s += fmt.Sprintf(", running step %d", res.Steps[t.running].Index)
	}
	return s
}

// subscribe opens an event stream of the tab.
func (t *tab) subscribe() chan event {
	ch := make(chan event, 512)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.subs[ch] = struct{}{}
	t.streams++
	t.goneAt = time.Time{}
	t.last = time.Now()
	return ch
}

// unsubscribe closes an event stream; when it was the last one, the time is
// kept: the tab is taken as closed after the grace period.
func (t *tab) unsubscribe(ch chan event) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.subs[ch]; ok {
		delete(t.subs, ch)
		close(ch)
	}
	t.streams--
	if t.streams == 0 {
		t.goneAt = time.Now()
	}
}

// broadcast sends an event to every stream of the tab. A stream too slow
// to keep up is closed (the browser reconnects and reloads what it missed).
func (t *tab) broadcast(name string, v any) {
	data, _ := json.Marshal(v)
	t.mu.Lock()
	defer t.mu.Unlock()
	for ch := range t.subs {
		select {
		case ch <- event{name: name, data: data}:
		default:
			delete(t.subs, ch)
			close(ch)
		}
	}
}

// expired says why the tab's session should end now ("" when it should
// not): "gone" when the tab's event stream has been closed for grace (or
// the tab was never used and is idle), or the idle time.
func (t *tab) expired(now time.Time, idle, grace time.Duration) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case t.streams == 0 && !t.goneAt.IsZero() && now.Sub(t.goneAt) > grace:
		return "gone"
	case t.sess == nil && !t.busy && t.streams == 0 && t.note == "" && now.Sub(t.last) > idle:
		// Never used. A tab whose session ended is kept (it says why on
		// its next view, and its next Run starts a new session) until
		// MaxTabs pushes it out.
		return "gone"
	case t.sess != nil && !t.busy && now.Sub(t.last) > idle:
		return fmt.Sprintf("session ended after %s without use", idle)
	}
	return ""
}

// end ends the tab's session, if it has one, and tells the tab.
func (t *tab) end(why string) {
	t.mu.Lock()
	sess := t.sess
	t.sess = nil
	if sess != nil {
		t.note = why
	}
	t.mu.Unlock()
	if sess == nil {
		return
	}
	sess.Close(context.Background())
	ns := ""
	if res := sess.Result(); res != nil && res.Cluster != nil {
		ns = " (namespace " + res.Cluster.Namespace + " deleted)"
		for _, n := range res.Notes {
			t.s.logf("  %s", n)
		}
	}
	t.s.logf("session of %s ended: %s%s", t.ps.rel, why, ns)
	t.broadcast("session", map[string]string{"text": t.status()})
}

// start marks the tab busy; false when a run is already going on.
func (t *tab) start() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.busy {
		return false
	}
	t.busy = true
	t.last = time.Now()
	return true
}

// open returns the tab's session, opening it when there is none.
func (t *tab) open() (*runner.PageSession, error) {
	if sess := t.session(); sess != nil {
		return sess, nil
	}
	t.broadcast("session", map[string]string{"text": t.status()})
	sess, err := t.s.o.Runner.Open(t.s.ctx, t.ps.path)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	t.sess, t.note = sess, ""
	t.mu.Unlock()
	if t.s.ctx.Err() != nil {
		t.end("the server stopped")
		return nil, fmt.Errorf("the server stopped")
	}
	// The tab may have been forgotten (its event stream gone for the
	// grace period) while the session was opening: nothing would end the
	// session then, not even the server's stop.
	if !t.s.has(t) {
		t.end("the tab was closed")
		return nil, fmt.Errorf("the tab was closed")
	}
	ns := ""
	if res := sess.Result(); res != nil && res.Cluster != nil {
		ns = " in namespace " + res.Cluster.Namespace
	}
	t.s.logf("session of %s started%s", t.ps.rel, ns)
	return sess, nil
}

// endEvent is the data of a step's "end" event.
type endEvent struct {
	Pos      int    `json:"pos"`
	Status   string `json:"status"`
	Verdict  string `json:"verdict,omitempty"`
	Duration string `json:"duration"`
	Exit     int    `json:"exit"`
	Reason   string `json:"reason,omitempty"`
}

// runRequest is what a reader asked to run.
type runRequest struct {
	pos  int               // position of the step
	from bool              // and the steps after it
	code string            // the reader's edit of the step's code, or ""
	set  map[string]string // placeholder values to bind first ("" leaves one alone)
}

// run runs the step at q.pos (its edited code when q.code is set), or
// every step from q.pos on, stopping after one that fails or when the
// shell or the session ends; their output streams to the tab. The tab must
// have been marked busy by start.
func (t *tab) run(q runRequest) {
	pos, from := q.pos, q.from
	defer func() {
		t.mu.Lock()
		t.busy, t.running, t.last = false, -1, time.Now()
		t.mu.Unlock()
		t.broadcast("idle", map[string]string{"text": t.status()})
	}()
	sess, err := t.open()
	if err != nil {
		t.mu.Lock()
		t.note = "the session could not start: " + err.Error()
		t.mu.Unlock()
		t.broadcast("fail", map[string]string{"text": err.Error()})
		return
	}
	t.broadcast("session", map[string]string{"text": t.status()})
	binds := sess.Bindings()
	for name, v := range q.set {
		if b, ok := binds[name]; v != "" && (!ok || b.Value != v) {
			sess.Bind(name, v)
		}
	}
	for i := pos; i < len(sess.Steps()); i++ {
		if sess.Closed() || t.s.ctx.Err() != nil {
			return
		}
		t.mu.Lock()
		t.running = i
		t.mu.Unlock()
		t.broadcast("start", map[string]int{"pos": i})
		out := session.Output{Stdout: &streamWriter{t: t, pos: i, stream: "stdout"},
			Stderr: &streamWriter{t: t, pos: i, stream: "stderr"}}
		code := ""
		if i == pos {
			code = q.code
		}
		st, err := sess.RunLive(i, code, out)
		if err != nil {
			t.broadcast("fail", map[string]string{"text": err.Error()})
			return
		}
		t.broadcast("end", endEvent{Pos: i, Status: string(st.Status), Verdict: string(st.Verdict),
			Duration: html.FormatDuration(st.DurationMS), Exit: st.ExitCode, Reason: st.SkipReason})
		if !from || st.Status == result.Failed || st.Status == result.Timeout || sess.Ended() {
			return
		}
	}
}

// streamWriter sends what a step writes to one of its streams as output
// events.
type streamWriter struct {
	t      *tab
	pos    int
	stream string
}

func (w *streamWriter) Write(p []byte) (int, error) {
	w.t.broadcast("output", map[string]any{"pos": w.pos, "stream": w.stream, "text": string(p)})
	return len(p), nil
}

// pageChanged takes a new parse of the page (or its error) into the tab's
// session and tells the browser to reload.
func (t *tab) pageChanged(page *markdown.Page, err error) {
	sess := t.session()
	if sess == nil || err != nil {
		t.broadcast("reload", struct{}{})
		return
	}
	// As in run: no Add once stop may be waiting for the group.
	t.s.mu.Lock()
	if t.s.closed {
		t.s.mu.Unlock()
		return
	}
	t.s.wg.Add(1)
	t.s.mu.Unlock()
	go func() {
		defer t.s.wg.Done()
		t.reloadMu.Lock()
		defer t.reloadMu.Unlock()
		// The latest parse, which may be newer than page by now.
		if latest, err := t.ps.get(t.s); err == nil && latest != nil {
			page = latest
		}
		if sess.Page() != page {
			sess.Reload(page)
		}
		t.broadcast("reload", struct{}{})
	}()
}

// done undoes start when the run could not begin.
func (t *tab) done() {
	t.mu.Lock()
	t.busy = false
	t.mu.Unlock()
}

func (t *tab) isBusy() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.busy
}

func (t *tab) lastUse() time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.last
}

// planned are the tab's steps: its session's, or the page's as a session
// would have them.
func (t *tab) planned() []*result.StepResult {
	if sess := t.session(); sess != nil {
		return sess.Steps()
	}
	page, _ := t.ps.get(t.s)
	if page == nil {
		return nil
	}
	return t.s.o.Runner.Plan(t.ps.path, page).Steps
}

// steps is how many steps the tab's page has.
func (t *tab) steps() int { return len(t.planned()) }

// anchor is the HTML id of the step at pos in the page view.
func (t *tab) anchor(pos int) string {
	steps := t.planned()
	if pos < 0 || pos >= len(steps) {
		return ""
	}
	return html.StepID(steps[pos].Index)
}

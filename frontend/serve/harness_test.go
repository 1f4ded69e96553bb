package serve

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	stdhtml "html"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docrun/docrun/runner"
)

// The tests run a real server on a loopback port with a Runner without a
// cluster: each session is a real bash in a temporary folder.

const token = "t0k"

// helloPage is the page most tests serve. Its steps, by position: 0 prints
// the session's marker and folder, 1 exports X, 2 prints it, 3 fails, 4
// runs after it.
const helloRel = "content/en/docs/hello.md"

const helloPage = "---\ntitle: Hello page\n---\n\n# Hello\n\nSome text.\n\n" +
	"```shell\necho \"marker=$DOCRUN_SESSION dir=$PWD\"\n```\n\n" +
	"```shell\nexport X=1\n```\n\n" +
	"```shell\necho \"x=$X\"\n```\n\n" +
	"```shell\nfalse\n```\n\n" +
	"```shell\necho after\n```\n"

// harness is a running server and a client for it.
type harness struct {
	t      *testing.T
	srv    *Server
	root   string
	base   string // http://host:port
	host   string
	client *http.Client
	cancel context.CancelFunc
	done   chan error
	log    *syncBuffer
	tmp    string // TMPDIR of the sessions

	mu       sync.Mutex
	sessions []sessionInfo // sessions seen, checked at the end
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// writeFile writes a file under dir, making its folders.
func writeFile(t *testing.T, dir, rel, data string) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// newSite makes a site with the hello page and returns its root.
func newSite(t *testing.T, extra map[string]string) string {
	root := t.TempDir()
	writeFile(t, root, helloRel, helloPage)
	for rel, data := range extra {
		writeFile(t, root, rel, data)
	}
	return root
}

// start serves pages (relative to root) with o's timeouts, and o's Runner
// if it has one (a Runner without a cluster otherwise).
func start(t *testing.T, root string, pages []string, o Options) *harness {
	t.Helper()
	for i, p := range pages {
		pages[i] = filepath.Join(root, filepath.FromSlash(p))
	}
	h := &harness{t: t, root: root, log: &syncBuffer{}, done: make(chan error, 1)}
	// The sessions' folders go here, to check none is left.
	h.tmp = t.TempDir()
	t.Setenv("TMPDIR", h.tmp)
	o.Root, o.Pages, o.Token, o.Log = root, pages, token, h.log
	if o.Runner == nil {
		o.Runner = &runner.Runner{Opts: runner.Options{Only: -1, From: -1, To: -1, StepTimeout: 60 * time.Second}}
	}
	srv, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	h.srv = srv
	u, err := url.Parse(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	if u.Query().Get("token") != token {
		t.Errorf("URL %s does not carry the token", srv.URL())
	}
	h.host = u.Host
	h.base = "http://" + u.Host
	h.client = &http.Client{Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	go func() { h.done <- srv.Serve(ctx) }()
	t.Cleanup(h.stop)
	return h
}

// stop stops the server (once) and checks every session seen is gone.
func (h *harness) stop() {
	t := h.t
	h.cancel()
	select {
	case err, ok := <-h.done:
		if ok && err != nil {
			t.Errorf("Serve: %v", err)
		}
		if ok {
			close(h.done)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("Serve did not return 20s after its context ended")
	}
	h.srv.mu.Lock()
	tabs := make([]*tab, 0, len(h.srv.tabs))
	for _, tb := range h.srv.tabs {
		tabs = append(tabs, tb)
	}
	h.srv.mu.Unlock()
	for _, tb := range tabs {
		if tb.session() != nil {
			t.Errorf("tab %s still has a session after Serve returned", tb.id)
		}
	}
	h.mu.Lock()
	seen := h.sessions
	h.mu.Unlock()
	for _, s := range seen {
		s.checkGone(t)
	}
	if left, _ := filepath.Glob(filepath.Join(h.tmp, "docrun-page-*")); len(left) > 0 {
		t.Errorf("session folders left after Serve returned: %v", left)
	}
}

// sessionInfo identifies a session by what step 0 of the hello page
// prints: its marker and its working folder.
type sessionInfo struct{ marker, dir string }

var sessionRe = regexp.MustCompile(`marker=([0-9a-f]+) dir=([^<\s]+)`)

// session returns the session step 0 shows in a page, and remembers it
// to check it is gone when the test ends.
func (h *harness) session(html string) sessionInfo {
	h.t.Helper()
	m := sessionRe.FindStringSubmatch(html)
	if m == nil {
		h.t.Fatalf("no session marker in the page:\n%s", html)
	}
	s := sessionInfo{marker: m[1], dir: m[2]}
	h.mu.Lock()
	h.sessions = append(h.sessions, s)
	h.mu.Unlock()
	return s
}

// alive reports the processes of the session and whether its folder is
// still there.
func (s sessionInfo) alive() (pids []int, dir bool) {
	ents, _ := os.ReadDir("/proc")
	want := []byte("DOCRUN_SESSION=" + s.marker + "\x00")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		env, err := os.ReadFile("/proc/" + e.Name() + "/environ")
		if err == nil && bytes.Contains(append([]byte{0}, env...), append([]byte{0}, want...)) {
			pids = append(pids, pid)
		}
	}
	_, err := os.Stat(s.dir)
	return pids, err == nil
}

// checkGone checks the session's processes and folder are gone.
func (s sessionInfo) checkGone(t *testing.T) {
	t.Helper()
	if pids, dir := s.alive(); len(pids) > 0 || dir {
		t.Errorf("session %s left processes %v (folder %s there: %v)", s.marker, pids, s.dir, dir)
	}
}

// waitGone waits until the session's processes and folder are gone.
func (s sessionInfo) waitGone(t *testing.T) {
	t.Helper()
	eventually(t, "session "+s.marker+" to end", func() bool {
		pids, dir := s.alive()
		return len(pids) == 0 && !dir
	})
}

// eventually polls cond until it holds, failing the test after 10s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// cookie is the token's cookie.
func (h *harness) cookie() *http.Cookie {
	return &http.Cookie{Name: h.srv.cookieName(), Value: token}
}

// request makes a request with the token's cookie; body, when set, is a
// form.
func (h *harness) request(method, path string, form url.Values, hdr map[string]string) *http.Request {
	h.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, h.base+path, body)
	if err != nil {
		h.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.AddCookie(h.cookie())
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
		} else {
			req.Header.Set(k, v)
		}
	}
	return req
}

// send sends a request and returns the response with its body read.
func (h *harness) send(req *http.Request) (*http.Response, string) {
	h.t.Helper()
	resp, err := h.client.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return resp, string(b)
}

func (h *harness) do(method, path string, form url.Values, hdr map[string]string) (*http.Response, string) {
	h.t.Helper()
	return h.send(h.request(method, path, form, hdr))
}

// get is a GET that wants status want.
func (h *harness) get(path string, want int) (*http.Response, string) {
	h.t.Helper()
	resp, body := h.do("GET", path, nil, nil)
	if resp.StatusCode != want {
		h.t.Fatalf("GET %s: %s, want %d: %s", path, resp.Status, want, body)
	}
	return resp, body
}

// raw sends a request line as written (no cleaning of the path) and
// returns the status.
func (h *harness) raw(method, target string) int {
	h.t.Helper()
	c, err := net.Dial("tcp", h.host)
	if err != nil {
		h.t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	fmt.Fprintf(c, "%s %s HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\nConnection: close\r\n\r\n", method, target, h.host, h.cookie().String())
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, target, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// openTab opens a page without a tab and returns the tab's id.
func (h *harness) openTab(rel string) string {
	h.t.Helper()
	resp, _ := h.get(pageURL(rel, ""), http.StatusSeeOther)
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		h.t.Fatal(err)
	}
	id := loc.Query().Get("tab")
	if loc.Path != "/page/"+rel || id == "" {
		h.t.Fatalf("redirect to %s, want /page/%s?tab=ID", loc, rel)
	}
	return id
}

// view returns a tab's page.
func (h *harness) view(rel, id string) string {
	h.t.Helper()
	_, body := h.get(pageURL(rel, id), http.StatusOK)
	return body
}

// tab returns the server's tab, or nil.
func (h *harness) tab(id string) *tab {
	h.srv.mu.Lock()
	defer h.srv.mu.Unlock()
	return h.srv.tabs[id]
}

// run posts a plain form (no script) and wants the redirect back to the
// step; it returns the page then.
func (h *harness) run(rel, id string, pos int, do string) string {
	h.t.Helper()
	resp, body := h.do("POST", "/run", url.Values{"tab": {id}, "step": {strconv.Itoa(pos)}, "do": {do}}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		h.t.Fatalf("run step %d: %s: %s", pos, resp.Status, body)
	}
	loc := resp.Header.Get("Location")
	if want := pageURL(rel, id) + "#step:"; !strings.HasPrefix(loc, want) {
		h.t.Fatalf("run redirects to %q, want %s…", loc, want)
	}
	return h.view(rel, id)
}

// step is a step's section in a page.
type step struct {
	class string
	pos   int
	html  string
}

var sectionRe = regexp.MustCompile(`(?s)<section class="([^"]*)" id="step:\d+"(?: data-pos="(\d+)")?>(.*?)</section>`)

// steps returns the steps of a page by position.
func steps(t *testing.T, page string) []step {
	t.Helper()
	var out []step
	for _, m := range sectionRe.FindAllStringSubmatch(page, -1) {
		pos := -1
		if m[2] != "" {
			pos, _ = strconv.Atoi(m[2])
		}
		out = append(out, step{class: m[1], pos: pos, html: m[3]})
	}
	return out
}

// status is the status class of a step: passed, failed, notrun…
func (s step) status() string {
	for _, c := range strings.Fields(s.class) {
		if rest, ok := strings.CutPrefix(c, "s-"); ok {
			return rest
		}
	}
	return ""
}

func (s step) has(class string) bool {
	for _, c := range strings.Fields(s.class) {
		if c == class {
			return true
		}
	}
	return false
}

// stdout is the step's shown standard output.
func (s step) stdout() string {
	_, rest, ok := strings.Cut(s.html, `<div class="out stdout"><div class="label">stdout</div><pre>`)
	if !ok {
		return ""
	}
	out, _, _ := strings.Cut(rest, "</pre>")
	return out
}

// wantStatuses checks the statuses of a page's steps.
func wantStatuses(t *testing.T, page string, want ...string) []step {
	t.Helper()
	st := steps(t, page)
	var got []string
	for _, s := range st {
		got = append(got, s.status())
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("statuses %v, want %v", got, want)
	}
	return st
}

var sessionLineRe = regexp.MustCompile(`<span id="docrun-session">([^<]*)</span>`)

// sessionLine is what the page says about its session.
func sessionLine(t *testing.T, page string) string {
	t.Helper()
	m := sessionLineRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no session line in the page:\n%s", page)
	}
	return m[1]
}

var tagRe = regexp.MustCompile(`<[^>]*>`)

// text is the step's HTML as text: tags removed, entities unescaped.
func (s step) text() string {
	return stdhtml.UnescapeString(tagRe.ReplaceAllString(s.html, ""))
}

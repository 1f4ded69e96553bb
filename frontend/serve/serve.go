// Package serve is docrun serve: a local web playground where a reader
// runs the steps of documentation pages from the browser.
//
// Pages are rendered on the server like the static report (render/html)
// with a Run and a "Run from here" button on each step; one small script
// streams a running step's output over server-sent events and reloads the
// page when its file changes. Without the script the buttons are plain
// form posts and still work.
//
// Each browser tab has its own runner.PageSession (bash, namespace,
// kubeconfig copy), opened at its first run and ended on Reset, after an
// idle timeout, when the tab's event stream has been gone for a while (the
// tab was closed), and always when the server stops.
//
// Since it runs commands against a cluster, every request needs the token
// printed at start (kept in an HttpOnly, SameSite=Strict cookie after the
// first), the Host header must name the server (no DNS rebinding), every
// request that changes state is a POST from the same origin, and only the
// pages given are served.
package serve

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/docrun/docrun/frontend/watch"
	"github.com/docrun/docrun/runner"
)

// Defaults of Options.
const (
	DefaultAddr        = "127.0.0.1:0"
	DefaultIdleTimeout = 30 * time.Minute
	DefaultGrace       = 15 * time.Second
	// MaxTabs bounds the tabs the server keeps at once.
	MaxTabs = 64
)

// Options configure a server.
type Options struct {
	// Root is the folder whose pages are served; Pages are the pages
	// (paths under Root).
	Root  string
	Pages []string
	// Addr is the address to listen on (DefaultAddr when empty).
	Addr string
	// Runner opens the tabs' sessions; it is shared by them. Its Events
	// should be nil: each tab streams its steps itself (RunLive).
	Runner *runner.Runner
	// Generator names docrun and its version on the pages.
	Generator string
	// IdleTimeout ends a session no request has touched for that long;
	// Grace a session whose tab's event stream has been closed that long.
	IdleTimeout, Grace time.Duration
	// Token is the secret every request needs; a random one when empty.
	Token string
	// Log receives a line when a session starts or ends, and watcher
	// errors; nil discards them.
	Log io.Writer
}

// Server is a running docrun serve.
type Server struct {
	o     Options
	root  string
	token string
	ln    net.Listener
	http  *http.Server
	url   string
	hosts map[string]bool // Host header values accepted

	ctx    context.Context // ends when the server stops
	cancel context.CancelFunc
	files  *watch.Files

	mu     sync.Mutex
	pages  map[string]*pageState // by relative path (slashes)
	order  []string              // relative paths, sorted
	tabs   map[string]*tab
	logMu  sync.Mutex
	closed bool
	wg     sync.WaitGroup // runs, reloads and ends of sessions going on
}

// New checks the options, listens on Addr and returns the server, not yet
// serving.
func New(o Options) (*Server, error) {
	if o.Runner == nil {
		return nil, errors.New("serve: no runner")
	}
	if o.Runner.Executors == nil {
		o.Runner.Executors = runner.NewRegistry()
	}
	if o.Addr == "" {
		o.Addr = DefaultAddr
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.Grace <= 0 {
		o.Grace = DefaultGrace
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	root, err := filepath.Abs(o.Root)
	if err != nil {
		return nil, err
	}
	if r, err := filepath.EvalSymlinks(root); err == nil {
		root = r
	}
	s := &Server{o: o, root: root, token: o.Token, pages: map[string]*pageState{}, tabs: map[string]*tab{}}
	if s.token == "" {
		s.token = randomID(16)
	}
	for _, p := range o.Pages {
		rel, err := s.relPath(p)
		if err != nil {
			return nil, err
		}
		if _, dup := s.pages[rel]; !dup {
			path := filepath.Join(root, filepath.FromSlash(rel))
			s.pages[rel] = &pageState{rel: rel, path: path, site: o.Runner.ParseOptions(path).Site}
			s.order = append(s.order, rel)
		}
	}
	if len(s.order) == 0 {
		return nil, fmt.Errorf("%s: no pages (.md files) to serve", o.Root)
	}
	sort.Strings(s.order)
	if s.files, err = watch.NewFiles(0, o.Log); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		s.files.Close()
		return nil, fmt.Errorf("listen on %s: %w", o.Addr, err)
	}
	s.ln = ln
	s.hosts = allowedHosts(ln.Addr().(*net.TCPAddr), o.Addr)
	host := ln.Addr().String()
	if tcp := ln.Addr().(*net.TCPAddr); tcp.IP.IsUnspecified() {
		host = net.JoinHostPort("127.0.0.1", fmt.Sprint(tcp.Port))
	}
	s.url = "http://" + host + "/?token=" + url.QueryEscape(s.token)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.http = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return s.ctx }}
	return s, nil
}

// relPath is a page's path relative to the root, with slashes; an error
// when the page is not under the root.
func (s *Server) relPath(p string) (string, error) {
	a, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	if r, err := filepath.EvalSymlinks(a); err == nil {
		a = r
	}
	rel, err := filepath.Rel(s.root, a)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s: not under %s", p, s.o.Root)
	}
	return filepath.ToSlash(rel), nil
}

// URL is the address to open, with the token.
func (s *Server) URL() string { return s.url }

// Loopback reports whether the server listens on a loopback address only.
func (s *Server) Loopback() bool {
	return s.ln.Addr().(*net.TCPAddr).IP.IsLoopback()
}

// Serve serves until ctx is done, then stops: it closes the connections
// and ends every session (processes and namespaces), and returns.
func (s *Server) Serve(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(s.ln) }()
	go s.files.Run(s.ctx, s.changed)
	go s.janitor()
	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	s.stop()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// stop closes the listener and the event streams, then every session.
func (s *Server) stop() {
	s.mu.Lock()
	s.closed = true
	tabs := make([]*tab, 0, len(s.tabs))
	for _, t := range s.tabs {
		tabs = append(tabs, t)
	}
	s.mu.Unlock()
	n := 0
	for _, t := range tabs {
		if t.session() != nil {
			n++
		}
	}
	if n > 0 {
		s.logf("stopping: ending %d %s (processes and namespaces)", n, plural(n, "session", "sessions"))
	}
	s.cancel()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	s.http.Shutdown(sctx)
	cancel()
	s.files.Close()
	var wg sync.WaitGroup
	for _, t := range tabs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.end("the server stopped")
		}()
	}
	wg.Wait()
	// A run that was opening its session ends it itself (the context is
	// done); wait for it.
	s.wg.Wait()
}

// logf writes a line to the log.
func (s *Server) logf(format string, args ...any) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.o.Log, format+"\n", args...)
}

// janitor ends idle sessions and forgets closed tabs.
func (s *Server) janitor() {
	every := min(s.o.Grace/3, 5*time.Second)
	tick := time.NewTicker(max(every, 50*time.Millisecond))
	defer tick.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case now := <-tick.C:
			s.sweep(now)
		}
	}
}

// sweep ends the sessions of tabs idle for IdleTimeout or whose event
// stream has been gone for Grace, and forgets tabs without a session that
// nobody used for IdleTimeout.
func (s *Server) sweep(now time.Time) {
	s.mu.Lock()
	tabs := make([]*tab, 0, len(s.tabs))
	for _, t := range s.tabs {
		tabs = append(tabs, t)
	}
	s.mu.Unlock()
	for _, t := range tabs {
		switch why := t.expired(now, s.o.IdleTimeout, s.o.Grace); why {
		case "":
		case "gone":
			s.endLater(t, "the tab was closed", true)
		default:
			s.endLater(t, why, false)
		}
	}
}

// endLater ends a tab's session in the background, forgetting the tab
// first when forget is set. stop waits for it; once the server is
// stopping it does nothing, since stop ends the session of every tab the
// server still knows, and this one is among them.
func (s *Server) endLater(t *tab, why string, forget bool) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	if forget {
		delete(s.tabs, t.id)
	}
	s.wg.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.wg.Done()
		t.end(why)
	}()
}

// forget removes a tab from the server.
func (s *Server) forget(t *tab) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tabs, t.id)
}

// has reports whether the server knows the tab (it was not forgotten).
func (s *Server) has(t *tab) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tabs[t.id] == t
}

// randomID is n random bytes in hex.
func randomID(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/docrun/docrun/runner/clustertest"
)

// served is a docrun serve process started by a test.
type served struct {
	id   string // DOCRUN_TEST_ID of the process, which its sessions inherit
	cmd  *exec.Cmd
	url  string // with the token
	base string // scheme and host
	mu   sync.Mutex
	log  bytes.Buffer // stderr
	done chan error
}

func (s *served) stderr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.String()
}

// stop sends SIGTERM and waits for the exit.
func (s *served) stop(t *testing.T) error {
	t.Helper()
	select {
	case err := <-s.done:
		s.done <- err
		return err
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		s.done <- err
		return err
	case <-time.After(3 * time.Minute):
		s.cmd.Process.Kill()
		t.Fatalf("docrun serve did not stop within 3 minutes of SIGTERM\n%s", s.stderr())
	}
	return nil
}

// serveDocrun starts docrun serve on the test's cluster and waits for the
// URL it prints.
func serveDocrun(t *testing.T, env *clustertest.Env, args ...string) *served {
	t.Helper()
	cmd := exec.Command(docrunBinary(t), append([]string{"serve", "--kubeconfig", env.Kubeconfig}, args...)...)
	id := strconv.FormatInt(time.Now().UnixNano(), 36)
	cmd.Env = append(os.Environ(), "PATH="+env.Bin+string(os.PathListSeparator)+os.Getenv("PATH"), "DOCRUN_TEST_ID="+id)
	s := &served{id: id, cmd: cmd, done: make(chan error, 1)}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = writerFunc(func(p []byte) (int, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.log.Write(p)
	})
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if u := strings.TrimSpace(sc.Text()); strings.HasPrefix(u, "http://") {
				urls <- u
			}
		}
		io.Copy(io.Discard, out)
	}()
	go func() { s.done <- cmd.Wait() }()
	t.Cleanup(func() { s.stop(t) })
	select {
	case s.url = <-urls:
	case err := <-s.done:
		t.Fatalf("docrun serve exited: %v\n%s", err, s.stderr())
	case <-time.After(time.Minute):
		t.Fatalf("docrun serve printed no URL\n%s", s.stderr())
	}
	u, _ := url.Parse(s.url)
	s.base = u.Scheme + "://" + u.Host
	return s
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// client is an HTTP client holding the token's cookie, not following
// redirects.
func (s *served) client(t *testing.T) *http.Client {
	t.Helper()
	c := &http.Client{Timeout: 3 * time.Minute, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(s.url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cookies := resp.Cookies()
	if resp.StatusCode != http.StatusSeeOther || len(cookies) != 1 {
		t.Fatalf("GET with the token: %s, %d cookies", resp.Status, len(cookies))
	}
	c.Transport = cookieTransport{cookies[0]}
	return c
}

type cookieTransport struct{ c *http.Cookie }

func (ct cookieTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.AddCookie(ct.c)
	return http.DefaultTransport.RoundTrip(r)
}

// copyCorpus copies the corpus (pages, includes, i18n) to a temporary
// folder, so that a test may edit a page.
func copyCorpus(t *testing.T) string {
	t.Helper()
	src := filepath.Dir(filepath.Dir(filepath.Dir(filepath.Dir(filepath.Dir(filepath.Dir(corpusPage(t, "content/ja/docs/tasks/administer-cluster/access-cluster-api.md")))))))
	dst := filepath.Join(t.TempDir(), "corpus")
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestServeInChromium runs the reference page from the browser: the index,
// Run on the config view step, then the proxy and curl steps, an edit of
// the page that marks a step stale; and the security checks.
func TestServeInChromium(t *testing.T) {
	env := clustertest.Require(t)
	chromium(t)
	before, err := os.ReadFile(env.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	corpus := copyCorpus(t)
	dir := filepath.Join(corpus, "content", "ja", "docs", "tasks", "administer-cluster")
	page := filepath.Join(dir, "access-cluster-api.md")
	srv := serveDocrun(t, env, "--offline", dir)
	ctx, v := browser(t)
	// run does what a reader does: go to a URL or click on an element, and
	// waits until a selector matches a visible element.
	run := func(what, navigate, click, wait string) {
		t.Helper()
		if navigate != "" {
			tctx, cancel := context.WithTimeout(ctx, time.Minute)
			err := chromedp.Do(tctx, chromedp.Navigate(navigate))
			cancel()
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		}
		if click != "" {
			if !eval[bool](t, ctx, `(() => { const e = document.querySelector(`+jsString(click)+`); if (!e) return false; e.click(); return true })()`) {
				t.Fatalf("%s: nothing to click at %s", what, click)
			}
		}
		visible := `(() => { const e = document.querySelector(` + jsString(wait) + `); if (!e) return false; const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 })()`
		deadline := time.Now().Add(2 * time.Minute)
		for !eval[bool](t, ctx, visible) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: no visible %s after 2 minutes\npage:\n%s\nserver log:\n%s", what, wait,
					eval[string](t, ctx, `document.body ? document.body.innerText.slice(0, 3000) : ""`), srv.stderr())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	run("open the index", srv.url, "", `table.pages`)
	if u := eval[string](t, ctx, `location.href`); strings.Contains(u, "token") {
		t.Errorf("the token stays in the address bar: %s", u)
	}
	rows := eval[[]string](t, ctx, `[...document.querySelectorAll("table.pages tbody tr")].map(r => r.innerText)`)
	if len(rows) != 3 {
		t.Errorf("index rows %q, want the 3 pages of the folder", rows)
	}
	run("open the reference page", "", `a[href$="access-cluster-api.md"]`, `section.step form.run`)
	if s := eval[string](t, ctx, `document.getElementById("docrun-session").textContent`); !strings.Contains(s, "no session yet") {
		t.Errorf("session line %q before the first run", s)
	}

	// pos finds the step whose code starts with prefix.
	pos := func(prefix string) string {
		t.Helper()
		p := eval[string](t, ctx, `(() => { const s = [...document.querySelectorAll("section.step[data-pos]")].find(s => s.querySelector("pre code").textContent.startsWith(`+jsString(prefix)+`)); return s ? s.dataset.pos : "" })()`)
		if p == "" {
			t.Fatalf("no step starting with %q", prefix)
		}
		return p
	}
	runStep := func(prefix string) string {
		t.Helper()
		p := pos(prefix)
		sel := `section.step[data-pos="` + p + `"]`
		run("run "+prefix, "", sel+` button[value=run]`, sel+`:is(.s-passed, .s-failed, .s-timeout, .s-skipped)`)
		if st := eval[string](t, ctx, `document.querySelector(`+jsString(sel+` .step-head .badge`)+`).textContent`); st != "passed" {
			t.Errorf("%s: status %q\n%s", prefix, st, eval[string](t, ctx, `document.querySelector(`+jsString(sel)+`).innerText`))
		}
		return sel
	}

	// The script runs the steps in place: the page is not left (a plain
	// form post would load it again and lose this mark).
	eval[bool](t, ctx, `window.docrunTestMark = true`)
	view := runStep("kubectl config view\n")
	out := eval[string](t, ctx, `document.querySelector(`+jsString(view+` .out.stdout pre`)+`).textContent`)
	if !strings.Contains(out, "current-context:") || !strings.Contains(out, "clusters:") {
		t.Errorf("config view output:\n%s", out)
	}
	if meta := eval[string](t, ctx, `document.querySelector(`+jsString(view+` .meta`)+`).textContent`); !regexp.MustCompile(`\d+\.\d\d s · exit 0`).MatchString(meta) {
		t.Errorf("config view meta %q, want the duration and exit code", meta)
	}
	if s := eval[string](t, ctx, `document.getElementById("docrun-session").textContent`); !strings.Contains(s, "namespace docrun-") {
		t.Errorf("session line %q after a run", s)
	}
	runStep("kubectl proxy --port=8080 &")
	curl := runStep("curl http://localhost:8080/api/")
	out = eval[string](t, ctx, `document.querySelector(`+jsString(curl+` .out.stdout pre`)+`).textContent`)
	if !strings.Contains(out, `"kind": "APIVersions"`) {
		t.Errorf("curl output:\n%s", out)
	}
	if !eval[bool](t, ctx, `window.docrunTestMark === true`) {
		t.Errorf("the page was loaded again: the steps ran by plain form posts, not through the script")
	}
	if verdict := eval[string](t, ctx, `(document.querySelector(`+jsString(curl+` .verdict-note .badge`)+`) || {}).textContent || ""`); verdict != "similar" && verdict != "match" {
		t.Errorf("curl verdict %q", verdict)
	}

	if shot := os.Getenv("DOCRUN_SERVE_SCREENSHOT"); shot != "" {
		// The README's picture: the top of the page, with the session and the first step run.
		eval[bool](t, ctx, `(window.scrollTo(0, 0), true)`)
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 1500)); err != nil {
			t.Fatal(err)
		}
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(shot, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// Edit the config view step: the page reloads with it stale, the
	// others keep their outcome.
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	edited := bytes.Replace(data, []byte("\nkubectl config view\n"), []byte("\nkubectl config view --minify\n"), 1)
	if bytes.Equal(edited, data) {
		t.Fatal("the page has no `kubectl config view` line")
	}
	if err := os.WriteFile(page, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	run("see the edited step stale", "", "", view+`.stale`)
	if st := eval[string](t, ctx, `document.querySelector(`+jsString(curl+` .step-head .badge`)+`).textContent`); st != "passed" {
		t.Errorf("the unchanged curl step shows %q after the edit, want passed", st)
	}
	if code := eval[string](t, ctx, `document.querySelector(`+jsString(view+` pre code`)+`).textContent`); !strings.Contains(code, "--minify") {
		t.Errorf("the reloaded page shows %q", code)
	}
	// Edit the stale step in the page and run the edit.
	eval[bool](t, ctx, `(() => { const s = document.querySelector(`+jsString(view)+`); s.querySelector("details.edit").open = true; s.querySelector("textarea").value = "echo edited in the browser"; return true })()`)
	run("run an edit", "", "", view+` details.edit[open] textarea`)
	run("run an edit", "", view+` button[value=edited]`, view+`.s-passed .out.stdout`)
	if out := eval[string](t, ctx, `document.querySelector(`+jsString(view+` .out.stdout pre`)+`).textContent`); out != "edited in the browser" {
		t.Errorf("the edited step printed %q", out)
	}
	v.mu.Lock()
	for _, c := range v.console {
		t.Errorf("console: %s", c)
	}
	for _, r := range v.requests {
		if !strings.HasPrefix(r, srv.base+"/") {
			t.Errorf("request outside the server: %s", r)
		}
	}
	v.mu.Unlock()

	// Security, from outside the browser.
	plain := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, p := range []string{"/", "/page/access-cluster-api.md", "/static/docrun.js"} {
		resp, err := plain.Get(srv.base + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s without the token: %s, want 403", p, resp.Status)
		}
	}
	c := srv.client(t)
	req, _ := http.NewRequest(http.MethodPost, srv.base+"/run", strings.NewReader("tab=x&step=0&do=run"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://evil.example")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin POST: %s, want 403", resp.Status)
	}
	cookie := c.Transport.(cookieTransport).c
	for _, p := range []string{"/page/../../../../etc/passwd", "/page/%2e%2e/%2e%2e/etc/passwd", "/../docrun.yaml", "/page/..%2f..%2fetc%2fpasswd"} {
		if got := rawGet(t, srv.base, p, cookie); got != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, got)
		}
	}

	if err := srv.stop(t); err != nil && !strings.Contains(err.Error(), "exit status 130") {
		t.Errorf("docrun serve: %v\n%s", err, srv.stderr())
	}
	if !strings.Contains(srv.stderr(), "ended: the server stopped (namespace docrun-") {
		t.Errorf("the session's end is not in the log:\n%s", srv.stderr())
	}
	checkClean(t, env, before)
	checkNoSessionProcess(t, srv)
}

// rawGet sends a GET with the path exactly as given (no cleaning by the
// client) and returns the status code.
func rawGet(t *testing.T, base, path string, c *http.Cookie) int {
	t.Helper()
	u, _ := url.Parse(base)
	conn, err := net.DialTimeout("tcp", u.Host, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nCookie: %s=%s\r\nConnection: close\r\n\r\n", path, u.Host, c.Name, c.Value)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// checkNoSessionProcess checks that no process of the test's docrun serve
// is left: its sessions' processes inherit its DOCRUN_TEST_ID (sessions of
// other test packages running at the same time do not).
func checkNoSessionProcess(t *testing.T, srv *served) {
	t.Helper()
	for _, p := range processesWith("DOCRUN_TEST_ID=" + srv.id + "\x00") {
		t.Errorf("process %d of a docrun session left: %s", p.pid, p.cmdline)
	}
}

// TestServeShutdown stops docrun serve with SIGTERM while two tabs have a
// session, one of them running a step: no process and no namespace is
// left.
func TestServeShutdown(t *testing.T) {
	env := clustertest.Require(t)
	before, err := os.ReadFile(env.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(site(t, map[string]string{"content/en/docs/shutdown.md": pageOf(
		fence("sleep 600 &"),
		fence("kubectl create configmap docrun-shutdown --from-literal=a=b"),
		fence("sleep 600"))}), "content", "en", "docs", "shutdown.md")
	srv := serveDocrun(t, env, page)
	c := srv.client(t)
	tabs := make([]string, 2)
	for i := range tabs {
		resp, err := c.Get(srv.base + "/page/shutdown.md")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc, _ := url.Parse(resp.Header.Get("Location"))
		if tabs[i] = loc.Query().Get("tab"); tabs[i] == "" {
			t.Fatalf("no tab in %q (%s)", resp.Header.Get("Location"), resp.Status)
		}
	}
	post := func(tab, step, do string, async bool) int {
		req, _ := http.NewRequest(http.MethodPost, srv.base+"/run", strings.NewReader(url.Values{"tab": {tab}, "step": {step}, "do": {do}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if async {
			req.Header.Set("X-Docrun", "fetch")
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// Tab 1: the background sleep and the ConfigMap; tab 2 the same, then
	// the foreground sleep, still running at SIGTERM.
	for _, tab := range tabs {
		for _, step := range []string{"0", "1"} {
			if code := post(tab, step, "run", false); code != http.StatusSeeOther {
				t.Fatalf("run step %s: %d\n%s", step, code, srv.stderr())
			}
		}
	}
	if code := post(tabs[1], "2", "run", true); code != http.StatusAccepted {
		t.Fatalf("run step 2: %d", code)
	}
	nss := regexp.MustCompile(`started in namespace (docrun-[0-9a-f]+)`).FindAllStringSubmatch(srv.stderr(), -1)
	if len(nss) != 2 {
		t.Fatalf("want two sessions in the log:\n%s", srv.stderr())
	}
	for _, m := range nss {
		if _, err := env.Client.CoreV1().ConfigMaps(m[1]).Get(context.Background(), "docrun-shutdown", metav1.GetOptions{}); err != nil {
			t.Errorf("namespace %s: %v", m[1], err)
		}
	}
	time.Sleep(500 * time.Millisecond) // let the foreground sleep start
	start := time.Now()
	err = srv.stop(t)
	t.Logf("docrun serve stopped in %s: %v", time.Since(start).Round(time.Millisecond), err)
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 130) {
		t.Errorf("exit: %v, want 130 (interrupted)\n%s", err, srv.stderr())
	}
	for _, m := range nss {
		_, err := env.Client.CoreV1().Namespaces().Get(context.Background(), m[1], metav1.GetOptions{})
		if !apierrors.IsNotFound(err) {
			t.Errorf("namespace %s still there after docrun serve stopped (%v)", m[1], err)
		}
	}
	if n := strings.Count(srv.stderr(), "ended: the server stopped"); n != 2 {
		t.Errorf("%d sessions ended in the log, want 2:\n%s", n, srv.stderr())
	}
	checkClean(t, env, before)
	checkNoSessionProcess(t, srv)
}

package serve

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docrun/docrun/runner"
)

// BenchmarkServeUpdate measures what a reader of docrun serve waits for
// after saving a corpus page: from the write of the file to the updated
// page's HTML in hand, through the watcher (debounce included), the parse,
// the reload of the tab's session, the reload event, and the render.
func BenchmarkServeUpdate(b *testing.B) {
	corpus := filepath.Join("..", "..", "..", "shared", "corpus")
	const rel = "content/en/docs/tasks/administer-cluster/access-cluster-api.md"
	if _, err := os.Stat(filepath.Join(corpus, rel)); err != nil {
		b.Skipf("corpus absent: %v", err)
	}
	site := filepath.Join(b.TempDir(), "corpus")
	if err := os.CopyFS(site, os.DirFS(corpus)); err != nil {
		b.Fatal(err)
	}
	page := filepath.Join(site, rel)
	orig, err := os.ReadFile(page)
	if err != nil {
		b.Fatal(err)
	}
	r := &runner.Runner{Opts: runner.Options{Only: -1, From: -1, To: -1, StepTimeout: time.Minute}}
	s, err := New(Options{Root: filepath.Dir(page), Pages: []string{page}, Runner: r, Token: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx) }()
	b.Cleanup(func() {
		cancel()
		<-served
	})
	u, _ := url.Parse(s.URL())
	base := "http://" + u.Host
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (*http.Response, []byte) {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		req.AddCookie(&http.Cookie{Name: s.cookieName(), Value: "bench"})
		resp, err := c.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, body
	}
	resp, _ := get("/page/access-cluster-api.md")
	loc, _ := url.Parse(resp.Header.Get("Location"))
	id := loc.Query().Get("tab")
	view := pageURL("access-cluster-api.md", id)
	get(view)

	// A session, so that each change also reloads it.
	form := url.Values{"tab": {id}, "step": {"0"}, "do": {"run"}}
	req, _ := http.NewRequest(http.MethodPost, base+"/run", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: s.cookieName(), Value: "bench"})
	if resp, err := c.Do(req); err != nil || resp.StatusCode != http.StatusSeeOther {
		b.Fatalf("run step 0: %v %v", resp, err)
	}

	req, _ = http.NewRequest(http.MethodGet, base+"/events?tab="+id, nil)
	req.AddCookie(&http.Cookie{Name: s.cookieName(), Value: "bench"})
	ev, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer ev.Body.Close()
	reloads := make(chan struct{}, 16)
	go func() {
		sc := bufio.NewScanner(ev.Body)
		for sc.Scan() {
			if sc.Text() == "event: reload" {
				reloads <- struct{}{}
			}
		}
	}()

	edits := [][]byte{
		bytes.Replace(orig, []byte("\nkubectl config view\n"), []byte("\nkubectl config view --minify\n"), 1),
		orig,
	}
	var worst time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		want := edits[i%2]
		if err := os.WriteFile(page, want, 0o644); err != nil {
			b.Fatal(err)
		}
		select {
		case <-reloads:
		case <-time.After(10 * time.Second):
			b.Fatal("no reload event within 10 s of the write")
		}
		_, body := get(view)
		minify := bytes.Contains(body, []byte("config view --minify"))
		if minify != (i%2 == 0) {
			b.Fatalf("edit %d: the page does not show the edit", i)
		}
		worst = max(worst, time.Since(start))
	}
	b.ReportMetric(float64(worst.Milliseconds()), "worst-ms")
}

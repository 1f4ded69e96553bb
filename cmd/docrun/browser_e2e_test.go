package main

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/docrun/docrun/render"
	"github.com/docrun/docrun/runner/clustertest"
)

// The browser tests open reports in Debian's headless Chromium, driven
// through the DevTools protocol by chromedp. They are end-to-end tests
// (DOCRUN_E2E=1) and skip when no chromium is installed (.ci/run installs
// it).

// chromium returns the browser's path, or skips the test.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium not found (Debian: apt-get install chromium); browser test skipped")
	return ""
}

// visit is what a page did while a browser showed it.
type visit struct {
	mu       sync.Mutex
	requests []string
	console  []string
}

func (v *visit) add(list *[]string, s string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	*list = append(*list, s)
}

// browser starts Chromium with the flags this machine needs (no sandbox as
// root, no background networking, a new empty profile) and returns a tab
// whose network requests and console messages are recorded.
func browser(t *testing.T) (context.Context, *visit) {
	t.Helper()
	path := chromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1400),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	v := &visit{}
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(func(ev any) {
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			v.add(&v.requests, ev.Request.URL)
		case *runtime.EventConsoleAPICalled:
			v.add(&v.console, "console."+string(ev.Type))
		case *runtime.EventExceptionThrown:
			v.add(&v.console, "exception: "+ev.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError || ev.Entry.Level == log.EntryLevelWarning {
				v.add(&v.console, "log "+string(ev.Entry.Level)+": "+ev.Entry.Text)
			}
		}
	}))
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// Start the browser without a deadline: a timeout on the first run
	// would end the whole browser.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx, v
}

// open shows a file in the tab and waits until it has loaded.
func open(t *testing.T, ctx context.Context, file string) string {
	t.Helper()
	abs, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	u := (&url.URL{Scheme: "file", Path: abs}).String()
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, chromedp.Navigate(u)); err != nil {
		t.Fatalf("open %s: %v", u, err)
	}
	return u
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// checkQuiet checks that the page fetched nothing but itself and wrote
// nothing to the console.
func checkQuiet(t *testing.T, v *visit, self ...string) {
	t.Helper()
	v.mu.Lock()
	defer v.mu.Unlock()
	allowed := map[string]bool{}
	for _, s := range self {
		allowed[s] = true
	}
	for _, r := range v.requests {
		if !allowed[r] {
			t.Errorf("the page made a network request: %s", r)
		}
	}
	for _, c := range v.console {
		t.Errorf("console: %s", c)
	}
	v.requests, v.console = nil, nil
}

// stepBadges is a script that lists each step section's id, its badge and
// whether the badge is visible.
const stepBadges = `[...document.querySelectorAll("section.step")].map(s => {
	const b = s.querySelector(".step-head .badge");
	const r = b ? b.getBoundingClientRect() : {width: 0, height: 0};
	return [s.id, b ? b.textContent : "", String(r.width > 0 && r.height > 0)];
})`

// TestReportInChromium runs the reference page, opens its report and
// index.html in Chromium and saves a screenshot (to $DOCRUN_SCREENSHOT
// when set: make screenshot writes the README's).
func TestReportInChromium(t *testing.T) {
	env := clustertest.Require(t)
	chromium(t)
	page := corpusPage(t, "content/ja/docs/tasks/administer-cluster/access-cluster-api.md")
	dir := t.TempDir()
	o := docrun(t, env, "--offline", "--yes", "--html", dir, page)
	if o.code != 0 {
		t.Fatalf("exit %d\n%s", o.code, o.stderr)
	}
	ctx, v := browser(t)
	file := filepath.Join(dir, render.FileName(page, map[string]bool{}))
	self := open(t, ctx, file)

	want := map[string]string{}
	for _, s := range o.res.Pages[0].Steps {
		want["step:"+strconv.Itoa(s.Index)] = s.Status
	}
	got := eval[[][]string](t, ctx, stepBadges)
	if len(got) != len(want) {
		t.Errorf("the report shows %d steps, the run had %d", len(got), len(want))
	}
	for _, g := range got {
		if w, ok := want[g[0]]; !ok || g[1] != w || g[2] != "true" {
			t.Errorf("step %s shows %q (visible %s), want %q", g[0], g[1], g[2], w)
		}
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("script, img, iframe, link, object, embed").length`); n != 0 {
		t.Errorf("the report has %d elements that load or run something", n)
	}
	if title := eval[string](t, ctx, `document.title`); !strings.HasPrefix(title, "Kubernetes API") {
		t.Errorf("title %q", title)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 2000)); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("screenshot: %v", err)
	}
	shot := os.Getenv("DOCRUN_SCREENSHOT")
	if shot == "" {
		shot = filepath.Join(t.TempDir(), "report.png")
	}
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", shot)
	checkQuiet(t, v, self)

	index := open(t, ctx, filepath.Join(dir, "index.html"))
	if n := eval[int](t, ctx, `document.querySelectorAll("table.pages tbody tr").length`); n != 1 {
		t.Errorf("index.html has %d rows, want 1", n)
	}
	checkQuiet(t, v, index)
}

// TestReportRunsNoScript runs a page that has script in its prose, its raw
// HTML, its code and its commands' output, and checks in Chromium that
// nothing of it runs, also with the report's Content-Security-Policy
// removed (the escaping alone must hold). A control page shows that the
// check would see a script that ran.
func TestReportRunsNoScript(t *testing.T) {
	env := clustertest.Require(t)
	chromium(t)
	page := site(t, map[string]string{"content/en/docs/xss.md": "---\ntitle: XSS <script>document.title='pwned-title'</script>\n---\n\n" +
		"Prose <script>document.title='pwned-prose'</script> and <img src=x onerror=\"document.title='pwned-img'\">.\n\n" +
		"<script>\ndocument.title = 'pwned-block'; document.body.appendChild(document.createElement('marquee'));\n</script>\n\n" +
		"<div onmouseover=\"document.title='pwned-div'\" style=\"background:url(https://example.com/x.png)\">hover</div>\n\n" +
		"[link](javascript:document.title='pwned-link')\n\n" +
		"```html\n<script>document.title='pwned-code'</script>\n```\n\n" +
		fence(`echo '<script>document.title="pwned-out"</script>'; echo '<img src=x onerror=document.title="pwned-err">' >&2`)})
	file := filepath.Join(page, "content", "en", "docs", "xss.md")
	dir := t.TempDir()
	// The page's <script> reads as a placeholder: bind it to itself.
	o := docrun(t, env, "--yes", "--set", "script=<script>", "--html", dir, file)
	steps := o.res.Pages[0].Steps
	if o.code != 0 || len(steps) != 2 || steps[1].Status != "passed" {
		t.Fatalf("exit %d\n%s", o.code, o.stderr)
	}
	if !strings.Contains(steps[1].Stdout, "<script>") {
		t.Fatalf("the command did not print the script: %q", steps[1].Stdout)
	}
	reportFile := filepath.Join(dir, render.FileName(file, map[string]bool{}))
	data, err := os.ReadFile(reportFile)
	if err != nil {
		t.Fatal(err)
	}
	noCSP := filepath.Join(dir, "no-csp.html")
	stripped := regexpCSP(string(data))
	if stripped == string(data) {
		t.Fatal("the report declares no Content-Security-Policy")
	}
	if err := os.WriteFile(noCSP, []byte(stripped), 0o644); err != nil {
		t.Fatal(err)
	}
	control := filepath.Join(dir, "control.html")
	if err := os.WriteFile(control, []byte("<!DOCTYPE html><title>t</title><script>document.title='pwned-control'</script>"), 0o644); err != nil {
		t.Fatal(err)
	}

	ctx, v := browser(t)
	self := open(t, ctx, control)
	if title := eval[string](t, ctx, `document.title`); title != "pwned-control" {
		t.Fatalf("the control page's script did not run (title %q): the check cannot see scripts", title)
	}
	checkQuiet(t, v, self)
	for _, f := range []string{reportFile, noCSP} {
		self := open(t, ctx, f)
		time.Sleep(200 * time.Millisecond)
		title := eval[string](t, ctx, `document.title`)
		if strings.Contains(title, "pwned") && !strings.Contains(title, "<script>") {
			t.Errorf("%s: a script ran: title %q", filepath.Base(f), title)
		}
		if n := eval[int](t, ctx, `document.querySelectorAll("script, marquee, img, iframe").length`); n != 0 {
			t.Errorf("%s: %d script, marquee, img or iframe elements", filepath.Base(f), n)
		}
		for _, text := range []string{`<script>document.title="pwned-out"</script>`, `<img src=x onerror=document.title="pwned-err">`} {
			if !eval[bool](t, ctx, `document.body.innerText.includes(`+jsString(text)+`)`) {
				t.Errorf("%s: the output %s is not shown as text", filepath.Base(f), text)
			}
		}
		checkQuiet(t, v, self)
	}
}

// regexpCSP removes the report's Content-Security-Policy meta element.
func regexpCSP(doc string) string {
	i := strings.Index(doc, `<meta http-equiv="Content-Security-Policy"`)
	if i < 0 {
		return doc
	}
	j := strings.Index(doc[i:], ">")
	return doc[:i] + doc[i+j+1:]
}

func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

package serve

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// securitySite has the hello page, a page not served, an include and a
// page whose name needs escaping in a URL.
func securitySite(t *testing.T) *harness {
	root := newSite(t, map[string]string{
		"content/en/docs/other.md":      "---\ntitle: Other\n---\n\n```shell\necho other\n```\n",
		"content/en/includes/inc.md":    "```shell\necho included\n```\n",
		"content/en/docs/50% off.md":    "---\ntitle: Percent\n---\n\n```shell\necho percent\n```\n",
		"content/ja/docs/konnichiwa.md": "---\ntitle: Konnichiwa\n---\n\n```shell\necho a\n```\n\n```shell\necho b\n```\n",
	})
	return start(t, root, []string{helloRel, "content/en/docs/50% off.md", "content/ja/docs/konnichiwa.md"}, Options{})
}

// TestToken: without the token (or with a wrong one, or for another
// Host) every route is refused; the token in the query is moved to a
// cookie.
func TestToken(t *testing.T) {
	h := securitySite(t)
	id := h.openTab(helloRel)
	routes := []struct{ method, path string }{
		{"GET", "/"},
		{"GET", pageURL(helloRel, "")},
		{"GET", pageURL(helloRel, id)},
		{"GET", "/events?tab=" + id},
		{"POST", "/run"},
		{"POST", "/reset"},
		{"GET", scriptPath},
		{"GET", "/nope"},
		{"GET", "/../etc/passwd"},
		{"PUT", "/"},
	}
	form := url.Values{"tab": {id}, "step": {"1"}, "do": {"run"}}
	for _, r := range routes {
		var f url.Values
		if r.method == "POST" {
			f = form
		}
		cases := []struct {
			name string
			req  *http.Request
		}{
			{"no token", h.request(r.method, r.path, f, nil)},
			{"wrong cookie", h.request(r.method, r.path, f, nil)},
			{"wrong query token", h.request(r.method, r.path, f, nil)},
			{"wrong host", h.request(r.method, r.path, f, map[string]string{"Host": "evil.example:80"})},
			{"host without port", h.request(r.method, r.path, f, map[string]string{"Host": "127.0.0.1"})},
		}
		cases[0].req.Header.Del("Cookie")
		cases[1].req.Header.Set("Cookie", h.srv.cookieName()+"=nope")
		q := cases[2].req.URL.Query()
		q.Set("token", "nope")
		cases[2].req.URL.RawQuery = q.Encode()
		for _, c := range cases {
			resp, body := h.send(c.req)
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s, %s: %s, want 403: %s", r.method, r.path, c.name, resp.Status, body)
			}
			checkHeaders(t, resp)
		}
	}
	if tb := h.tab(id); tb == nil || tb.session() != nil {
		t.Errorf("a refused request changed the tab")
	}

	// The printed URL: the token goes to a cookie, and out of the address.
	for _, c := range []struct{ path, want string }{
		{"/?token=" + token, "/"},
		{pageURL(helloRel, id) + "&token=" + token, pageURL(helloRel, id)},
		{scriptPath + "?token=" + token, scriptPath},
	} {
		req := h.request("GET", c.path, nil, nil)
		req.Header.Del("Cookie")
		resp, body := h.send(req)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != c.want {
			t.Errorf("GET %s: %s to %q, want 303 to %q: %s", c.path, resp.Status, resp.Header.Get("Location"), c.want, body)
		}
		cs := resp.Cookies()
		if len(cs) != 1 {
			t.Fatalf("GET %s: cookies %v", c.path, cs)
		}
		ck := cs[0]
		if ck.Name != h.srv.cookieName() || ck.Value != token || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" {
			t.Errorf("cookie %s, want %s=%s HttpOnly SameSite=Strict Path=/", ck, h.srv.cookieName(), token)
		}
		if sc := resp.Header.Get("Set-Cookie"); !strings.Contains(sc, "SameSite=Strict") || !strings.Contains(sc, "HttpOnly") {
			t.Errorf("Set-Cookie %q", sc)
		}
		// The cookie alone is enough.
		req = h.request("GET", c.want, nil, nil)
		req.Header.Del("Cookie")
		req.AddCookie(ck)
		if resp, _ := h.send(req); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s with the cookie set: %s", c.want, resp.Status)
		}
	}
	// Every name of the server is fine.
	port := h.host[strings.LastIndex(h.host, ":"):]
	for _, host := range []string{"127.0.0.1" + port, "localhost" + port, "LOCALHOST" + port} {
		if resp, body := h.do("GET", "/", nil, map[string]string{"Host": host}); resp.StatusCode != http.StatusOK {
			t.Errorf("Host %s: %s: %s", host, resp.Status, body)
		}
	}
}

// checkHeaders checks the headers every answer has.
func checkHeaders(t *testing.T, resp *http.Response) {
	t.Helper()
	for k, v := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
		"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"} {
		if got := resp.Header.Get(k); got != v {
			t.Errorf("%s %s: %s %q, want %q", resp.Request.Method, resp.Request.URL.Path, k, got, v)
		}
	}
}

// TestOrigin: a run must come from a page of the server.
func TestOrigin(t *testing.T) {
	h := securitySite(t)
	id := h.openTab(helloRel)
	own := h.base
	port := h.host[strings.LastIndex(h.host, ":"):]
	cases := []struct {
		name string
		hdr  map[string]string
		want int
	}{
		{"other site", map[string]string{"Origin": "http://evil.example"}, http.StatusForbidden},
		{"other port", map[string]string{"Origin": "http://127.0.0.1:1"}, http.StatusForbidden},
		{"other name of this server", map[string]string{"Origin": "http://localhost" + port}, http.StatusForbidden},
		{"https", map[string]string{"Origin": "https://" + h.host}, http.StatusForbidden},
		{"null", map[string]string{"Origin": "null"}, http.StatusForbidden},
		{"with a path", map[string]string{"Origin": own + "/page"}, http.StatusForbidden},
		{"cross-site", map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"same-site", map[string]string{"Sec-Fetch-Site": "same-site"}, http.StatusForbidden},
		{"cross-site with own origin", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": own}, http.StatusForbidden},
		{"own origin", map[string]string{"Origin": own}, http.StatusSeeOther},
		{"own origin, same-origin", map[string]string{"Origin": own, "Sec-Fetch-Site": "same-origin"}, http.StatusSeeOther},
		{"no browser headers", nil, http.StatusSeeOther},
	}
	for _, c := range cases {
		for _, path := range []string{"/run", "/reset"} {
			resp, body := h.do("POST", path, url.Values{"tab": {id}, "step": {"1"}, "do": {"run"}}, c.hdr)
			if resp.StatusCode != c.want {
				t.Errorf("%s POST %s: %s, want %d: %s", c.name, path, resp.Status, c.want, body)
			}
		}
	}
	// The token in the query of a POST: it runs, and the cookie is set.
	req := h.request("POST", "/run?token="+token, url.Values{"tab": {id}, "step": {"1"}, "do": {"run"}}, map[string]string{"Origin": own})
	req.Header.Del("Cookie")
	if resp, body := h.send(req); resp.StatusCode != http.StatusSeeOther || len(resp.Cookies()) != 1 {
		t.Errorf("POST with the token in the query: %s, cookies %v: %s", resp.Status, resp.Cookies(), body)
	}
	// A GET with a foreign origin is only a read.
	if resp, _ := h.do("GET", "/", nil, map[string]string{"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"}); resp.StatusCode != http.StatusOK {
		t.Errorf("GET / from another site: %s", resp.Status)
	}
}

// TestRoutes: methods, and paths that are not pages.
func TestRoutes(t *testing.T) {
	h := securitySite(t)
	cases := []struct {
		method, target string
		want           int
	}{
		{"GET", "/run", http.StatusMethodNotAllowed},
		{"GET", "/reset", http.StatusMethodNotAllowed},
		{"POST", "/", http.StatusMethodNotAllowed},
		{"POST", "/events", http.StatusMethodNotAllowed},
		{"POST", "/page/" + helloRel, http.StatusMethodNotAllowed},
		{"DELETE", "/", http.StatusMethodNotAllowed},
		{"PUT", "/run", http.StatusMethodNotAllowed},
		{"GET", "/page/content/en/docs/../docs/hello.md", http.StatusNotFound},
		{"GET", "/page/content/en/docs/./hello.md", http.StatusNotFound},
		{"GET", "/page/../../../../etc/passwd", http.StatusNotFound},
		{"GET", "/../etc/passwd", http.StatusNotFound},
		{"GET", "/static/../page/" + helloRel, http.StatusNotFound},
		{"GET", "/page/%2e%2e/%2e%2e/etc/passwd", http.StatusNotFound},
		{"GET", "/page/content/en/docs/%2E%2E/docs/hello.md", http.StatusNotFound},
		{"GET", "/page/content%2f..%2f..%2fetc%2fpasswd", http.StatusNotFound},
		{"GET", "/page/content/en/docs/%252e%252e/docs/hello.md", http.StatusNotFound},
		{"GET", "/page/content/en/docs//hello.md", http.StatusNotFound},
		{"GET", "//evil.example/", http.StatusNotFound},
		{"GET", `/page/content\en\docs\hello.md`, http.StatusNotFound},
		{"GET", "/page/content/en/docs/hello.md%00", http.StatusNotFound},
		{"GET", "/page/content/en/docs/other.md", http.StatusNotFound},
		{"GET", "/page/content/en/includes/inc.md", http.StatusNotFound},
		{"GET", "/page/content/en/docs/nope.md", http.StatusNotFound},
		{"GET", "/page/", http.StatusNotFound},
		{"GET", "/content/en/docs/hello.md", http.StatusNotFound},
		{"GET", "/static/", http.StatusNotFound},
		{"GET", "/page/content/en/docs/hello.md", http.StatusSeeOther},
		{"GET", "/page/content/en/docs/50%25%20off.md", http.StatusSeeOther},
		{"GET", scriptPath, http.StatusOK},
		{"GET", "/", http.StatusOK},
		{"HEAD", "/", http.StatusOK},
	}
	for _, c := range cases {
		if got := h.raw(c.method, c.target); got != c.want {
			t.Errorf("%s %s: %d, want %d", c.method, c.target, got, c.want)
		}
	}
	resp, body := h.get(scriptPath, http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") || !strings.Contains(body, "EventSource") {
		t.Errorf("script: %s, %d bytes", ct, len(body))
	}
	checkHeaders(t, resp)
}

// TestIndex lists each page with its title, language and steps, linking
// to it, and has the headers of a page.
func TestIndex(t *testing.T) {
	h := securitySite(t)
	resp, body := h.get("/", http.StatusOK)
	checkHeaders(t, resp)
	checkCSP(t, resp)
	rows := regexp.MustCompile(`(?s)<tr[^>]*><td><a href="([^"]*)">([^<]*)</a><br><code class="path">([^<]*)</code>.*?</td><td>([^<]*)</td><td class="n">(\d+)</td>`).FindAllStringSubmatch(body, -1)
	type row struct{ href, title, path, lang, steps string }
	want := []row{
		{"/page/content/en/docs/50%25%20off.md", "Percent", "content/en/docs/50% off.md", "en", "1"},
		{"/page/" + helloRel, "Hello page", helloRel, "en", "5"},
		{"/page/content/ja/docs/konnichiwa.md", "Konnichiwa", "content/ja/docs/konnichiwa.md", "ja", "2"},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d:\n%s", len(rows), len(want), body)
	}
	for i, m := range rows {
		if got := (row{m[1], m[2], m[3], m[4], m[5]}); got != want[i] {
			t.Errorf("row %d: %+v, want %+v", i, got, want[i])
		}
	}
	// Listing watches nothing; opening a page watches it.
	watched := h.srv.files.Len
	if n := watched(); n != 0 {
		t.Errorf("the index made %d pages watched, want none", n)
	}
	// Each link leads to its page.
	for _, w := range want {
		resp, _ := h.get(w.href, http.StatusSeeOther)
		loc, _ := url.Parse(resp.Header.Get("Location"))
		if page := h.view(strings.TrimPrefix(loc.Path, "/page/"), loc.Query().Get("tab")); !strings.Contains(page, w.title) {
			t.Errorf("page %s does not show its title", w.href)
		}
	}
	if n := watched(); n != len(want) {
		t.Errorf("%d pages watched after opening %d", n, len(want))
	}
}

// checkCSP checks the page's Content-Security-Policy.
func checkCSP(t *testing.T, resp *http.Response) {
	t.Helper()
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "form-action 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
}

// TestPageView: a page without a tab gets one; the tab's page has a Run
// form per runnable step and no session yet.
func TestPageView(t *testing.T) {
	h := securitySite(t)
	id := h.openTab(helloRel)
	if h.openTab(helloRel) == id {
		t.Errorf("a second open of the page got the same tab")
	}
	// A tab of another page, or an unknown one, gets a new tab.
	other := h.openTab("content/ja/docs/konnichiwa.md")
	resp, _ := h.get(pageURL(helloRel, other), http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); strings.Contains(loc, other) {
		t.Errorf("the tab of another page was taken: %s", loc)
	}
	h.get(pageURL(helloRel, "nope"), http.StatusSeeOther)

	resp, page := h.get(pageURL(helloRel, id), http.StatusOK)
	checkHeaders(t, resp)
	checkCSP(t, resp)
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	st := wantStatuses(t, page, "notrun", "notrun", "notrun", "notrun", "notrun")
	forms := regexp.MustCompile(`<form class="run" method="post" action="/run"><input type="hidden" name="tab" value="([^"]*)"><input type="hidden" name="step" value="(\d+)">`).FindAllStringSubmatch(page, -1)
	if len(forms) != len(st) {
		t.Fatalf("%d run forms, want %d", len(forms), len(st))
	}
	for i, f := range forms {
		if f[1] != id || f[2] != string(rune('0'+i)) || st[i].pos != i {
			t.Errorf("form %d: tab %s step %s in section data-pos %d", i, f[1], f[2], st[i].pos)
		}
	}
	if line := sessionLine(t, page); !strings.HasPrefix(line, "no session yet") {
		t.Errorf("session line %q", line)
	}
	for _, want := range []string{`<form class="reset" method="post" action="/reset">`, `<script src="/static/docrun.js" defer></script>`,
		`<meta name="docrun-events" content="/events?tab=` + id + `">`, "Hello page"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if strings.Contains(page, "docrun-page-error") {
		t.Errorf("the page shows an error")
	}
	// A page whose name needs escaping.
	pid := h.openTab("content/en/docs/50% off.md")
	if page := h.view("content/en/docs/50% off.md", pid); !strings.Contains(page, "Percent") {
		t.Errorf("the page 50%% off.md:\n%s", page)
	}
	if tb := h.tab(id); tb == nil || tb.session() != nil {
		t.Errorf("viewing a page started a session")
	}
}

package serve

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const reloadPage = "---\ntitle: Reload\n---\n\n{{< include \"setup.md\" >}}\n\n" +
	"```shell\necho one\n```\n\n" +
	"```shell\necho two\n```\n\n" +
	"```shell\necho three\n```\n"

// rewrite writes a page in place (the way most editors save) or by
// renaming a new file over it (the way others do).
func rewrite(t *testing.T, path, data string, rename bool) {
	t.Helper()
	if !rename {
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".swp")
	if err := os.WriteFile(tmp, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// TestReload: a change of the page (or of an include) reloads the tab;
// a step whose code changed after it ran is stale, the others keep their
// outcome; a page that no longer parses shows the error over the page as
// it was, until it is fixed.
func TestReload(t *testing.T) {
	rel := "content/en/docs/reload.md"
	root := newSite(t, map[string]string{rel: reloadPage,
		"content/en/includes/setup.md": "Set up:\n\n```shell\necho setup\n```\n"})
	path := filepath.Join(root, filepath.FromSlash(rel))
	inc := filepath.Join(root, "content/en/includes/setup.md")
	h := start(t, root, []string{rel}, Options{})
	id := h.openTab(rel)
	ev := h.events(id)
	page := h.run(rel, id, 0, "from")
	wantStatuses(t, page, "passed", "passed", "passed", "passed")

	from := len(ev.all())
	change := func(what, file, data string, rename bool) string {
		t.Helper()
		rewrite(t, file, data, rename)
		from = ev.wait(t, from, "reload", "") + 1
		return h.view(rel, id)
	}

	// Step 1 (echo one) changes, in place.
	page = change("write", path, strings.Replace(reloadPage, "echo one", "echo uno", 1), false)
	st := wantStatuses(t, page, "passed", "notrun", "passed", "passed")
	if !st[1].has("stale") || !strings.Contains(st[1].text(), "echo uno") || st[0].has("stale") || st[2].has("stale") {
		t.Errorf("after a change of step 1: classes %q %q %q", st[0].class, st[1].class, st[2].class)
	}
	if st[2].stdout() != "two" {
		t.Errorf("step 2 lost its output: %q", st[2].stdout())
	}

	// Step 3 changes, saved by rename; step 1 stays stale.
	next := strings.Replace(strings.Replace(reloadPage, "echo one", "echo uno", 1), "echo three", "echo tres", 1)
	page = change("rename", path, next, true)
	st = wantStatuses(t, page, "passed", "notrun", "passed", "notrun")
	if !st[1].has("stale") || !st[3].has("stale") || !strings.Contains(st[3].text(), "echo tres") {
		t.Errorf("after a rename-save: classes %q %q", st[1].class, st[3].class)
	}
	// Run the changed steps: no longer stale.
	page = h.run(rel, id, 1, "run")
	st = wantStatuses(t, page, "passed", "passed", "passed", "notrun")
	if st[1].has("stale") || st[1].stdout() != "uno" {
		t.Errorf("step 1 run again: %q %q", st[1].class, st[1].stdout())
	}

	// The include changes: the page reloads, the included step is stale.
	page = change("include", inc, "Set up:\n\n```shell\necho setup again\n```\n", false)
	st = wantStatuses(t, page, "notrun", "passed", "passed", "notrun")
	if !st[0].has("stale") || !strings.Contains(st[0].text(), "setup again") {
		t.Errorf("after a change of the include: %q", st[0].class)
	}

	// Broken pages show their error over the page as it was; fixed, it
	// goes away.
	for _, c := range []struct {
		name, data, want string
		rename           bool
	}{
		{"unterminated front matter", "---\ntitle: Reload\n\n```shell\necho one\n```\n", "front matter starting here is not terminated", false},
		{"missing include", strings.Replace(next, "setup.md", "nope.md", 1), "include &#34;nope.md&#34; not found", true},
	} {
		page = change(c.name, path, c.data, c.rename) // status 200
		m := regexp.MustCompile(`<pre class="page-error" id="docrun-page-error">([^<]*)</pre>`).FindStringSubmatch(page)
		if m == nil || !strings.Contains(m[1], c.want) {
			t.Errorf("%s: the page does not show the error:\n%s", c.name, page)
		}
		// The page as it was, with the outcomes so far.
		wantStatuses(t, page, "notrun", "passed", "passed", "notrun")
		// The index says so too.
		if _, ix := h.get("/", http.StatusOK); !strings.Contains(ix, `class="page-error"`) {
			t.Errorf("%s: the index does not show the error", c.name)
		}
		page = change("fix", path, next, !c.rename)
		if strings.Contains(page, "docrun-page-error") {
			t.Errorf("%s: the error stays after the fix", c.name)
		}
		wantStatuses(t, page, "notrun", "passed", "passed", "notrun")
	}
	if tb := h.tab(id); tb == nil || tb.session() == nil {
		t.Fatalf("the session ended on a change of the page")
	}
	// The session still runs the steps of the page as it is now.
	st = wantStatuses(t, h.run(rel, id, 3, "run"), "notrun", "passed", "passed", "passed")
	if st[3].stdout() != "tres" {
		t.Errorf("step 3 printed %q", st[3].stdout())
	}
}

// TestReloadWithoutSession: a tab without a session shows the page as it
// is now; a page that never parsed shows its error.
func TestReloadWithoutSession(t *testing.T) {
	rel := "content/en/docs/reload.md"
	broken := "content/en/docs/broken.md"
	root := newSite(t, map[string]string{rel: reloadPage,
		"content/en/includes/setup.md": "```shell\necho setup\n```\n",
		broken:                         "---\ntitle: x\n\n```shell\necho\n```\n"})
	path := filepath.Join(root, filepath.FromSlash(rel))
	h := start(t, root, []string{rel, broken}, Options{})
	id := h.openTab(rel)
	wantStatuses(t, h.view(rel, id), "notrun", "notrun", "notrun", "notrun") // as a browser does first
	ev := h.events(id)
	rewrite(t, path, strings.Replace(reloadPage, "echo two", "echo dos", 1), true)
	ev.wait(t, 0, "reload", "")
	page := h.view(rel, id)
	st := wantStatuses(t, page, "notrun", "notrun", "notrun", "notrun")
	if !strings.Contains(st[2].text(), "echo dos") || st[2].has("stale") {
		t.Errorf("step 2 after the change: %q\n%s", st[2].class, st[2].html)
	}

	bid := h.openTab(broken)
	resp, body := h.get(pageURL(broken, bid), http.StatusOK)
	checkCSP(t, resp)
	if !strings.Contains(body, `<pre class="page-error" id="docrun-page-error">`) || !strings.Contains(body, "broken.md") || !strings.Contains(body, `<script src="/static/docrun.js"`) {
		t.Errorf("the broken page:\n%s", body)
	}
	if r, body := h.do("POST", "/run", map[string][]string{"tab": {bid}, "step": {"0"}, "do": {"run"}}, nil); r.StatusCode != http.StatusBadRequest {
		t.Errorf("run of a page that does not parse: %s: %s", r.Status, body)
	}
	// Fixed, it shows.
	bev := h.events(bid)
	rewrite(t, filepath.Join(root, filepath.FromSlash(broken)), "---\ntitle: Fixed\n---\n\n```shell\necho fixed\n```\n", false)
	bev.wait(t, 0, "reload", "")
	if page := h.view(broken, bid); !strings.Contains(page, "Fixed") || strings.Contains(page, `<pre class="page-error"`) {
		t.Errorf("the fixed page:\n%s", page)
	}
}

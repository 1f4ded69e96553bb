package serve

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestFilePlaceholders: a step that reads a file the page tells the reader
// to save has a field for the placeholder of that file's content; the file
// is written with the value given, and the step says where it came from.
func TestFilePlaceholders(t *testing.T) {
	const rel = "docs/files.md"
	root := newSite(t, map[string]string{rel: "---\ntitle: Files\n---\n\nSave this as `g.txt`:\n\n```text\nhello <who>\n```\n\n```shell\ncat g.txt\n```\n"})
	h := start(t, root, []string{rel}, Options{})
	id := h.openTab(rel)
	page := h.view(rel, id)
	if !strings.Contains(page, `name="set.who" value=""`) {
		t.Fatalf("no field for the placeholder of the file:\n%s", page)
	}
	resp, body := h.do("POST", "/run", url.Values{"tab": {id}, "step": {"1"}, "do": {"run"}, "set.who": {"world"}}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("run: %s: %s", resp.Status, body)
	}
	page = h.view(rel, id)
	if got := wantStatuses(t, page, "notrun", "passed")[1].stdout(); got != "hello world" {
		t.Errorf("printed %q, want hello world", got)
	}
	if !strings.Contains(page, `<code>g.txt</code> created by docrun from <a href="#step:0">line 7</a>`) {
		t.Errorf("the step does not say where g.txt came from:\n%s", page)
	}
}

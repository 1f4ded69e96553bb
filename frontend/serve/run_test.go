package serve

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRunForm: a plain form post runs a step and redirects back to it;
// Run from here runs the steps after it, stopping after one that fails;
// the shell's state carries over between steps.
func TestRunForm(t *testing.T) {
	h := start(t, newSite(t, nil), []string{helloRel}, Options{})
	id := h.openTab(helloRel)

	resp, body := h.do("POST", "/run", url.Values{"tab": {id}, "step": {"1"}, "do": {"run"}}, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != pageURL(helloRel, id)+"#step:1" {
		t.Fatalf("run: %s to %q: %s", resp.Status, resp.Header.Get("Location"), body)
	}
	page := h.view(helloRel, id)
	wantStatuses(t, page, "notrun", "passed", "notrun", "notrun", "notrun")
	if line := sessionLine(t, page); !strings.HasPrefix(line, "session") || strings.Contains(line, "running") {
		t.Errorf("session line %q", line)
	}

	page = h.run(helloRel, id, 0, "from")
	st := wantStatuses(t, page, "passed", "passed", "passed", "failed", "notrun")
	h.session(page)
	if got := st[2].stdout(); got != "x=1" {
		t.Errorf("step 2 printed %q, want x=1 (the export of step 1)", got)
	}
	if !strings.Contains(st[3].html, "exit 1") {
		t.Errorf("the failed step does not show its exit code:\n%s", st[3].html)
	}

	// Run one step again: only it changes.
	page = h.run(helloRel, id, 4, "run")
	st = wantStatuses(t, page, "passed", "passed", "passed", "failed", "passed")
	if st[4].stdout() != "after" {
		t.Errorf("step 4 printed %q", st[4].stdout())
	}

	// Bad forms.
	for _, f := range []url.Values{
		{"tab": {id}, "step": {"5"}, "do": {"run"}},
		{"tab": {id}, "step": {"-1"}, "do": {"run"}},
		{"tab": {id}, "step": {"x"}, "do": {"run"}},
		{"tab": {id}, "step": {"0"}, "do": {"all"}},
		{"tab": {id}, "step": {"0"}},
	} {
		if resp, body := h.do("POST", "/run", f, nil); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("run %v: %s, want 400: %s", f, resp.Status, body)
		}
	}
	for _, f := range []url.Values{{"tab": {"nope"}, "step": {"0"}, "do": {"run"}}, {"step": {"0"}, "do": {"run"}}} {
		if resp, body := h.do("POST", "/run", f, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("run %v: %s, want 404: %s", f, resp.Status, body)
		}
	}
	if !strings.Contains(h.log.String(), "session of "+helloRel+" started") {
		t.Errorf("log: %q", h.log.String())
	}
}

// TestRunFetch: with the page's script a run answers at once and the
// output comes as events; a second run while one is going on is refused.
func TestRunFetch(t *testing.T) {
	dir := t.TempDir()
	gate := filepath.Join(dir, "go")
	root := newSite(t, map[string]string{"content/en/docs/wait.md": "---\ntitle: Wait\n---\n\n" +
		"```shell\necho \"hello from $((40+2))\"\n```\n\n" +
		"```shell\necho waiting; until [ -e " + gate + " ]; do sleep 0.05; done; echo gone through\n```\n"})
	rel := "content/en/docs/wait.md"
	h := start(t, root, []string{rel}, Options{})
	id := h.openTab(rel)
	ev := h.events(id)
	fetch := map[string]string{"X-Docrun": "fetch"}

	resp, body := h.do("POST", "/run", url.Values{"tab": {id}, "step": {"0"}, "do": {"run"}}, fetch)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("run: %s, want 202: %s", resp.Status, body)
	}
	idle := ev.wait(t, 0, "idle", "")
	var names []string
	var end endEvent
	for _, e := range ev.all()[:idle+1] {
		switch e.name {
		case "start", "output", "end", "idle":
			names = append(names, e.name)
		}
		switch e.name {
		case "start":
			if e.data != `{"pos":0}` {
				t.Errorf("start %s", e.data)
			}
		case "output":
			var o struct {
				Pos          int
				Stream, Text string
			}
			if err := json.Unmarshal([]byte(e.data), &o); err != nil || o.Pos != 0 || o.Stream != "stdout" || o.Text != "hello from 42\n" {
				t.Errorf("output %s (%v)", e.data, err)
			}
		case "end":
			if err := json.Unmarshal([]byte(e.data), &end); err != nil {
				t.Error(err)
			}
		}
	}
	if strings.Join(names, " ") != "start output end idle" {
		t.Errorf("events %v, want start output end idle", names)
	}
	if end.Pos != 0 || end.Status != "passed" || end.Exit != 0 || end.Duration == "" {
		t.Errorf("end %+v", end)
	}
	wantStatuses(t, h.view(rel, id), "passed", "notrun")

	// A run that waits for the gate: a second one is refused meanwhile.
	from := len(ev.all())
	if resp, body := h.do("POST", "/run", url.Values{"tab": {id}, "step": {"1"}, "do": {"run"}}, fetch); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("run: %s: %s", resp.Status, body)
	}
	ev.wait(t, from, "output", "waiting")
	for _, f := range []map[string]string{fetch, nil} {
		if resp, body := h.do("POST", "/run", url.Values{"tab": {id}, "step": {"0"}, "do": {"run"}}, f); resp.StatusCode != http.StatusConflict {
			t.Errorf("run while running: %s, want 409: %s", resp.Status, body)
		}
	}
	page := h.view(rel, id)
	st := steps(t, page)
	if !st[1].has("running") || !strings.Contains(sessionLine(t, page), "running step") {
		t.Errorf("the page does not show step 1 running: %q %q", st[1].class, sessionLine(t, page))
	}
	os.WriteFile(gate, nil, 0o644)
	ev.wait(t, ev.wait(t, from, "end", `"pos":1`), "idle", "")
	wantStatuses(t, h.view(rel, id), "passed", "passed")
	// Free again.
	if resp, _ := h.do("POST", "/run", url.Values{"tab": {id}, "step": {"0"}, "do": {"run"}}, nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("run after the end: %s", resp.Status)
	}
	if ev.ended() {
		t.Errorf("the event stream ended")
	}
}

// TestReset ends the session; the next run starts a new shell.
func TestReset(t *testing.T) {
	h := start(t, newSite(t, nil), []string{helloRel}, Options{})
	id := h.openTab(helloRel)
	h.run(helloRel, id, 0, "run")
	page := h.run(helloRel, id, 1, "run")
	first := h.session(page)
	if pids, dir := first.alive(); len(pids) == 0 || !dir {
		t.Fatalf("the session is not there: %v %v", pids, dir)
	}

	resp, body := h.do("POST", "/reset", url.Values{"tab": {id}}, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != pageURL(helloRel, id) {
		t.Fatalf("reset: %s to %q: %s", resp.Status, resp.Header.Get("Location"), body)
	}
	first.waitGone(t)
	page = h.view(helloRel, id)
	if line := sessionLine(t, page); !strings.Contains(line, "session ended by Reset") || !strings.Contains(line, "next Run starts a new one") {
		t.Errorf("session line %q", line)
	}
	wantStatuses(t, page, "notrun", "notrun", "notrun", "notrun", "notrun")

	page = h.run(helloRel, id, 2, "run")
	if got := steps(t, page)[2].stdout(); got != "x=" {
		t.Errorf("after Reset, step 2 printed %q, want x= (a new shell)", got)
	}
	page = h.run(helloRel, id, 0, "run")
	if second := h.session(page); second.marker == first.marker || second.dir == first.dir {
		t.Errorf("the same session after Reset: %v", second)
	}

	// With the script: 204, and an event says so.
	ev := h.events(id)
	if resp, body := h.do("POST", "/reset", url.Values{"tab": {id}}, map[string]string{"X-Docrun": "fetch"}); resp.StatusCode != http.StatusNoContent {
		t.Errorf("reset: %s: %s", resp.Status, body)
	}
	ev.wait(t, 0, "session", "session ended by Reset")
	if tb := h.tab(id); tb == nil || tb.session() != nil {
		t.Errorf("the tab keeps a session after Reset")
	}
	// Reset without a session, or of no tab.
	if resp, _ := h.do("POST", "/reset", url.Values{"tab": {id}}, nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("reset without a session: %s", resp.Status)
	}
	if resp, _ := h.do("POST", "/reset", url.Values{"tab": {"nope"}}, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("reset of no tab: %s", resp.Status)
	}
}

// TestIdle ends a session nobody used for IdleTimeout.
func TestIdle(t *testing.T) {
	h := start(t, newSite(t, nil), []string{helloRel}, Options{IdleTimeout: 300 * time.Millisecond, Grace: 300 * time.Millisecond})
	id := h.openTab(helloRel)
	ev := h.events(id) // the tab stays open
	page := h.run(helloRel, id, 0, "run")
	s := h.session(page)
	ev.wait(t, 0, "session", "without use")
	s.waitGone(t)
	if tb := h.tab(id); tb == nil || tb.session() != nil {
		t.Fatalf("tab %v", tb)
	}
	page = h.view(helloRel, id)
	if line := sessionLine(t, page); !strings.Contains(line, "session ended after 300ms without use") {
		t.Errorf("session line %q", line)
	}
	eventually(t, "the log to say the session ended", func() bool { return strings.Contains(h.log.String(), "ended: session ended after") })
	// The tab still works: a new session.
	page = h.run(helloRel, id, 0, "run")
	if s2 := h.session(page); s2.marker == s.marker {
		t.Errorf("the ended session ran a step")
	}
}

// TestGone ends the session of a tab whose event stream has been closed
// for Grace, and forgets the tab.
func TestGone(t *testing.T) {
	h := start(t, newSite(t, nil), []string{helloRel}, Options{Grace: 300 * time.Millisecond})
	id := h.openTab(helloRel)
	ev := h.events(id)
	s := h.session(h.run(helloRel, id, 0, "run"))
	ev.close()
	s.waitGone(t)
	eventually(t, "the tab to be forgotten", func() bool { return h.tab(id) == nil })
	if resp, body := h.do("POST", "/run", url.Values{"tab": {id}, "step": {"0"}, "do": {"run"}}, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("run of a forgotten tab: %s, want 404: %s", resp.Status, body)
	}
	if resp, _ := h.do("GET", "/events?tab="+id, nil, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("events of a forgotten tab: %s", resp.Status)
	}
	eventually(t, "the log to say the tab was closed", func() bool { return strings.Contains(h.log.String(), "ended: the tab was closed") })
	// Its page gets a new tab.
	if id2 := h.openTab(helloRel); id2 == id {
		t.Errorf("same tab")
	}
}

// TestShutdown: when Serve's context ends, it returns and ends every
// session, a running one too.
func TestShutdown(t *testing.T) {
	root := newSite(t, map[string]string{})
	// A page whose step 1 sleeps.
	writeFile(t, root, helloRel, helloPage+"\n```shell\nsleep 30\n```\n")
	h := start(t, root, []string{helloRel}, Options{})
	a, b := h.openTab(helloRel), h.openTab(helloRel)
	sa := h.session(h.run(helloRel, a, 0, "run"))
	sb := h.session(h.run(helloRel, b, 0, "run"))
	if sa.marker == sb.marker {
		t.Fatalf("two tabs share a session")
	}
	ev := h.events(b)
	if resp, body := h.do("POST", "/run", url.Values{"tab": {b}, "step": {"5"}, "do": {"run"}}, map[string]string{"X-Docrun": "fetch"}); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("run: %s: %s", resp.Status, body)
	}
	ev.wait(t, 0, "start", `"pos":5`)
	eventually(t, "sleep to start", func() bool { pids, _ := sb.alive(); return len(pids) >= 2 })

	began := time.Now()
	h.cancel()
	select {
	case err := <-h.done:
		close(h.done)
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("Serve did not return")
	}
	if d := time.Since(began); d > 10*time.Second {
		t.Errorf("Serve took %s to stop", d)
	}
	sa.checkGone(t)
	sb.checkGone(t)
	eventually(t, "the event stream to end", ev.ended)
	if !strings.Contains(h.log.String(), "stopping: ending 2 sessions") {
		t.Errorf("log %q", h.log.String())
	}
	// Nothing answers any more.
	if _, err := h.client.Get(h.base + "/"); err == nil {
		t.Errorf("the server still answers")
	}
}

// TestOpenForgottenTab: a session that opens for a tab the server forgot
// meanwhile (its event stream gone for the grace period) is ended at
// once, since nothing else would end it.
func TestOpenForgottenTab(t *testing.T) {
	h := start(t, newSite(t, nil), []string{helloRel}, Options{})
	id := h.openTab(helloRel)
	tb := h.tab(id)
	if !tb.start() {
		t.Fatal("the tab is busy")
	}
	h.srv.forget(tb)
	tb.run(runRequest{pos: 0})
	if tb.session() != nil {
		t.Errorf("a forgotten tab keeps a session")
	}
	if st := tb.status(); !strings.Contains(st, "the tab was closed") {
		t.Errorf("status %q", st)
	}
	if left, _ := filepath.Glob(filepath.Join(h.tmp, "docrun-page-*")); len(left) > 0 {
		t.Errorf("session folders left: %v", left)
	}
}

// TestShutdownWhileEnding: Serve does not return before the sessions the
// janitor is ending are gone (with a cluster: their namespaces deleted).
func TestShutdownWhileEnding(t *testing.T) {
	root := newSite(t, nil)
	// Step 5 leaves a process that ignores SIGTERM: ending the session
	// takes a while (until its SIGKILL).
	writeFile(t, root, helloRel, helloPage+"\n```shell\nsh -c 'trap \"\" TERM; sleep 30' &\n```\n")
	h := start(t, root, []string{helloRel}, Options{})
	a, b := h.openTab(helloRel), h.openTab(helloRel)
	sa := h.session(h.run(helloRel, a, 0, "run"))
	sb := h.session(h.run(helloRel, b, 0, "run"))
	if st := wantStatuses(t, h.run(helloRel, b, 5, "run"), "passed", "notrun", "notrun", "notrun", "notrun", "passed"); st[5].has("stale") {
		t.Fatal("stale")
	}
	h.srv.endLater(h.tab(a), "session ended after a while without use", false)
	h.srv.endLater(h.tab(b), "the tab was closed", true)
	h.cancel()
	if err := <-h.done; err != nil {
		t.Errorf("Serve: %v", err)
	}
	close(h.done)
	sa.checkGone(t)
	sb.checkGone(t)
}

// TestPlaceholders gives a placeholder a value from the step's form: the
// step runs with it, and the field shows it afterwards.
func TestPlaceholders(t *testing.T) {
	const rel = "docs/ph.md"
	root := newSite(t, map[string]string{rel: "---\ntitle: Placeholders\n---\n\n```shell\necho \"hello <greeting-name>\"\n```\n"})
	h := start(t, root, []string{rel}, Options{})
	id := h.openTab(rel)
	page := h.view(rel, id)
	if !strings.Contains(page, `name="set.greeting-name" value=""`) {
		t.Fatalf("no empty field for the placeholder:\n%s", page)
	}
	page = h.run(rel, id, 0, "run")
	if st := wantStatuses(t, page, "skipped"); !strings.Contains(st[0].text(), "needs a value for <greeting-name>") {
		t.Errorf("without a value: %s", st[0].text())
	}
	resp, body := h.do("POST", "/run", url.Values{"tab": {id}, "step": {"0"}, "do": {"run"}, "set.greeting-name": {"world"}}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("run: %s: %s", resp.Status, body)
	}
	page = h.view(rel, id)
	if got := wantStatuses(t, page, "passed")[0].stdout(); got != "hello world" {
		t.Errorf("printed %q, want hello world", got)
	}
	if !strings.Contains(page, `name="set.greeting-name" value="world"`) {
		t.Errorf("the field does not show the value given")
	}
}

// TestRunEdited runs a reader's edit of a step: the edited code runs, the
// page's code stays, and the step shows the command as run.
func TestRunEdited(t *testing.T) {
	const rel = "docs/edit.md"
	root := newSite(t, map[string]string{rel: "---\ntitle: Edit\n---\n\n```shell\necho original\n```\n"})
	h := start(t, root, []string{rel}, Options{})
	id := h.openTab(rel)
	page := h.view(rel, id)
	if !strings.Contains(page, `<textarea name="code"`) || !strings.Contains(page, "echo original\n</textarea>") {
		t.Fatalf("no editor with the step's code:\n%s", page)
	}
	resp, body := h.do("POST", "/run", url.Values{"tab": {id}, "step": {"0"}, "do": {"edited"}, "code": {"echo edited\r\necho '<b>twice</b>'"}}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("run edited: %s: %s", resp.Status, body)
	}
	page = h.view(rel, id)
	st := wantStatuses(t, page, "passed")
	if got := st[0].stdout(); got != "edited\n&lt;b&gt;twice&lt;/b&gt;" {
		t.Errorf("printed %q", got)
	}
	if !strings.Contains(st[0].html, `<div class="ran">`) {
		t.Errorf("the step does not show the command as run:\n%s", st[0].html)
	}
	if !strings.Contains(page, "echo original\n</textarea>") {
		t.Errorf("the editor no longer holds the page's code")
	}
	resp, _ = h.do("POST", "/run", url.Values{"tab": {id}, "step": {"0"}, "do": {"edited"}, "code": {"  \n"}}, nil)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("empty edit: %s, want 400", resp.Status)
	}
}

package serve

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/docrun/docrun/runner"
	"github.com/docrun/docrun/runner/redact/redacttest"
	"github.com/docrun/docrun/runner/redact/redacttest/play"
)

// TestRedactEvents runs the redaction corpus played as the output of
// steps, each case written whole, a byte at a time and in random pieces:
// the output events of each step, stdout and stderr, must be the parts of
// the redaction of the case's text as one text, and the page no secret.
func TestRedactEvents(t *testing.T) {
	f := play.New(t)
	rel := "content/en/docs/corpus.md"
	root := newSite(t, map[string]string{rel: play.Page(f.Cases, redacttest.Ways)})
	r := &runner.Runner{Opts: runner.Options{Only: -1, From: -1, To: -1, StepTimeout: time.Minute, Redactor: f.Red},
		Executors: f.Executors}
	h := start(t, root, []string{rel}, Options{Runner: r})
	id := h.openTab(rel)
	ev := h.events(id)
	fetch := map[string]string{"X-Docrun": "fetch"}
	for pos, code := range f.Codes {
		from := len(ev.all())
		resp, body := h.do("POST", "/run", url.Values{"tab": {id}, "step": {strconv.Itoa(pos)}, "do": {"run"}}, fetch)
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("run %d: %s: %s", pos, resp.Status, body)
		}
		idle := ev.wait(t, from, "idle", "")
		var got [2]string
		for _, e := range ev.all()[from:idle] {
			var o struct {
				Pos          int
				Stream, Text string
			}
			if e.name != "output" {
				continue
			}
			if err := json.Unmarshal([]byte(e.data), &o); err != nil || o.Pos != pos {
				t.Fatalf("output event %s (%v)", e.data, err)
			}
			if o.Stream == "stderr" {
				got[1] += o.Text
			} else {
				got[0] += o.Text
			}
		}
		want, ok := f.Exec.Want(code)
		if !ok || got[0] != want.Stdout || got[1] != want.Stderr {
			t.Errorf("%s: the events show %q %q, want %q %q", code, got[0], got[1], want.Stdout, want.Stderr)
		}
	}
	f.Secrets(t, "the page", h.view(rel, id))
}

// Package play runs the redaction corpus (package redacttest) as the
// output of a page's steps, for the tests of the live output paths of the
// runner, walk, serve and watch --rerun.
package play

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/runner"
	"github.com/docrun/docrun/runner/redact"
	"github.com/docrun/docrun/runner/redact/redacttest"
)

// Executor runs steps whose code is "play CASE WAY": it writes the case's
// pieces, split by way, to the step's live output and returns them as the
// step's output. Before that it redacts the case's text as one with a
// copy of Red (what the live output must equal), kept for Want.
type Executor struct {
	Red   *redact.Redactor
	Cases []*redacttest.Case

	mu   sync.Mutex
	want map[string]redacttest.Want
}

// Page returns a page with a step "play CASE WAY" for each case and way.
func Page(cases []*redacttest.Case, ways []string) string {
	var b strings.Builder
	b.WriteString("---\ntitle: redaction corpus\n---\n\n")
	for _, c := range cases {
		for _, w := range ways {
			fmt.Fprintf(&b, "Play %s, %s.\n\n```shell\nplay %s %s\n```\n\n", c.Name, w, c.Name, w)
		}
	}
	return b.String()
}

// Name implements runner.Executor.
func (e *Executor) Name() string { return "redacttest" }

// Available implements runner.Executor.
func (e *Executor) Available(*markdown.Step) string { return "" }

// Run implements runner.Executor.
func (e *Executor) Run(_ context.Context, x *runner.Exec, _ *markdown.Step, code string, _ time.Duration) (runner.Outcome, error) {
	f := strings.Fields(code)
	if len(f) != 3 || f[0] != "play" {
		return runner.Outcome{}, fmt.Errorf("want play CASE WAY, not %q", code)
	}
	c := e.Case(code)
	if c == nil {
		return runner.Outcome{}, fmt.Errorf("no case %s", f[1])
	}
	e.mu.Lock()
	if e.want == nil {
		e.want = map[string]redacttest.Want{}
	}
	e.want[strings.TrimSpace(code)] = c.Redact(e.Red.Clone())
	e.mu.Unlock()
	var raw [2]strings.Builder
	live := [2]interface{ Write([]byte) (int, error) }{x.Live.Stdout, x.Live.Stderr}
	c.Play(f[2], func(src int, p []byte) {
		raw[src].Write(p)
		if live[src] != nil {
			live[src].Write(p)
		}
	})
	return runner.Outcome{Stdout: raw[0].String(), Stderr: raw[1].String()}, nil
}

// Case returns the case a step's code plays, or nil.
func (e *Executor) Case(code string) *redacttest.Case {
	f := strings.Fields(code)
	for _, c := range e.Cases {
		if len(f) == 3 && c.Name == f[1] {
			return c
		}
	}
	return nil
}

// Saved is what the saved output of the step with code must be once the
// run is over: the case redacted with every value Red knows then.
func (e *Executor) Saved(code string) redacttest.Want {
	return e.Case(code).Redact(e.Red.Clone())
}

// Want returns what the step with code must have shown.
func (e *Executor) Want(code string) (redacttest.Want, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	w, ok := e.want[strings.TrimSpace(code)]
	return w, ok
}

// Fixture is what a test of a live path needs: the corpus, a Redactor
// that knows the corpus's known values, an Executor playing the corpus
// with it, registered for shell steps, and a page with a step for each
// case and way.
type Fixture struct {
	Cases     []*redacttest.Case
	Red       *redact.Redactor
	Exec      *Executor
	Executors *runner.Registry
	Page      string // its path
	Codes     []string
}

// New writes the page in a temporary folder and returns the fixture.
func New(t testing.TB) *Fixture {
	t.Helper()
	f := &Fixture{Cases: redacttest.Load(t), Red: redact.New()}
	for _, c := range f.Cases {
		f.Red.Add(c.Known...)
		for _, w := range redacttest.Ways {
			f.Codes = append(f.Codes, "play "+c.Name+" "+w)
		}
	}
	f.Exec = &Executor{Red: f.Red, Cases: f.Cases}
	f.Executors = runner.NewRegistry()
	f.Executors.Register(f.Exec, "command")
	f.Page = filepath.Join(t.TempDir(), "corpus.md")
	if err := os.WriteFile(f.Page, []byte(Page(f.Cases, redacttest.Ways)), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// Terminal is output as the progress writer shows it live: each line
// indented by six spaces, the last one ended.
func Terminal(s string) string {
	if s == "" {
		return ""
	}
	s = strings.TrimSuffix(s, "\n")
	return "      " + strings.ReplaceAll(s, "\n", "\n      ") + "\n"
}

// Secrets checks that text shows none of the corpus's secrets.
func (f *Fixture) Secrets(t testing.TB, what, text string) {
	t.Helper()
	for _, c := range f.Cases {
		for _, s := range c.Secrets {
			if strings.Contains(text, s) {
				t.Errorf("%s shows %q (case %s)", what, s, c.Name)
			}
		}
	}
}

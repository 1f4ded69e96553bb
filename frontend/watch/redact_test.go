package watch

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docrun/docrun/runner"
	"github.com/docrun/docrun/runner/redact/redacttest/play"
)

// TestRerunRedacts watches (with --rerun) a page that plays the redaction
// corpus as the output of its steps, each case written whole, a byte at a
// time and in random pieces: the report shows no secret, and each step's
// output is the redaction of its case's text as one text, with every value
// known at the end.
func TestRerunRedacts(t *testing.T) {
	f := play.New(t)
	r := &runner.Runner{Opts: runner.Options{Only: -1, From: -1, To: -1, StepTimeout: time.Minute, Redactor: f.Red},
		Executors: f.Executors}
	sess, err := r.Open(context.Background(), f.Page)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close(context.Background())
	out := filepath.Join(t.TempDir(), "page.html")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Watch(ctx, Options{Page: f.Page, Out: out, Session: sess, Parse: r.ParseOptions(f.Page), Generator: "docrun test"})
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Watch: %v", err)
		}
	}()
	var html string
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		data, _ := os.ReadFile(out)
		if html = string(data); strings.Count(html, `badge b-passed">passed`) == len(f.Codes) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the report never showed every step passed:\n%s", html)
		}
	}
	f.Secrets(t, "the report", html)
	for _, st := range sess.Steps() {
		if want := f.Exec.Saved(st.Code); st.Stdout != want.Stdout || st.Stderr != want.Stderr {
			t.Errorf("%s: %q %q, want %q %q", st.Code, st.Stdout, st.Stderr, want.Stdout, want.Stderr)
		}
	}
}

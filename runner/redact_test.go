package runner_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docrun/docrun/frontend/terminal"
	"github.com/docrun/docrun/runner"
	"github.com/docrun/docrun/runner/redact"
	"github.com/docrun/docrun/runner/redact/redacttest/play"

	"github.com/docrun/docrun/result"
)

// TestLiveCorpus runs the redaction corpus as the output of steps, each
// case written whole, a byte at a time and in random pieces, with the
// output shown live on the progress writer (docrun run --live): what the
// terminal shows of each step must be the redaction of the case's text as
// one text, and the saved output its parts.
func TestLiveCorpus(t *testing.T) {
	f := play.New(t)
	var progress bytes.Buffer
	r := &runner.Runner{Opts: runner.Options{Only: -1, From: -1, To: -1, Redactor: f.Red,
		Events: &terminal.Printer{Out: &progress, Live: true, Redactor: f.Red}}, Executors: f.Executors}
	res := r.RunPage(context.Background(), f.Page)
	if res.Error != "" || len(res.Steps) != len(f.Codes) {
		t.Fatalf("run: %q, %d steps", res.Error, len(res.Steps))
	}
	out := progress.String()
	for i, st := range res.Steps {
		want, ok := f.Exec.Want(st.Code)
		if !ok || st.Status != result.Passed {
			t.Fatalf("step %d (%s): %s %s%s", i, st.Code, st.Status, st.Stdout, st.Stderr)
		}
		head := fmt.Sprintf("%d/%d] %s:%d  %s\n", i+1, len(res.Steps), f.Page, st.Line, strings.TrimSpace(st.Code))
		if !strings.Contains(out, head+play.Terminal(want.Merged)+"      => ") {
			_, got, _ := strings.Cut(out, head)
			got, _, _ = strings.Cut(got, "      => ")
			t.Errorf("%s: the terminal shows\n%s\nwant\n%s", st.Code, got, play.Terminal(want.Merged))
		}
	}
	f.Secrets(t, "the terminal", out)
	for _, st := range res.Steps {
		f.Secrets(t, "the saved output of "+st.Code, st.Stdout+st.Stderr)
		// Redacted again with the values learned by later steps.
		if want := f.Exec.Saved(st.Code); st.Stdout != want.Stdout || st.Stderr != want.Stderr {
			t.Errorf("%s: saved %q %q, want %q %q", st.Code, st.Stdout, st.Stderr, want.Stdout, want.Stderr)
		}
	}
}

// TestRunnerRedacts runs a page (without a cluster) whose steps set secret
// variables from commands and print them later, and checks the results and
// the progress output, live output included.
func TestRunnerRedacts(t *testing.T) {
	page := "---\ntitle: secrets\n---\n\n" +
		"```shell\nexport MY_SECRET=s3cr3t-literal\n```\n\n" +
		"```shell\nDB_PASSWORD=$(echo computed-pw-$((1000+234)))\n```\n\n" +
		"```shell\necho \"literal $MY_SECRET\"; echo \"computed $DB_PASSWORD\" >&2; echo fine\n```\n\n" +
		"```shell\nprintf 'no newline %s' \"$DB_PASSWORD\"\n```\n"
	path := filepath.Join(t.TempDir(), "page.md")
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, live := range []bool{false, true} {
		var progress bytes.Buffer
		red := redact.New()
		r := &runner.Runner{Opts: runner.Options{Only: -1, From: -1, To: -1, Redactor: red,
			Events: &terminal.Printer{Out: &progress, Live: live, Redactor: red}}}
		res := r.RunPage(context.Background(), path)
		if res.Error != "" || len(res.Steps) != 4 {
			t.Fatalf("run: %q, %d steps", res.Error, len(res.Steps))
		}
		s := res.Steps[2]
		if s.Stdout != "literal [REDACTED]\nfine\n" || s.Stderr != "computed [REDACTED]\n" {
			t.Errorf("live=%v: stdout %q stderr %q", live, s.Stdout, s.Stderr)
		}
		if got := res.Steps[3].Stdout; got != "no newline [REDACTED]" {
			t.Errorf("live=%v: %q", live, got)
		}
		out := progress.String()
		if strings.Contains(out, "s3cr3t-literal") || strings.Contains(out, "computed-pw-1234") {
			t.Errorf("live=%v: the progress output shows a secret:\n%s", live, out)
		}
		if live && !strings.Contains(out, "fine") {
			t.Errorf("live output missing:\n%s", out)
		}
	}
	// Without a Redactor everything shows.
	r := &runner.Runner{Opts: runner.Options{Only: -1, From: -1, To: -1}}
	if res := r.RunPage(context.Background(), path); !strings.Contains(res.Steps[2].Stdout, "s3cr3t-literal") {
		t.Errorf("no redactor: %q", res.Steps[2].Stdout)
	}
}

// TestRedactRevealedLater: a value printed by a step before the step that
// reveals it (a secret variable set from a command) is hidden in the saved
// result of the run and in a session's result (serve, watch --rerun).
func TestRedactRevealedLater(t *testing.T) {
	page := "---\ntitle: secrets\n---\n\n" +
		"```shell\necho \"early computed-pw-4321\"\n```\n\n" +
		"```shell\nDB_PASSWORD=$(echo computed-pw-$((4000+321)))\n```\n"
	path := filepath.Join(t.TempDir(), "page.md")
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &runner.Runner{Opts: runner.Options{Only: -1, From: -1, To: -1, Redactor: redact.New()}}
	res := r.RunPage(context.Background(), path)
	if got := res.Steps[0].Stdout; got != "early [REDACTED]\n" {
		t.Errorf("run: %q", got)
	}
	r = &runner.Runner{Opts: runner.Options{Only: -1, From: -1, To: -1, Redactor: redact.New()}}
	ps, err := r.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer ps.Close(context.Background())
	if st, _ := ps.Run(0, ""); st.Stdout != "early computed-pw-4321\n" {
		t.Fatalf("step 0: %q", st.Stdout)
	}
	ps.Run(1, "")
	if got := ps.Result().Steps[0].Stdout; got != "early [REDACTED]\n" {
		t.Errorf("session: %q", got)
	}
}

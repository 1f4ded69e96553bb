package redact_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docrun/docrun/runner"
	"github.com/docrun/docrun/runner/redact"
)

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
		r := &runner.Runner{Opts: runner.Options{Only: -1, From: -1, To: -1, Progress: &progress, Live: live,
			Redactor: redact.New()}}
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

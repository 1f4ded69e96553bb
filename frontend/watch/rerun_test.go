package watch

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docrun/docrun/runner"
)

// rerunPage counts the runs of each step in files of a log folder.
const rerunPage = "---\ntitle: Rerun\n---\n\n" +
	"```shell\necho run >> \"$LOG/a\"; export X=one\n```\n\n" +
	"```shell\necho run >> \"$LOG/b\"; echo \"b $X\"\n```\n\n" +
	"```shell\necho run >> \"$LOG/c\"; echo \"c $X\"\n```\n"

// TestRerun watches a page with a session (watch --rerun): every step runs
// once before the first render; after an edit of the second step only the
// second and third run again, in the same shell (X is still set), and the
// report shows their new output.
func TestRerun(t *testing.T) {
	page, _ := site(t, rerunPage)
	logs := t.TempDir()
	t.Setenv("LOG", logs)
	r := &runner.Runner{Opts: runner.Options{Only: -1, From: -1, To: -1, StepTimeout: time.Minute}}
	sess, err := r.Open(context.Background(), page)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close(context.Background())
	out := filepath.Join(t.TempDir(), "page.html")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Watch(ctx, Options{Page: page, Out: out, Session: sess, Parse: r.ParseOptions(page), Generator: "docrun test"})
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Watch: %v", err)
		}
	}()
	runs := func(step string) int {
		data, _ := os.ReadFile(filepath.Join(logs, step))
		return strings.Count(string(data), "run")
	}
	waitFor(t, out, "the first run's output", contains("c one"))
	if a, b, c := runs("a"), runs("b"), runs("c"); a != 1 || b != 1 || c != 1 {
		t.Fatalf("first run: steps ran %d, %d, %d times, want once each", a, b, c)
	}
	write(t, page, strings.Replace(rerunPage, `echo "b $X"`, `echo "B2 $X"`, 1))
	html := waitFor(t, out, "the re-run's output", contains("B2 one"))
	if a, b, c := runs("a"), runs("b"), runs("c"); a != 1 || b != 2 || c != 2 {
		t.Errorf("after the edit of step 1: steps ran %d, %d, %d times, want 1, 2, 2", a, b, c)
	}
	if n := strings.Count(html, `badge b-passed">passed`); n != 3 {
		t.Errorf("%d steps passed in the report, want 3", n)
	}
	// A prose edit runs nothing.
	edited := strings.Replace(rerunPage, `echo "b $X"`, `echo "B2 $X"`, 1)
	write(t, page, strings.Replace(edited, "title: Rerun", "title: Rerun again", 1))
	waitFor(t, out, "the new title", contains("Rerun again"))
	if a, b, c := runs("a"), runs("b"), runs("c"); a != 1 || b != 2 || c != 2 {
		t.Errorf("after the title edit: steps ran %d, %d, %d times, want 1, 2, 2", a, b, c)
	}
}

package walk

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docrun/docrun/frontend/terminal"
	"github.com/docrun/docrun/runner"

	"github.com/docrun/docrun/result"
)

const page = "---\ntitle: Walk test\n---\n\n## First\n\n" +
	"Count the runs. This sentence is long enough to be wrapped at a width of forty columns.\n\n" +
	"```shell\nN=$((${N:-0}+1)); echo \"run $N\"\n```\n\n" +
	"## Second\n\nSkip me.\n\n```shell\necho skipped-step\n```\n\n" +
	"Edit me.\n\n```shell\necho original\n```\n\n" +
	"Name it:\n\n```shell\necho hello <pod-name>\n```\n\n" +
	"A manifest:\n\n```yaml\napiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n```\n\n" +
	"Last.\n\n```shell\necho last\n```\n"

// TestWalk walks a page with every key: run, skip, edit, re-run (of the
// edited step), a placeholder with a default, a manifest passed over, quit.
func TestWalk(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "page.md")
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("EDITOR", `sh -c 'echo "echo edited \$N" > "$1"' sh`)
	var out bytes.Buffer
	r := &runner.Runner{Opts: runner.Options{Only: -1, From: -1, To: -1, Events: &terminal.Printer{Out: &out, Live: true},
		Set: map[string]string{"pod": "web-0"}}}
	ps, err := r.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer ps.Close(context.Background())
	in := strings.NewReader("\ns\nx\ne\nr\n\n\nq\n")
	err = Walk(context.Background(), ps, Options{In: in, Out: &out, Width: 40})
	if !errors.Is(err, ErrQuit) {
		t.Errorf("Walk = %v, want ErrQuit", err)
	}
	got := out.String()
	t.Log(got)
	for _, want := range []string{
		"Walk test\n",
		"## First\n",
		"Count the runs. This sentence is long\nenough to be wrapped at a width of forty\ncolumns.\n",
		"    N=$((${N:-0}+1)); echo \"run $N\"\n",
		"      run 1\n",
		"## Second\n",
		"Skip me.\n",
		"  skipped\n",
		help,
		"      edited 1\n",
		"re-running step 3\n",
		"value for <pod-name> [web-0]: ",
		"      hello web-0\n",
		"[5/6] manifest, line",
		"    apiVersion: v1\n",
		"passed over: a manifest",
		"Last.\n",
		"summary: 6 steps: 3 passed, 0 failed, 2 skipped, 0 timeout, 1 not reached",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Count(got, "      edited 1\n") != 2 {
		t.Errorf("the edited command did not run twice (edit, re-run)")
	}
	if strings.Contains(got, "skipped-step") && strings.Contains(got, "      skipped-step") {
		t.Errorf("the skipped step ran")
	}
	steps := ps.Steps()
	want := []result.Status{result.Passed, result.Skipped, result.Passed, result.Passed, result.Skipped, ""}
	for i, st := range steps {
		if st.Status != want[i] {
			t.Errorf("step %d: %q, want %q", i, st.Status, want[i])
		}
	}
}

// TestWalkCancel ends a walkthrough waiting for a key when the context is
// cancelled.
func TestWalkCancel(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "page.md")
	os.WriteFile(path, []byte(page), 0o644)
	var out bytes.Buffer
	r := &runner.Runner{Opts: runner.Options{Only: -1, From: -1, To: -1}}
	ps, err := r.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer ps.Close(context.Background())
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- Walk(ctx, ps, Options{In: pr, Out: &out}) }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Walk = %v, want context.Canceled", err)
	}
}

func TestWrap(t *testing.T) {
	cases := []struct{ in, want string }{
		{"a b c", "a b c\n"},
		{"aaaa bbbb cccc", "aaaa\nbbbb\ncccc\n"},
		{"- item one two", "- item\n  one\n  two\n"},
		{"abcdefghij", "abcdef\nghij\n"},
		{"one\n\ntwo", "one\n\ntwo\n"},
	}
	for _, c := range cases {
		if got := wrap(c.in, 6); got != c.want {
			t.Errorf("wrap(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	b := map[string]result.Binding{"namespace": {Value: "docrun-x"}, "node-name": {Value: "n1"}, "pod_name": {Value: "web"}}
	for name, want := range map[string]string{"pod-name": "web", "your-namespace": "docrun-x", "node": "n1", "secret-name": ""} {
		if got := suggest(name, b); got != want {
			t.Errorf("suggest(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestHighlight(t *testing.T) {
	w := &walker{o: Options{Color: true}}
	got := w.code("kubectl get pods\n", "shell")
	if !strings.Contains(got, "\x1b[") || !strings.Contains(got, "kubectl") {
		t.Errorf("not highlighted: %q", got)
	}
	w.o.Color = false
	if got := w.code("kubectl get pods\n", "shell"); got != "    kubectl get pods\n" {
		t.Errorf("plain: %q", got)
	}
}

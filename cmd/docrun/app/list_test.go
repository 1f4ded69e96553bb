package app

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/cli-runtime/pkg/genericiooptions"
)

func runMain(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(args, genericiooptions.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut})
	return code, out.String(), errOut.String()
}

func writePage(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestListTableAndJSON(t *testing.T) {
	p := writePage(t, "page.md", "---\ntitle: T\n---\n\n```shell\nkubectl get pods <pod-name>\n```\n")
	code, out, errOut := runMain(t, "list", p)
	if code != 0 || !strings.Contains(out, "kubectl get pods <pod-name>") || !strings.Contains(out, "<pod-name>") {
		t.Fatalf("list: %d %q %q", code, out, errOut)
	}
	code, out, _ = runMain(t, "list", "-o", "json", p)
	if code != 0 {
		t.Fatalf("list -o json: %d", code)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	for _, k := range []string{"path", "title", "lang", "front", "steps"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("JSON has no %q", k)
		}
	}
	step := doc["steps"].([]any)[0].(map[string]any)
	for _, k := range []string{"index", "line", "kind", "lang", "code", "section", "runnable", "reason", "background", "interactive", "network", "host", "placeholders", "expected"} {
		if _, ok := step[k]; !ok {
			t.Errorf("step JSON has no %q", k)
		}
	}
	if step["line"].(float64) != 5 || step["placeholders"].([]any)[0] != "pod-name" {
		t.Errorf("step = %v", step)
	}
}

// TestListErrors checks exit codes and that errors are one line with the
// page's file:line and never a stack trace.
func TestListErrors(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.md")
	if err := os.WriteFile(big, bytes.Repeat([]byte("a\n"), 6<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "latin1.md")
	if err := os.WriteFile(bad, []byte("---\ntitle: x\n---\n\ncaf\xe9\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unterminated front matter", []string{"list", writePage(t, "a.md", "---\ntitle: x\n")}, 1, "a.md:1: front matter"},
		{"unterminated shortcode", []string{"list", writePage(t, "b.md", "---\ntitle: x\n---\n\n{{< note \n")}, 1, "b.md:5: "},
		{"invalid yaml", []string{"list", writePage(t, "c.md", "---\ntitle: [x\n---\n")}, 1, "c.md:2: invalid front matter"},
		{"nested too deep", []string{"list", writePage(t, "f.md", "---\ntitle: x\n---\n\n"+strings.Repeat("- ", 40)+"a\n")}, 1, "f.md:5: lists, block quotes or footnotes are too deeply nested"},
		{"brackets", []string{"list", writePage(t, "g.md", "---\ntitle: x\n---\n\n"+strings.Repeat("[", 5000)+"\n")}, 1, "g.md:5: too many brackets in one paragraph"},
		{"unclosed callout", []string{"list", writePage(t, "e.md", "---\ntitle: x\n---\n\n{{< note >}}\n{{% caution %}}\nx\n{{< /note >}}\n")}, 1, "e.md:6: {{% caution %}} is not closed"},
		{"missing include", []string{"list", writePage(t, "d.md", "---\ntitle: x\n---\n\n{{< include \"nope.md\" >}}\n")}, 1, "d.md:5: include \"nope.md\" not found"},
		{"not utf-8", []string{"list", bad}, 1, "latin1.md:5: not valid UTF-8"},
		{"not a regular file", []string{"list", "/dev/null"}, 1, "/dev/null: not a regular file"},
		{"too large", []string{"list", big}, 1, "more than the 10 MB"},
		{"missing file", []string{"list", filepath.Join(dir, "none.md")}, 1, "none.md: no such file"},
		{"bad flag", []string{"list", "--nope", big}, 2, "unknown flag: --nope"},
		{"no args", []string{"list"}, 2, "requires at least 1 arg"},
		{"bad output", []string{"list", "-o", "xml", big}, 2, "--output \"xml\""},
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, errOut := runMain(t, c.args...)
			if code != c.code || !strings.Contains(errOut, c.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errOut, c.code, c.want)
			}
			if strings.Contains(errOut, "goroutine") || strings.Contains(errOut, "panic") {
				t.Errorf("stack trace: %s", errOut)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runMain(t, "version")
	if code != 0 || !strings.HasPrefix(out, "docrun ") {
		t.Errorf("version: %d %q", code, out)
	}
}

func TestListCorpus(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "..", "shared", "corpus", "content")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus not found at %s: %v", dir, err)
	}
	code, out, errOut := runMain(t, "list", "-o", "json", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var docs []map[string]any
	if err := json.Unmarshal([]byte(out), &docs); err != nil {
		t.Fatal(err)
	}
	if len(docs) < 41 {
		t.Errorf("%d pages, want at least 41", len(docs))
	}
}

// TestPathProblems: a symlink loop is named as one, and a folder without
// pages is an error for every command that takes folders.
func TestPathProblems(t *testing.T) {
	dir := t.TempDir()
	loop := filepath.Join(dir, "loop.md")
	if err := os.Symlink("loop.md", loop); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	withLoop := filepath.Join(dir, "withloop")
	for _, d := range []string{empty, withLoop} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("a.md", filepath.Join(withLoop, "a.md")); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"list", loop}, loop + ": a symlink loop"},
		{[]string{"render", loop, "-o", out}, loop + ": a symlink loop"},
		{[]string{"run", "--dry-run", loop}, loop + ": a symlink loop"},
		{[]string{"list", withLoop}, filepath.Join(withLoop, "a.md") + ": a symlink loop"},
		{[]string{"walk", loop}, loop + ": a symlink loop"},
		{[]string{"watch", loop, "-o", filepath.Join(out, "w.html")}, loop + ": a symlink loop"},
		{[]string{"list", empty}, "no pages under " + empty},
		{[]string{"render", empty, "-o", out}, "no pages under " + empty},
		{[]string{"run", "--dry-run", empty}, "no pages under " + empty},
	}
	for _, c := range cases {
		code, stdout, stderr := runMain(t, c.args...)
		if code != ExitFail || !strings.Contains(stdout+stderr, c.want) {
			t.Errorf("%v: exit %d, output %q; want exit 1 and %q", c.args, code, stdout+stderr, c.want)
		}
		if strings.Contains(stdout+stderr, "no such file") {
			t.Errorf("%v: %q calls a symlink loop missing", c.args, stdout+stderr)
		}
	}
}

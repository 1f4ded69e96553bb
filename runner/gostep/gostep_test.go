package gostep

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/runner"
)

// These tests build small standard-library programs with the real go
// command in a fresh cache; the client-go builds are the end-to-end tests'.

func needGo(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go is not on PATH")
	}
}

// newExecutor returns an executor with an empty cache, building against
// the client-go release of docrun's go.mod (test binaries carry no module
// build information).
func newExecutor(t *testing.T) *Executor {
	t.Helper()
	return &Executor{CacheDir: t.TempDir(), Release: moduleRelease(t)}
}

func moduleRelease(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	v := required(b)["k8s.io/client-go"]
	if v == "" {
		t.Fatal("docrun's go.mod does not require k8s.io/client-go")
	}
	return v
}

func run(t *testing.T, e *Executor, x *runner.Exec, code string) runner.Outcome {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	st := &markdown.Step{Kind: markdown.KindGo, Lang: "go", Code: code, Line: x.Line}
	if why := e.Available(st); why != "" {
		t.Fatalf("not available: %s", why)
	}
	out, err := e.Run(ctx, x, st, code, time.Minute)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return out
}

func binaries(t *testing.T, dir string) []string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, "k8s-*", "bin", "[0-9a-f]*"))
	return m
}

func TestCompileErrorAtPageLine(t *testing.T) {
	needGo(t)
	e := newExecutor(t)
	code := "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(foo)\n}\n"
	// go writes a page near the cache relative to its folder.
	near := filepath.Join(filepath.Dir(e.CacheDir), "site", "page.md")
	for _, page := range []string{"content/en/docs/page.md", "/abs/site/page.md", near} {
		x := &runner.Exec{Dir: t.TempDir(), Page: page, Line: 197}
		out := run(t, e, x, code)
		// The fence is on line 197, package main on 198, the call on 203.
		want := page + ":203: undefined: foo"
		if out.ExitCode != 1 || !strings.Contains(out.Stderr, want) {
			t.Errorf("exit %d, stderr %q; want exit 1 and %q", out.ExitCode, out.Stderr, want)
		}
		if strings.Contains(out.Stderr, "docrun.local") || strings.Contains(out.Stderr, e.CacheDir) {
			t.Errorf("stderr names the cache: %q", out.Stderr)
		}
	}
}

func TestCachedRunWithoutGo(t *testing.T) {
	needGo(t)
	e := newExecutor(t)
	code := "package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc main() {\n\twd, _ := os.Getwd()\n\tfmt.Println(\"hello\", os.Getenv(\"GREETING\"), wd)\n\tos.Exit(3)\n}\n"
	work := t.TempDir()
	x := &runner.Exec{Dir: work, Page: "p.md", Line: 10}
	t.Setenv("GREETING", "world")
	first := run(t, e, x, code)
	if first.ExitCode != 3 || first.Stdout != "hello world "+work+"\n" {
		t.Fatalf("first run: exit %d stdout %q stderr %q", first.ExitCode, first.Stdout, first.Stderr)
	}
	// No go command on PATH: the cached binary runs, in a new executor
	// (a new docrun process) too.
	t.Setenv("PATH", t.TempDir())
	for _, ex := range []*Executor{e, {CacheDir: e.CacheDir, Release: e.Release}} {
		again := run(t, ex, x, code)
		if again.ExitCode != 3 || again.Stdout != first.Stdout {
			t.Errorf("cached run: exit %d stdout %q stderr %q", again.ExitCode, again.Stdout, again.Stderr)
		}
	}
	// A step never built is skipped for want of a toolchain.
	if why := e.Available(&markdown.Step{Code: "package main\nfunc main() {}\n"}); why != NoToolchain {
		t.Errorf("Available = %q, want %q", why, NoToolchain)
	}
}

func TestKubeconfigPathKeepsTheCache(t *testing.T) {
	needGo(t)
	e := newExecutor(t)
	page := "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"config:\", \"<path-to-kubeconfig>\")\n}\n"
	named := "package main\n\nimport \"fmt\"\n\ntype path string\n\nfunc main() {\n\tvar p path = \"<path-to-kubeconfig>\"\n\tfmt.Println(\"config:\", p)\n}\n"
	for _, tc := range []struct {
		name, code string
		bins       int
	}{
		{"literal becomes a variable", page, 1},
		// A named string type cannot take the variable: built as written,
		// once per run.
		{"named string type", named, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(binaries(t, e.CacheDir))
			for i := 0; i < 2; i++ {
				dir := t.TempDir()
				kc := filepath.Join(dir, "kubeconfig")
				x := &runner.Exec{Dir: dir, Kubeconfig: kc, Page: "p.md", Line: 1}
				code := strings.ReplaceAll(tc.code, "<path-to-kubeconfig>", kc)
				out := run(t, e, x, code)
				if out.ExitCode != 0 || out.Stdout != "config: "+kc+"\n" {
					t.Fatalf("run %d: exit %d stdout %q stderr %q", i, out.ExitCode, out.Stdout, out.Stderr)
				}
			}
			// The failed attempt of the named type leaves a marker, not a
			// binary; each run's plain build is a binary.
			if got := len(binaries(t, e.CacheDir)) - before; got != tc.bins {
				t.Errorf("%d new cache files, want %d: %v", got, tc.bins, binaries(t, e.CacheDir))
			}
		})
	}
}

func TestTimeoutKillsTheProgram(t *testing.T) {
	needGo(t)
	e := newExecutor(t)
	code := "package main\n\nimport \"time\"\n\nfunc main() { time.Sleep(time.Minute) }\n"
	x := &runner.Exec{Dir: t.TempDir(), Page: "p.md", Line: 1}
	st := &markdown.Step{Kind: markdown.KindGo, Code: code}
	// Build first: the timeout bounds the run, not the build.
	if _, err := e.Run(context.Background(), x, st, strings.Replace(code, "time.Minute", "0", 1), time.Minute); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	out, err := e.Run(context.Background(), x, st, code, 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if !out.TimedOut || time.Since(start) > 30*time.Second {
		t.Errorf("timed out %v after %s", out.TimedOut, time.Since(start))
	}
}

func TestRelease(t *testing.T) {
	dir := t.TempDir()
	if err := writeFileAtomic(filepath.Join(dir, "releases", "client-go-v0.36"), []byte("v0.36.6\n")); err != nil {
		t.Fatal(err)
	}
	e := &Executor{CacheDir: dir, Release: "v0.37.2"}
	for _, tc := range []struct {
		minor int
		want  string
	}{
		{0, "v0.37.2"},  // unknown server version: docrun's own
		{37, "v0.37.2"}, // the same minor: docrun's own, in the module cache already
		{36, "v0.36.6"}, // found before (no go command is asked here)
		{35, "v0.37.2"}, // not found (no go command): docrun's own
	} {
		got, err := e.release(context.Background(), toolchain{}, tc.minor)
		if err != nil || got != tc.want {
			t.Errorf("release(%d) = %q, %v; want %q", tc.minor, got, err, tc.want)
		}
	}
}

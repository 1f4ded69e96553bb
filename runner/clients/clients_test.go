package clients

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/docrun/docrun/runner"
	"github.com/docrun/docrun/runner/session"
)

func TestProcessRun(t *testing.T) {
	for _, tc := range []struct {
		name    string
		script  string
		timeout time.Duration
		want    runner.Outcome
	}{
		{"output and exit code", `echo out; echo err >&2; exit 3`, 0, runner.Outcome{ExitCode: 3, Stdout: "out\n", Stderr: "err\n"}},
		{"stdin is empty", `cat; echo done`, 0, runner.Outcome{Stdout: "done\n"}},
		{"environment and folder", `echo "$GREETING $(basename "$PWD")"`, 0, runner.Outcome{Stdout: "hello work\n"}},
		{"signal", `kill -TERM $$`, 0, runner.Outcome{ExitCode: 143}},
		{"timeout", `echo started; sleep 30`, 300 * time.Millisecond, runner.Outcome{ExitCode: 124, Stdout: "started\n", TimedOut: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "work")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			p := Process{Path: "/bin/sh", Args: []string{"-c", tc.script}, Env: []string{"GREETING=hello", "PATH=" + os.Getenv("PATH")}, Dir: dir, Timeout: tc.timeout}
			got, err := p.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestProcessKillsGroup checks that a timeout ends the program's children,
// which keep its output open, without waiting for them.
func TestProcessKillsGroup(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	var live bytes.Buffer
	p := Process{Path: "/bin/sh", Args: []string{"-c", "sleep 60 & echo $! > " + pidFile + "; echo live; wait"},
		Timeout: 500 * time.Millisecond, Live: session.Output{Stdout: &live}}
	start := time.Now()
	got, err := p.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !got.TimedOut || time.Since(start) > 10*time.Second {
		t.Fatalf("timed out %v after %s", got.TimedOut, time.Since(start))
	}
	if live.String() != "live\n" {
		t.Errorf("live output %q", live.String())
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid := strings.TrimSpace(string(b))
	deadline := time.Now().Add(5 * time.Second)
	for {
		// A zombie (Z) no longer runs; kill -0 would still find it.
		out, _ := exec.Command("ps", "-o", "stat=", "-p", pid).Output()
		if s := strings.TrimSpace(string(out)); s == "" || strings.HasPrefix(s, "Z") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("child %s still running", pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestProcessCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	got, err := Process{Path: "/bin/sh", Args: []string{"-c", "sleep 30"}, Timeout: time.Minute}.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Canceled || got.ExitCode != 130 {
		t.Errorf("got %+v", got)
	}
}

func TestEnv(t *testing.T) {
	env := []string{"A=1", "B=2", "A=3"}
	if got := SetEnv(env, "A", "4"); !reflect.DeepEqual(got, []string{"B=2", "A=4"}) {
		t.Errorf("SetEnv = %q", got)
	}
	for _, tc := range []struct {
		name, want string
		ok         bool
	}{{"A", "3", true}, {"B", "2", true}, {"C", "", false}} {
		if v, ok := LookEnv(env, tc.name); v != tc.want || ok != tc.ok {
			t.Errorf("LookEnv(%s) = %q %v", tc.name, v, ok)
		}
	}
}

func TestWriteScriptKeepsPageLines(t *testing.T) {
	x := &runner.Exec{Dir: t.TempDir(), Page: "/site/content/en/page.md", Line: 216}
	path, dir, err := writeScript(x, "print(1)\nprint(2)\n", ".py")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if filepath.Base(path) != "page.md.py" || filepath.Dir(dir) != x.Dir {
		t.Errorf("script at %s", path)
	}
	b, _ := os.ReadFile(path)
	lines := strings.Split(string(b), "\n")
	// The fence is on line 216: the code's first line is the page's 217.
	if lines[216] != "print(1)" || lines[217] != "print(2)" {
		t.Errorf("line 217 is %q", lines[216])
	}
}

// fakePython writes an interpreter that imports kubernetes or not.
func fakePython(t *testing.T, dir, name string, ok bool) string {
	t.Helper()
	code := 1
	if ok {
		code = 0
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\nexit "+string(rune('0'+code))+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestProbePython(t *testing.T) {
	dir := t.TempDir()
	without := fakePython(t, dir, "py-without", false)
	with := fakePython(t, dir, "py-with", true)
	other := fakePython(t, dir, "py-other", true)
	for _, tc := range []struct {
		name  string
		cands []string
		want  string
	}{
		{"first that imports", []string{without, with, other}, with},
		{"order", []string{other, with}, other},
		{"none", []string{without, filepath.Join(dir, "missing")}, ""},
		{"on PATH", []string{"py-with"}, with},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("PATH", dir)
			if got := probePython(tc.cands); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	p := &Python{Candidates: []string{without}}
	if why := p.Available(nil); why != PythonReason {
		t.Errorf("Available = %q", why)
	}
}

func TestJavaScriptNeedsSetup(t *testing.T) {
	t.Setenv(CacheEnv, t.TempDir())
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not on PATH")
	}
	if why := NewJavaScript().Available(nil); why != JavaScriptReason {
		t.Errorf("Available = %q, want %q", why, JavaScriptReason)
	}
	dir, _ := NodeDir()
	pkg := filepath.Join(dir, "node_modules", NodeClient, "package.json")
	if err := os.MkdirAll(filepath.Dir(pkg), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pkg, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if why := NewJavaScript().Available(nil); why != "" {
		t.Errorf("Available after setup = %q", why)
	}
}

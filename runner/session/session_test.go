package session

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func start(t testing.TB) *Session {
	t.Helper()
	s, err := Start(Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
		if left := s.Processes(); len(left) > 0 {
			t.Errorf("processes left after Close: %v", left)
		}
	})
	return s
}

func run(t testing.TB, s *Session, code string) Result {
	t.Helper()
	r, err := s.Run(context.Background(), code, 10*time.Second, Output{})
	if err != nil {
		t.Fatalf("run %q: %v", code, err)
	}
	return r
}

// TestStateAcrossSteps checks that what a reader sets up in one step is
// there in the next, as in one terminal.
func TestStateAcrossSteps(t *testing.T) {
	s := start(t)
	steps := []struct{ code, stdout string }{
		{"X=1; export Y=two; declare -A M=([k]=v)", ""},
		{`echo "$X $Y ${M[k]}"`, "1 two v\n"},
		{`bash -c 'echo "child sees ${X:-unset} $Y"'`, "child sees unset two\n"},
		{"mkdir -p sub/dir && cd sub/dir", ""},
		{"basename \"$PWD\"", "dir\n"},
		{"greet() { echo \"hello $1\"; }", ""},
		{"greet page", "hello page\n"},
		{"alias ll='echo aliased'", ""},
		{"ll", "aliased\n"},
		{"set -o pipefail; shopt -s nullglob", ""},
		{"false | true; echo $?; echo none*", "1\n\n"},
		{"cat <<EOF\nheredoc $X\nEOF", "heredoc 1\n"},
	}
	for _, st := range steps {
		r := run(t, s, st.code)
		if r.ExitCode != 0 || r.Stdout != st.stdout {
			t.Errorf("%q: exit %d stdout %q stderr %q, want stdout %q", st.code, r.ExitCode, r.Stdout, r.Stderr, st.stdout)
		}
	}
}

func TestStreamsAndStatus(t *testing.T) {
	s := start(t)
	var live bytes.Buffer
	r, err := s.Run(context.Background(), "echo out; echo err >&2; printf 'no newline'; exit_code() { return 3; }; exit_code", 0, Output{Stdout: &live})
	if err != nil {
		t.Fatal(err)
	}
	if r.Stdout != "out\nno newline" || r.Stderr != "err\n" || r.ExitCode != 3 {
		t.Errorf("got %+v", r)
	}
	if live.String() != r.Stdout {
		t.Errorf("live stdout %q, captured %q", live.String(), r.Stdout)
	}
	if r := run(t, s, "cat; read -r line; echo read=$?"); r.Stdout != "read=1\n" {
		t.Errorf("stdin is not closed: %+v", r)
	}
	if r := run(t, s, "if then"); r.ExitCode != 2 || !strings.Contains(r.Stderr, "syntax error") {
		t.Errorf("syntax error: %+v", r)
	}
	if r := run(t, s, "echo still alive"); r.Stdout != "still alive\n" {
		t.Errorf("after a syntax error: %+v", r)
	}
	big := run(t, s, "head -c 1000000 /dev/zero | tr '\\0' x")
	if len(big.Stdout) != 1000000 {
		t.Errorf("large output: %d bytes", len(big.Stdout))
	}
}

// TestTimeoutKillsStepTree checks that a step past its timeout is stopped
// with its whole process tree, that background jobs of earlier steps and
// the shell's state survive, and that a busy builtin loop is stopped too.
func TestTimeoutKillsStepTree(t *testing.T) {
	s := start(t)
	run(t, s, "KEEP=kept; sleep 300 &")
	bg := strings.TrimSpace(run(t, s, "echo $!").Stdout)
	r, err := s.Run(context.Background(), "bash -c 'sleep 301 & sleep 302'; echo not reached", 300*time.Millisecond, Output{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.TimedOut || r.Ended || strings.Contains(r.Stdout, "not reached") {
		t.Fatalf("got %+v", r)
	}
	time.Sleep(50 * time.Millisecond)
	for _, pid := range s.Processes() {
		cmdline, _ := os.ReadFile(filepath.Join("/proc", fmt.Sprint(pid), "cmdline"))
		if bytes.Contains(cmdline, []byte("sleep\x00301")) || bytes.Contains(cmdline, []byte("sleep\x00302")) {
			t.Errorf("process of the timed-out step still runs: %d %q", pid, cmdline)
		}
	}
	if err := syscall.Kill(atoi(bg), 0); err != nil {
		t.Errorf("background job of an earlier step was killed: %v", err)
	}
	r, _ = s.Run(context.Background(), "while :; do :; done", 200*time.Millisecond, Output{})
	if !r.TimedOut || r.Ended {
		t.Fatalf("busy loop: %+v", r)
	}
	if r := run(t, s, "echo $KEEP"); r.Stdout != "kept\n" {
		t.Errorf("state lost after timeouts: %+v", r)
	}
}

func atoi(s string) int {
	var n int
	fmt.Sscan(s, &n)
	return n
}

// TestCloseEndsEverything checks that Close ends background jobs, their
// children and processes that left the shell's tree (setsid).
func TestCloseEndsEverything(t *testing.T) {
	s, err := Start(Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	run(t, s, "sleep 303 & (sleep 304 &) ; setsid sleep 305 & trap '' TERM; bash -c 'trap \"\" TERM; sleep 306' &")
	time.Sleep(100 * time.Millisecond)
	if n := len(s.Processes()); n < 5 {
		t.Fatalf("expected at least 5 processes, found %d", n)
	}
	if err := s.CloseGrace(300 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command("pgrep", "-f", "sleep 30[3-6]").Output()
	if len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("processes left: %s", out)
	}
	if _, err := s.Run(context.Background(), "true", 0, Output{}); err != ErrEnded {
		t.Errorf("Run after Close: %v", err)
	}
}

func TestExitEndsSession(t *testing.T) {
	s := start(t)
	r, err := s.Run(context.Background(), "echo bye; exit 7", time.Second, Output{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Ended || r.ExitCode != 7 || r.Stdout != "bye\n" {
		t.Errorf("got %+v", r)
	}
	if _, err := s.Run(context.Background(), "true", 0, Output{}); err != ErrEnded {
		t.Errorf("Run after exit: %v", err)
	}
}

func TestCancel(t *testing.T) {
	s := start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	r, err := s.Run(ctx, "sleep 307", 0, Output{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Canceled {
		t.Errorf("got %+v", r)
	}
}

// BenchmarkSteps runs 200 trivial steps per iteration in one session;
// BenchmarkOneScript runs the same commands as one bash script, the floor
// any runner can reach. Their difference per step is docrun's overhead.
func BenchmarkSteps(b *testing.B) {
	s := start(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := 0; j < 200; j++ {
			if _, err := s.Run(context.Background(), "echo step "+fmt.Sprint(j), time.Minute, Output{}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*200), "µs/step")
}

func BenchmarkOneScript(b *testing.B) {
	var script strings.Builder
	for j := 0; j < 200; j++ {
		fmt.Fprintf(&script, "echo step %d\n", j)
	}
	for i := 0; i < b.N; i++ {
		if err := exec.Command("bash", "--norc", "--noprofile", "-c", script.String()).Run(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*200), "µs/step")
}

func TestState(t *testing.T) {
	s := start(t)
	run(t, s, "export A='with space'; B=unexported; mkdir -p d && cd d")
	env, dir, err := s.State(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(dir) != "d" {
		t.Errorf("dir %q", dir)
	}
	joined := strings.Join(env, "\n")
	if !strings.Contains(joined, "A=with space") || strings.Contains(joined, "B=unexported") || !strings.Contains(joined, EnvMarker+"=") {
		t.Errorf("env:\n%s", joined)
	}
}

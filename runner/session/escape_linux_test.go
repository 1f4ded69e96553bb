package session

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// escapes are ways a page's process can try to outlive the page. Each
// starts a sleep whose argument (%d) is unique to the test, so what is
// left can be found in /proc.
var escapes = []struct {
	name, code string
	// marksOnly is set when, without a cgroup, the session cannot tell the
	// process from another page's (it dropped every mark within its step).
	marksOnly bool
}{
	{name: "background job", code: "sleep %d &"},
	{name: "subshell double fork", code: "(sleep %d &)"},
	{name: "double fork through sh", code: "sh -c 'sleep %d & exit'"},
	{name: "setsid", code: "setsid sleep %d &"},
	{name: "setsid -f env -i", code: "setsid -f env -i sleep %d"},
	{name: "setsid -f env -i, output dropped", code: "setsid -f env -i sleep %d >/dev/null 2>&1", marksOnly: true},
	{name: "setsid -f env -i, output closed", code: "setsid -f env -i sleep %d <&- >&- 2>&-", marksOnly: true},
	{name: "nohup", code: "nohup sleep %d &"},
	{name: "nohup setsid env -i", code: "nohup setsid -f env -i sleep %d"},
	{name: "disown", code: "sleep %d & disown"},
	{name: "trap '' TERM", code: "trap '' TERM; sleep %d &"},
	{name: "trap '' TERM in a child", code: `bash -c 'trap "" TERM; sleep %d; :' &`},
	{name: "all at once", code: `setsid -f bash -c 'trap "" TERM HUP; exec env -i sleep %d' </dev/null >/dev/null 2>&1`, marksOnly: true},
}

// modes are the ways a session can follow its processes; each available
// one is tested.
var modes = []struct {
	name string
	mode cgroupMode
	// noKillFile tests the kernels without cgroup.kill (before 5.14).
	noKillFile bool
}{
	{name: "auto", mode: cgroupAuto}, // v2 with cgroup.kill where it can
	{name: "cgroup v2 freeze", mode: cgroupV2, noKillFile: true},
	{name: "cgroup v1 freezer", mode: cgroupV1Freezer},
	{name: "subreaper", mode: cgroupNone},
}

// startMode starts a session in the given mode; it skips when the mode's
// cgroup cannot be made here.
func startMode(t *testing.T, m cgroupMode, noKillFile bool) *Session {
	t.Helper()
	s, err := Start(Options{Dir: t.TempDir(), cgroups: m})
	if err != nil {
		t.Fatal(err)
	}
	if m != cgroupAuto && m != cgroupNone && s.cg == nil {
		s.Close()
		t.Skipf("no cgroup here: %v", s.cgroupError)
	}
	if s.cg != nil {
		s.cg.noKillFile = noKillFile
	}
	t.Logf("isolation: %v", s.cg)
	return s
}

// TestEscapesEndWithThePage checks that whatever way a step's process
// leaves the shell, it ends when the session closes, its exit is
// collected, and Close returns without waiting for it.
func TestEscapesEndWithThePage(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			for _, e := range escapes {
				t.Run(e.name, func(t *testing.T) {
					s := startMode(t, m.mode, m.noKillFile)
					n := uniqueSleep()
					runOK(t, s, fmt.Sprintf(e.code, n))
					waitFor(t, n, 1)
					start := time.Now()
					err := s.CloseGrace(300 * time.Millisecond)
					t.Logf("Close took %v", time.Since(start).Round(time.Millisecond))
					left := findSleep(n)
					if s.cg == nil && e.marksOnly {
						// Where no cgroup follows the process, docrun's exit does.
						t.Logf("left by Close: %v", left)
						if got := EndOrphans(); len(left) > 0 && got == 0 {
							t.Errorf("EndOrphans ended nothing; left: %v", left)
						}
						time.Sleep(100 * time.Millisecond)
						left = findSleep(n)
					} else if err != nil {
						t.Errorf("Close: %v", err)
					}
					if len(left) > 0 {
						killAll(left)
						t.Errorf("processes left after Close: %v", left)
					}
					if z := zombieChildren(); len(z) > 0 {
						var stats []string
						for _, pid := range z {
							stat, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
							stats = append(stats, string(stat))
						}
						t.Errorf("exits not collected (zombies): %v", stats)
					}
				})
			}
		})
	}
}

// TestSessionsSideBySide checks that sessions running at once each end
// only their own processes, also those that left their trees.
func TestSessionsSideBySide(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			a := startMode(t, m.mode, m.noKillFile)
			b := startMode(t, m.mode, m.noKillFile)
			defer b.Close()
			na, nb := uniqueSleep(), uniqueSleep()
			for _, x := range []struct {
				s *Session
				n int
			}{{a, na}, {b, nb}} {
				for _, code := range []string{"setsid -f env -i sleep %d", "(sleep %d &)", "nohup sleep %d &"} {
					runOK(t, x.s, fmt.Sprintf(code, x.n))
				}
				waitFor(t, x.n, 3)
			}
			if err := a.CloseGrace(300 * time.Millisecond); err != nil {
				t.Errorf("close a: %v", err)
			}
			if left := findSleep(na); len(left) > 0 {
				killAll(left)
				t.Errorf("a's processes left: %v", left)
			}
			// A process found between fork and exec may be missed: look again.
			for i := 0; i < 10 && len(findSleep(nb)) != 3; i++ {
				time.Sleep(20 * time.Millisecond)
			}
			if got := findSleep(nb); len(got) != 3 {
				t.Errorf("b's processes after a closed: %v, want 3", got)
			}
			if r := run(t, b, "echo alive"); r.Stdout != "alive\n" {
				t.Errorf("b after a closed: %+v", r)
			}
			if err := b.CloseGrace(300 * time.Millisecond); err != nil {
				t.Errorf("close b: %v", err)
			}
			if left := findSleep(nb); len(left) > 0 {
				killAll(left)
				t.Errorf("b's processes left: %v", left)
			}
		})
	}
}

// TestCgroupInsideDocruns checks where the shell's cgroup is: a child of
// docrun's own in the hierarchy used, and docrun's own in every other.
func TestCgroupInsideDocruns(t *testing.T) {
	for _, m := range []struct {
		name string
		mode cgroupMode
	}{{"v2", cgroupV2}, {"v1 freezer", cgroupV1Freezer}} {
		t.Run(m.name, func(t *testing.T) {
			s := startMode(t, m.mode, false)
			defer s.Close()
			self := cgroupLines(t, os.Getpid())
			shell := cgroupLines(t, s.Pid())
			if len(self) != len(shell) {
				t.Fatalf("hierarchies: docrun %v, shell %v", self, shell)
			}
			moved := 0
			for h, path := range self {
				got := shell[h]
				switch {
				case got == path:
				case got == strings.TrimSuffix(path, "/")+"/docrun-"+s.ID() && s.cg.holds([]byte(h+":"+got)):
					moved++
				default:
					t.Errorf("hierarchy %q: shell in %q, docrun in %q", h, got, path)
				}
			}
			if moved != 1 {
				t.Errorf("the shell moved in %d hierarchies, want 1: %v", moved, shell)
			}
			if _, err := os.Stat(s.cg.dir); err != nil {
				t.Errorf("cgroup dir: %v", err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(s.cg.dir); !os.IsNotExist(err) {
				t.Errorf("cgroup left after Close: %v", err)
			}
		})
	}
}

// TestShellExitWithHolder checks that a shell that exits while a process
// it started holds its output ends the step promptly.
func TestShellExitWithHolder(t *testing.T) {
	s := start(t)
	n := uniqueSleep()
	start := time.Now()
	r, err := s.Run(context.Background(), fmt.Sprintf("setsid -f env -i sleep %d; echo bye; exit 3", n), 10*time.Second, Output{})
	t.Logf("step took %v", time.Since(start).Round(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if !r.Ended || r.ExitCode != 3 || r.Stdout != "bye\n" || r.TimedOut {
		t.Errorf("got %+v", r)
	}
}

// cgroupLines returns /proc/PID/cgroup as hierarchy ("ID:controllers")
// to path.
func cgroupLines(t *testing.T, pid int) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(readCgroupFile(pid))), "\n") {
		i := strings.LastIndexByte(line, ':')
		if i < 0 {
			t.Fatalf("cgroup line %q", line)
		}
		out[line[:i]] = line[i+1:]
	}
	return out
}

func runOK(t *testing.T, s *Session, code string) {
	t.Helper()
	r := run(t, s, code)
	if r.ExitCode != 0 || r.TimedOut || r.Ended {
		t.Fatalf("%s: %+v", code, r)
	}
}

func uniqueSleep() int { return 6_000_000 + rand.IntN(3_000_000) }

// findSleep returns the live processes running sleep n (after exec:
// env -i sleep n is not yet sleep).
func findSleep(n int) []int {
	want := []byte("sleep\x00" + strconv.Itoa(n) + "\x00")
	var out []int
	for pid, p := range scan() {
		if p.zombie {
			continue
		}
		cmd, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
		if err == nil && bytes.Equal(cmd, want) {
			out = append(out, pid)
		}
	}
	return out
}

// waitFor waits until count processes run sleep n (setsid -f returns
// before its process starts).
func waitFor(t *testing.T, n, count int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if len(findSleep(n)) >= count {
			return
		}
	}
	t.Fatalf("sleep %d: %d processes never started", n, count)
}

// zombieChildren returns this process's children that exited and were
// not collected.
func zombieChildren() []int {
	var out []int
	self := os.Getpid()
	for deadline := time.Now().Add(time.Second); ; time.Sleep(20 * time.Millisecond) {
		out = out[:0]
		for _, p := range scan() {
			if p.zombie && p.ppid == self {
				out = append(out, p.pid)
			}
		}
		if len(out) == 0 || time.Now().After(deadline) {
			return out
		}
	}
}

func killAll(pids []int) {
	for _, pid := range pids {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}

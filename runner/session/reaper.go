package session

import (
	"os"
	"sync"
	"syscall"
	"time"
)

// reaper is docrun's side of being the child subreaper: the sessions that
// may own an orphan, and the collection of orphans that exited.
var reaper struct {
	once sync.Once
	on   bool // docrun is the child subreaper

	// mu guards sessions and every session's adopted set, and serialises
	// reaping: between finding a zombie and collecting it, nothing else
	// may collect it (its pid could be reused).
	mu       sync.Mutex
	sessions map[*Session]bool
}

func register(s *Session) {
	reaper.mu.Lock()
	defer reaper.mu.Unlock()
	if reaper.sessions == nil {
		reaper.sessions = map[*Session]bool{}
	}
	reaper.sessions[s] = true
}

func unregister(s *Session) {
	reaper.mu.Lock()
	defer reaper.mu.Unlock()
	delete(reaper.sessions, s)
}

// reapAdopted collects every exited orphan that a session owns. Only
// those: a zombie child that docrun started itself belongs to os/exec,
// whose Wait would fail if its status were taken here, so a zombie is
// collected by its pid (never wait on -1) and only with proof that docrun
// did not start it (see owns).
func reapAdopted() {
	reaper.mu.Lock()
	defer reaper.mu.Unlock()
	if len(reaper.sessions) == 0 {
		return
	}
	self := os.Getpid()
	for _, p := range scan() {
		if !p.zombie || p.ppid != self {
			continue
		}
		for s := range reaper.sessions {
			if s.owns(p) {
				var ws syscall.WaitStatus
				_, _ = syscall.Wait4(p.pid, &ws, syscall.WNOHANG, nil)
				delete(s.adopted, p.key())
				break
			}
		}
	}
}

// owns reports whether zombie p, a child of docrun, is an orphan of the
// session. The shell itself is os/exec's. A process in the shell's process
// group or the session's cgroup was started below the shell (docrun starts
// its own children elsewhere), and one in adopted was seen below another
// parent or with the session's pipes. reaper.mu is held.
func (s *Session) owns(p proc) bool {
	bash := s.cmd.Process.Pid
	if p.pid == bash {
		return false
	}
	if p.pgid == bash || s.adopted[p.key()] {
		return true
	}
	// A zombie keeps its v2 cgroup; v1 shows the root for it.
	return s.cg != nil && s.cg.v2 && s.cg.holds(readCgroupFile(p.pid))
}

// members finds the session's live processes in all (a scan of /proc):
// the shell and its descendants; the session's cgroup; the shell's
// process group; processes that carry the session's EnvMarker, hold its
// output pipes, or were seen as the session's before; and everything
// below those. Each process found that docrun did not start itself is
// remembered in adopted, so it can be reaped once it exits.
func (s *Session) members(all map[int]proc) []proc {
	self := os.Getpid()
	bash := s.cmd.Process.Pid
	roots := map[int]bool{bash: true}
	// notOurs: proof that docrun did not start the process itself.
	notOurs := map[int]bool{}
	if s.cg != nil {
		for _, pid := range s.cg.pids() {
			roots[pid], notOurs[pid] = true, true
		}
	}
	reaper.mu.Lock()
	for k := range s.adopted {
		if p, ok := all[k.pid]; !ok || p.start != k.start {
			delete(s.adopted, k)
		} else if !p.zombie {
			roots[k.pid], notOurs[k.pid] = true, true
		}
	}
	reaper.mu.Unlock()
	marker := []byte(EnvMarker + "=" + s.id)
	sid := all[self].sid
	for _, p := range all {
		if p.zombie || p.pid == self || roots[p.pid] {
			continue
		}
		if p.pgid == bash {
			roots[p.pid], notOurs[p.pid] = true, true
		} else if hasEnv(p.pid, marker) {
			// docrun starts its own children in its session.
			roots[p.pid], notOurs[p.pid] = true, p.sid != sid
		}
	}
	// A process that cleared its environment and left the shell's group
	// may still hold the output pipes; holding them also shows that a
	// marked child of docrun is not one docrun started. With the subreaper it is below
	// docrun; without it, anywhere.
	search := all
	if reaper.on {
		below := descendantsOf(all, map[int]bool{self: true})
		search = make(map[int]proc, len(below))
		for pid := range below {
			search[pid] = all[pid]
		}
	}
	for _, p := range search {
		if !p.zombie && p.pid != self && !notOurs[p.pid] && holdsPipe(p.pid, s.pipes[:]) {
			roots[p.pid], notOurs[p.pid] = true, true
		}
	}
	var out []proc
	reaper.mu.Lock()
	defer reaper.mu.Unlock()
	for pid := range descendantsOf(all, roots) {
		p := all[pid]
		if p.zombie || pid == self {
			continue
		}
		out = append(out, p)
		if pid != bash && (p.ppid != self || notOurs[pid]) {
			s.adopted[p.key()] = true
		}
	}
	return out
}

// EndOrphans ends every process docrun adopted as the child subreaper
// that still runs, and everything below it, collects the exits of those
// it adopted, and returns how many processes it signalled. Sessions end
// their own processes when they close; what can be left is a process that
// left a page's process tree, cleared its environment and dropped the
// page's output within one step, where no cgroup was available to follow
// it. The CLI calls it when its commands are done: every process docrun
// started itself has been waited for by then, so every child left is an
// orphan of a page.
func EndOrphans() int {
	if !reaper.on {
		return 0
	}
	self := os.Getpid()
	all := scan()
	roots := map[int]bool{}
	for _, p := range all {
		if p.ppid == self && !p.zombie {
			roots[p.pid] = true
		}
	}
	n := 0
	for pid := range descendantsOf(all, roots) {
		if !all[pid].zombie && syscall.Kill(pid, syscall.SIGKILL) == nil {
			n++
		}
	}
	for deadline := time.Now().Add(time.Second); len(roots) > 0 && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		for pid := range roots {
			var ws syscall.WaitStatus
			if got, err := syscall.Wait4(pid, &ws, syscall.WNOHANG, nil); got == pid || err != nil {
				delete(roots, pid)
			}
		}
	}
	return n
}

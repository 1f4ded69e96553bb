package session

import (
	"os"
	"syscall"
)

// proc is a process of the system, as scan finds it.
type proc struct {
	pid, ppid int
	pgid, sid int
	start     int64 // in clock ticks, on the clock of nowTicks
	zombie    bool
}

// key identifies a process across pid reuse.
type procKey struct {
	pid   int
	start int64
}

func (p proc) key() procKey { return procKey{p.pid, p.start} }

// inode returns the inode of an open file (a pipe's identity in
// /proc/PID/fd), or 0.
func inode(f *os.File) uint64 {
	fi, err := f.Stat()
	if err != nil {
		return 0
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return st.Ino
	}
	return 0
}

// descendantsOf returns roots and every process below them in all.
func descendantsOf(all map[int]proc, roots map[int]bool) map[int]bool {
	children := map[int][]int{}
	for _, p := range all {
		children[p.ppid] = append(children[p.ppid], p.pid)
	}
	set := map[int]bool{}
	var visit func(int)
	visit = func(pid int) {
		if set[pid] {
			return
		}
		set[pid] = true
		for _, c := range children[pid] {
			visit(c)
		}
	}
	for r := range roots {
		if _, ok := all[r]; ok {
			visit(r)
		}
	}
	return set
}

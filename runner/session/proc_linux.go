package session

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// proc is a process found in /proc.
type proc struct {
	pid, ppid int
	pgid, sid int
	start     int64 // clock ticks after boot
	zombie    bool
}

// key identifies a process across pid reuse.
type procKey struct {
	pid   int
	start int64
}

func (p proc) key() procKey { return procKey{p.pid, p.start} }

// uptimeTicks reads the time since boot from /proc/uptime in clock ticks,
// the clock of process start times.
func uptimeTicks() int64 {
	data, err := os.ReadFile("/proc/uptime")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return 0
	}
	secs, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return 0
	}
	return int64(secs * clockTicks)
}

// clockTicks is USER_HZ, the unit of start times in /proc/PID/stat; it is
// 100 on every Linux architecture Go supports.
const clockTicks = 100

// readProc parses /proc/PID/stat.
func readProc(pid int) (proc, bool) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return proc{}, false
	}
	// The command name is in parentheses and may contain anything.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return proc{}, false
	}
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 20 {
		return proc{}, false
	}
	p := proc{pid: pid, zombie: f[0] == "Z" || f[0] == "X"}
	p.ppid, _ = strconv.Atoi(f[1])
	p.pgid, _ = strconv.Atoi(f[2])
	p.sid, _ = strconv.Atoi(f[3])
	p.start, _ = strconv.ParseInt(f[19], 10, 64)
	return p, true
}

// scan reads every process in /proc, zombies included.
func scan() map[int]proc {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	all := make(map[int]proc, len(entries))
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if p, ok := readProc(pid); ok {
			all[pid] = p
		}
	}
	return all
}

// hasEnv reports whether the environment of pid holds kv ("NAME=value").
func hasEnv(pid int, kv []byte) bool {
	env, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
	if err != nil {
		return false
	}
	for _, e := range bytes.Split(env, []byte{0}) {
		if bytes.Equal(e, kv) {
			return true
		}
	}
	return false
}

// holdsPipe reports whether pid has one of the pipes open (by inode).
func holdsPipe(pid int, inodes []uint64) bool {
	dir := "/proc/" + strconv.Itoa(pid) + "/fd/"
	fds, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, fd := range fds {
		link, err := os.Readlink(dir + fd.Name())
		if err != nil || !strings.HasPrefix(link, "pipe:[") {
			continue
		}
		n, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimPrefix(link, "pipe:["), "]"), 10, 64)
		if err != nil {
			continue
		}
		for _, ino := range inodes {
			if n == ino {
				return true
			}
		}
	}
	return false
}

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

// readCgroupFile returns /proc/PID/cgroup.
func readCgroupFile(pid int) []byte {
	data, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cgroup")
	return data
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

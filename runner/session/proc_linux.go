package session

import (
	"bytes"
	"os"
	"strconv"
	"strings"
)

// proc is a process found in /proc.
type proc struct {
	pid, ppid int
	start     int64 // clock ticks after boot
}

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
	if f[0] == "Z" {
		// A zombie is gone already; its parent will reap it.
		return proc{}, false
	}
	ppid, _ := strconv.Atoi(f[1])
	ticks, _ := strconv.ParseInt(f[19], 10, 64)
	return proc{pid: pid, ppid: ppid, start: ticks}, true
}

// sessionProcs returns the live processes of a session: root and its
// descendants, and every process whose environment holds marker.
func sessionProcs(root int, marker string) []proc {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	all := map[int]proc{}
	children := map[int][]int{}
	self := os.Getpid()
	var marked []int
	mark := []byte(marker)
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self {
			continue
		}
		p, ok := readProc(pid)
		if !ok {
			continue
		}
		all[pid] = p
		children[p.ppid] = append(children[p.ppid], pid)
		if env, err := os.ReadFile("/proc/" + e.Name() + "/environ"); err == nil {
			for _, kv := range bytes.Split(env, []byte{0}) {
				if bytes.Equal(kv, mark) {
					marked = append(marked, pid)
					break
				}
			}
		}
	}
	seen := map[int]bool{}
	var out []proc
	var visit func(int)
	visit = func(pid int) {
		p, ok := all[pid]
		if !ok || seen[pid] {
			return
		}
		seen[pid] = true
		out = append(out, p)
		for _, c := range children[pid] {
			visit(c)
		}
	}
	visit(root)
	for _, pid := range marked {
		visit(pid)
	}
	return out
}

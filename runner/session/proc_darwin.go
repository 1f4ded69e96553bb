package session

import (
	"time"

	"golang.org/x/sys/unix"
)

// clockTicks is the unit of start times and of nowTicks: on macOS, which
// has no /proc, both are read from the kernel in microseconds and kept in
// hundredths of a second, as on Linux.
const clockTicks = 100

// nowTicks is the time since the epoch in clock ticks: the clock of the
// start times scan reads.
func nowTicks() int64 {
	return time.Now().UnixNano() / int64(time.Second/clockTicks)
}

// szomb is the kernel's process state of a zombie (p_stat, sys/proc.h).
const szomb = 5

// scan lists every process with sysctl kern.proc.all, zombies included.
func scan() map[int]proc {
	kps, err := unix.SysctlKinfoProcSlice("kern.proc.all")
	if err != nil {
		return nil
	}
	all := make(map[int]proc, len(kps))
	for _, kp := range kps {
		pid := int(kp.Proc.P_pid)
		t := kp.Proc.P_starttime
		all[pid] = proc{
			pid:    pid,
			ppid:   int(kp.Eproc.Ppid),
			pgid:   int(kp.Eproc.Pgid),
			start:  (int64(t.Sec)*1e6 + int64(t.Usec)) / (1e6 / clockTicks),
			zombie: kp.Proc.P_stat == szomb,
		}
	}
	return all
}

package session

import (
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"
)

// enableSubreaper makes docrun the child subreaper (PR_SET_CHILD_SUBREAPER,
// a process-wide attribute): a process whose parent exits is re-parented
// to docrun, not to init, so everything a page starts stays below docrun.
// It also starts collecting those orphans when they exit, as init would.
func enableSubreaper() {
	reaper.once.Do(func() {
		if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
			return
		}
		reaper.on = true
		c := make(chan os.Signal, 1)
		signal.Notify(c, syscall.SIGCHLD)
		go func() {
			for range c {
				reapAdopted()
			}
		}()
	})
}

//go:build !linux

package session

// On platforms without /proc (macOS) the marks that need to read another
// process's environment or open files are not there: a session's processes
// are the shell's descendants, its process group and those seen before.

// hasEnv reports whether the environment of pid holds kv; never, here.
func hasEnv(pid int, kv []byte) bool { return false }

// holdsPipe reports whether pid has one of the pipes open; never, here.
func holdsPipe(pid int, inodes []uint64) bool { return false }

// readCgroupFile returns nothing: there are no cgroups here.
func readCgroupFile(pid int) []byte { return nil }

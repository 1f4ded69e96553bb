//go:build !linux

package session

// enableSubreaper does nothing where the kernel has no child subreaper
// (macOS): an orphan of a page re-parents to init (launchd), which collects
// it. Close still ends the shell's process group and every process found
// below the shell or seen there before.
func enableSubreaper() {}

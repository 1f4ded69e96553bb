//go:build !linux

package session

// cgroup stands for a session's control group where there are none: a
// session never has one here (newCgroup returns nil), so its methods are
// never called.
type cgroup struct {
	v2 bool
}

func newCgroup(mode cgroupMode, name string, pid int) (*cgroup, error) { return nil, nil }

func (c *cgroup) pids() []int                  { return nil }
func (c *cgroup) holds(procCgroup []byte) bool { return false }
func (c *cgroup) kill()                        {}
func (c *cgroup) freeze(on bool) bool          { return false }
func (c *cgroup) remove() error                { return nil }

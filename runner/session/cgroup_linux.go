package session

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// hierarchy is one cgroup hierarchy and the cgroup docrun runs in there.
type hierarchy struct {
	v2          bool
	controllers []string // v1: as /proc/self/cgroup names them ("freezer", "name=systemd")
	path        string   // docrun's cgroup, as /proc/self/cgroup shows it
	dir         string   // that cgroup's directory; "" when no mount reaches it
}

// hierarchies reads docrun's cgroup in every hierarchy (procCgroup is
// /proc/self/cgroup) and finds where each is mounted (mountinfo is
// /proc/self/mountinfo). A v1 system has one hierarchy per controller
// group, each with its own path; v2 has one.
func hierarchies(procCgroup, mountinfo []byte) []hierarchy {
	mounts := cgroupMounts(mountinfo)
	var out []hierarchy
	for _, line := range strings.Split(string(procCgroup), "\n") {
		id, rest, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		list, path, ok := strings.Cut(rest, ":")
		if !ok {
			continue
		}
		h := hierarchy{v2: id == "0" && list == "", path: path}
		if list != "" {
			h.controllers = strings.Split(list, ",")
		}
		for _, m := range mounts {
			if m.v2 != h.v2 || !h.v2 && !containsAll(m.options, h.controllers) {
				continue
			}
			if dir, ok := under(m, path); ok {
				h.dir = dir
				break
			}
		}
		out = append(out, h)
	}
	return out
}

// mount is a cgroup file system mount.
type mount struct {
	v2      bool
	root    string // the cgroup the mount shows at its top
	point   string
	options []string
}

func cgroupMounts(mountinfo []byte) []mount {
	var out []mount
	for _, line := range strings.Split(string(mountinfo), "\n") {
		// ID PARENT MAJ:MIN ROOT POINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPEROPTIONS
		before, after, ok := strings.Cut(line, " - ")
		if !ok {
			continue
		}
		f, g := strings.Fields(before), strings.Fields(after)
		if len(f) < 5 || len(g) < 3 || (g[0] != "cgroup" && g[0] != "cgroup2") {
			continue
		}
		out = append(out, mount{v2: g[0] == "cgroup2", root: unescape(f[3]), point: unescape(f[4]), options: strings.Split(g[2], ",")})
	}
	return out
}

// under returns the directory of cgroup path in mount m, when m shows it.
func under(m mount, path string) (string, bool) {
	if strings.Contains(path, "/..") {
		// Outside the cgroup namespace's root: not reachable.
		return "", false
	}
	if m.root == "/" {
		return filepath.Join(m.point, path), true
	}
	if path == m.root || strings.HasPrefix(path, m.root+"/") {
		return filepath.Join(m.point, strings.TrimPrefix(path, m.root)), true
	}
	return "", false
}

// unescape undoes mountinfo's octal escapes (\040 for a space).
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			if h == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return len(want) > 0
}

// cgroup is a session's own control group: a child of docrun's cgroup in
// one hierarchy. In every other hierarchy the shell stays in docrun's
// cgroup, so a page is always under docrun's limits and accounting.
type cgroup struct {
	dir  string // its directory
	path string // its path as /proc/PID/cgroup shows it
	v2   bool
	// noKillFile makes kill freeze and signal even where cgroup.kill exists
	// (tests of kernels before 5.14).
	noKillFile bool
}

// String names the cgroup for messages.
func (c *cgroup) String() string {
	if c.v2 {
		return "cgroup v2 " + c.dir
	}
	return "cgroup v1 " + c.dir
}

// newCgroup puts pid, a shell that has not forked yet, in a new cgroup
// named name under docrun's own, in the hierarchy mode asks for. It
// returns nil when no hierarchy can take it (not mounted, not writable).
func newCgroup(mode cgroupMode, name string, pid int) (*cgroup, error) {
	if mode == cgroupNone {
		return nil, nil
	}
	self, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return nil, err
	}
	mi, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return nil, err
	}
	hs := hierarchies(self, mi)
	var errs []error
	for _, want := range []cgroupMode{cgroupV2, cgroupV1Freezer} {
		if mode != cgroupAuto && mode != want {
			continue
		}
		for _, h := range hs {
			if h.dir == "" || h.v2 != (want == cgroupV2) || !h.v2 && !containsAll(h.controllers, []string{"freezer"}) {
				continue
			}
			c, err := createCgroup(h, name, pid)
			if err == nil {
				return c, nil
			}
			errs = append(errs, err)
		}
	}
	return nil, errors.Join(errs...)
}

func createCgroup(h hierarchy, name string, pid int) (*cgroup, error) {
	c := &cgroup{dir: filepath.Join(h.dir, name), path: strings.TrimSuffix(h.path, "/") + "/" + name, v2: h.v2}
	if err := os.Mkdir(c.dir, 0o755); err != nil {
		return nil, err
	}
	if err := writeFile(filepath.Join(c.dir, "cgroup.procs"), strconv.Itoa(pid)); err != nil {
		_ = os.Remove(c.dir)
		return nil, err
	}
	return c, nil
}

func writeFile(path, value string) error {
	// cgroup files take a value per write(2); no O_CREATE, no truncation.
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString(value)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// pids returns the processes in the cgroup and in cgroups a page made
// under it.
func (c *cgroup) pids() []int {
	var out []int
	_ = filepath.WalkDir(c.dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(filepath.Join(path, "cgroup.procs"))
		if err != nil {
			return nil
		}
		for _, f := range strings.Fields(string(data)) {
			if pid, err := strconv.Atoi(f); err == nil {
				out = append(out, pid)
			}
		}
		return nil
	})
	return out
}

// holds reports whether /proc/PID/cgroup (a process's, zombies included)
// puts it in this cgroup or under it.
func (c *cgroup) holds(procCgroup []byte) bool {
	for _, line := range bytes.Split(procCgroup, []byte("\n")) {
		_, rest, _ := bytes.Cut(line, []byte(":"))
		list, path, ok := bytes.Cut(rest, []byte(":"))
		if !ok || (len(list) == 0) != c.v2 {
			continue
		}
		if !c.v2 && !bytes.Contains([]byte(","+string(list)+","), []byte(",freezer,")) {
			continue
		}
		p := string(path)
		if p == c.path || strings.HasPrefix(p, c.path+"/") {
			return true
		}
	}
	return false
}

// kill sends SIGKILL to every process in the cgroup, with no window for
// a fork to escape: cgroup.kill where the kernel has it (5.14), else
// freeze, signal every process, thaw.
func (c *cgroup) kill() {
	if c.v2 && !c.noKillFile {
		if err := writeFile(filepath.Join(c.dir, "cgroup.kill"), "1"); err == nil {
			return
		}
	}
	frozen := c.freeze(true)
	for _, pid := range c.pids() {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	if frozen {
		c.freeze(false)
	}
}

// freeze freezes or thaws the cgroup and reports whether it could.
func (c *cgroup) freeze(on bool) bool {
	file, value, done := "freezer.state", "THAWED", "THAWED"
	if on {
		value, done = "FROZEN", "FROZEN"
	}
	if c.v2 {
		file, value, done = "cgroup.freeze", "0", "frozen 0"
		if on {
			value, done = "1", "frozen 1"
		}
	}
	if err := writeFile(filepath.Join(c.dir, file), value); err != nil {
		return false
	}
	state := file
	if c.v2 {
		state = "cgroup.events"
	}
	for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		data, err := os.ReadFile(filepath.Join(c.dir, state))
		if err == nil && bytes.Contains(data, []byte(done)) {
			break
		}
	}
	return true
}

// remove deletes the cgroup (and any a page made under it) once its
// processes are gone.
func (c *cgroup) remove() error {
	var dirs []string
	_ = filepath.WalkDir(c.dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			dirs = append(dirs, path)
		}
		return nil
	})
	var err error
	for i := len(dirs) - 1; i >= 0; i-- {
		for deadline := time.Now().Add(time.Second); ; time.Sleep(10 * time.Millisecond) {
			err = os.Remove(dirs[i])
			if err == nil || errors.Is(err, os.ErrNotExist) || !errors.Is(err, syscall.EBUSY) || time.Now().After(deadline) {
				break
			}
		}
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove %s: %w", c.dir, err)
	}
	return nil
}

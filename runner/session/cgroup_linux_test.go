package session

import (
	"reflect"
	"testing"
)

// TestHierarchies checks that docrun's cgroup is found in each hierarchy
// with that hierarchy's own path, mapped through the mount's root.
func TestHierarchies(t *testing.T) {
	const hybridMounts = `30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
36 30 0:33 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
38 30 0:35 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd
40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
`
	cases := []struct {
		name, self, mounts string
		want               []hierarchy
	}{{
		name:   "hybrid: v1 paths differ per hierarchy",
		self:   "9:name=systemd:/user.slice/s.scope\n6:freezer:/\n4:memory:/process_api/ff43\n2:cpu,cpuacct:/jobs\n0::/user.slice/s.scope\n",
		mounts: hybridMounts,
		want: []hierarchy{
			{controllers: []string{"name=systemd"}, path: "/user.slice/s.scope", dir: "/sys/fs/cgroup/systemd/user.slice/s.scope"},
			{controllers: []string{"freezer"}, path: "/", dir: "/sys/fs/cgroup/freezer"},
			{controllers: []string{"memory"}, path: "/process_api/ff43", dir: "/sys/fs/cgroup/memory/process_api/ff43"},
			{controllers: []string{"cpu", "cpuacct"}, path: "/jobs", dir: "/sys/fs/cgroup/cpu,cpuacct/jobs"},
			{v2: true, path: "/user.slice/s.scope", dir: "/sys/fs/cgroup/unified/user.slice/s.scope"},
		},
	}, {
		name:   "unified only",
		self:   "0::/user.slice/user-1000.slice/session-2.scope\n",
		mounts: "25 20 0:23 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n",
		want:   []hierarchy{{v2: true, path: "/user.slice/user-1000.slice/session-2.scope", dir: "/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope"}},
	}, {
		name:   "a container's mount shows a subtree",
		self:   "0::/docker/abc/inner\n",
		mounts: "25 20 0:23 /docker/abc /sys/fs/cgroup ro - cgroup2 cgroup2 rw\n",
		want:   []hierarchy{{v2: true, path: "/docker/abc/inner", dir: "/sys/fs/cgroup/inner"}},
	}, {
		name:   "the mount shows another subtree",
		self:   "0::/elsewhere\n",
		mounts: "25 20 0:23 /docker/abc /sys/fs/cgroup ro - cgroup2 cgroup2 rw\n",
		want:   []hierarchy{{v2: true, path: "/elsewhere"}},
	}, {
		name:   "outside the cgroup namespace",
		self:   "0::/../../sibling\n",
		mounts: "25 20 0:23 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
		want:   []hierarchy{{v2: true, path: "/../../sibling"}},
	}, {
		name:   "escaped mount point",
		self:   "0::/a\n",
		mounts: `25 20 0:23 / /mnt/cg\040two rw - cgroup2 cgroup2 rw` + "\n",
		want:   []hierarchy{{v2: true, path: "/a", dir: "/mnt/cg two/a"}},
	}, {
		name:   "not mounted",
		self:   "6:freezer:/x\n",
		mounts: "25 20 0:23 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
		want:   []hierarchy{{controllers: []string{"freezer"}, path: "/x"}},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := hierarchies([]byte(c.self), []byte(c.mounts))
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}

// TestCgroupHolds checks which /proc/PID/cgroup contents put a process in
// a session's cgroup: its hierarchy only, the cgroup or below it.
func TestCgroupHolds(t *testing.T) {
	v2 := &cgroup{path: "/a/docrun-1", v2: true}
	v1 := &cgroup{path: "/docrun-1"}
	cases := []struct {
		c    *cgroup
		file string
		want bool
	}{
		{v2, "0::/a/docrun-1\n", true},
		{v2, "0::/a/docrun-1/sub\n", true},
		{v2, "0::/a/docrun-10\n", false},
		{v2, "0::/a\n", false},
		{v2, "6:freezer:/a/docrun-1\n0::/\n", false},
		{v1, "6:freezer:/docrun-1\n0::/\n", true},
		{v1, "4:memory:/docrun-1\n6:freezer:/\n", false},
		{v1, "0::/docrun-1\n", false},
	}
	for _, c := range cases {
		if got := c.c.holds([]byte(c.file)); got != c.want {
			t.Errorf("%s holds %q: %v, want %v", c.c.path, c.file, got, c.want)
		}
	}
}

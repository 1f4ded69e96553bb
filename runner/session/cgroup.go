package session

// cgroupMode chooses how a session's shell is put in a control group.
type cgroupMode int

const (
	cgroupAuto      cgroupMode = iota // v2 where reachable, else the v1 freezer
	cgroupV2                          // the unified hierarchy only
	cgroupV1Freezer                   // the v1 freezer hierarchy only
	cgroupNone                        // no cgroup: the subreaper alone
)

package match

import (
	"regexp"
	"strconv"
	"strings"
)

// State is what the kubectl tables of an output say of how far their
// objects have come: a reader compares it with the page's to know whether
// to wait.
type State struct {
	// Rows counts the rows of the tables.
	Rows int
	// Transient counts STATUS cells of a state that passes by itself
	// (Pending, ContainerCreating, Terminating, NotReady, Init:0/1).
	Transient int
	// Incomplete counts READY and COMPLETIONS cells n/m with n < m.
	Incomplete int
	// Finished counts STATUS cells of work done (Completed, Succeeded).
	Finished int
	// Unassigned counts cells the cluster fills in later that are
	// <none> or <pending>: IP, NODE, ENDPOINTS, EXTERNAL-IP, ADDRESS.
	Unassigned int
}

var (
	transientStatus = regexp.MustCompile(`^(Pending|ContainerCreating|PodInitializing|Terminating|NotReady|Unknown|Init:\d+/\d+)$`)
	finishedStatus  = regexp.MustCompile(`^(Completed|Succeeded|Complete)$`)
	readyCount      = regexp.MustCompile(`^(\d+)/(\d+)$`)
	// assignedCols hold what the cluster assigns some time after an
	// object is created.
	assignedCols = map[string]bool{"IP": true, "NODE": true, "ENDPOINTS": true, "EXTERNAL-IP": true, "ADDRESS": true}
)

// ReadState reads the state of the kubectl tables in output.
func ReadState(output string) State {
	var s State
	tables, _ := parseActualTables(strings.Split(strings.ReplaceAll(output, "\r\n", "\n"), "\n"))
	for _, t := range tables {
		for _, r := range t.rows {
			s.Rows++
			for i, c := range r.cells {
				if i >= len(t.header) {
					break
				}
				s.add(t.header[i], c)
			}
		}
	}
	return s
}

func (s *State) add(col, cell string) {
	switch {
	case col == "STATUS" && transientStatus.MatchString(cell):
		s.Transient++
	case col == "STATUS" && finishedStatus.MatchString(cell):
		s.Finished++
	case (col == "READY" || col == "COMPLETIONS") && readyCount.MatchString(cell):
		m := readyCount.FindStringSubmatch(cell)
		done, _ := strconv.Atoi(m[1])
		all, _ := strconv.Atoi(m[2])
		if done < all {
			s.Incomplete++
		}
	case assignedCols[col] && (cell == "<none>" || cell == "<pending>"):
		s.Unassigned++
	}
}

// Behind reports whether s is on its way to the expected state e: more
// transient states, incomplete counts or unassigned addresses, or fewer
// finished ones.
func (s State) Behind(e State) bool {
	return s.Transient > e.Transient || s.Incomplete > e.Incomplete || s.Unassigned > e.Unassigned || s.Finished < e.Finished
}

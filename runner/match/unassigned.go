package match

import "strings"

// assignedCols hold what the cluster assigns to an object some time after
// it is created: a Pod's IP and node, a Service's endpoints and external
// address, an Ingress's address.
var assignedCols = map[string]bool{"IP": true, "NODE": true, "ENDPOINTS": true, "EXTERNAL-IP": true, "ADDRESS": true}

// Unassigned counts the cells of the kubectl tables in output that are
// not assigned yet: <none> or <pending> in a column of assignedCols. An
// output with more of them than the page's has not settled.
func Unassigned(output string) int {
	tables, _ := parseActualTables(strings.Split(strings.ReplaceAll(output, "\r\n", "\n"), "\n"))
	n := 0
	for _, t := range tables {
		for _, r := range t.rows {
			for i, c := range r.cells {
				if i < len(t.header) && assignedCols[t.header[i]] && (c == "<none>" || c == "<pending>") {
					n++
				}
			}
		}
	}
	return n
}

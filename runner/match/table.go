package match

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// table is a kubectl table: a header line and its rows.
type table struct {
	header []string
	starts []int // rune offsets of the columns in the header line
	rows   []trow
}

// trow is one table row.
type trow struct {
	cells []string
	elide bool // a `...` line in an expected table
}

var (
	// headerCell matches a column name: ALL-CAPS words (NAME, PORT(S),
	// CLUSTER-IP, NOMINATED NODE, CPU%).
	headerCell = regexp.MustCompile(`^[A-Z][A-Z0-9()/%_.:-]*(?: [A-Z][A-Z0-9()/%_.:-]*)*$`)
	// cellSep separates cells: two or more spaces, or a tab.
	cellSep = regexp.MustCompile(`[ \t]{2,}|\t`)
)

// volatileCols hold instance data: their cells are not compared.
var volatileCols = map[string]bool{
	"AGE": true, "IP": true, "IPS": true, "NODE": true, "NOMINATED NODE": true,
	"READINESS GATES": true, "CLUSTER-IP": true, "EXTERNAL-IP": true,
	"INTERNAL-IP": true, "RESTARTS": true, "VERSION": true, "OS-IMAGE": true,
	"KERNEL-VERSION": true, "CONTAINER-RUNTIME": true, "ROLES": true,
	"LAST SEEN": true, "FIRST SEEN": true, "COUNT": true, "CREATED AT": true,
	"LAST SCHEDULE": true, "DURATION": true, "ENDPOINTS": true, "ADDRESS": true,
	"CPU(cores)": true, "MEMORY(bytes)": true, "CPU%": true, "MEMORY%": true,
	"HOLDER": true, "VOLUME": true, "TARGETS": true, "CONTAINER-ID": true,
}

// statusCols hold a fixed vocabulary (Running, Pending, 1/1): a
// difference is always listed, even one that masking would hide.
var statusCols = map[string]bool{"READY": true, "STATUS": true, "COMPLETIONS": true}

func splitCells(line string) []string {
	s := strings.TrimSpace(line)
	if s == "" {
		return nil
	}
	cells := cellSep.Split(s, -1)
	for i, c := range cells {
		cells[i] = strings.TrimSpace(c)
	}
	return cells
}

// parseHeader recognises a kubectl table header: two or more ALL-CAPS
// column names separated by two or more spaces.
func parseHeader(line string) (cells []string, starts []int, ok bool) {
	cells = splitCells(line)
	if len(cells) < 2 {
		return nil, nil, false
	}
	letters := 0
	for _, c := range cells {
		if !headerCell.MatchString(c) {
			return nil, nil, false
		}
		letters += len(c)
	}
	if letters < 5 {
		return nil, nil, false
	}
	from := 0
	for _, c := range cells {
		k := strings.Index(line[from:], c)
		if k < 0 {
			return nil, nil, false
		}
		starts = append(starts, utf8.RuneCountInString(line[:from+k]))
		from += k + len(c)
	}
	return cells, starts, true
}

// parseRow splits a row into the table's columns: by runs of two or
// more spaces when that gives one cell per column, else by the header's
// column offsets (kubectl aligns rows with the header, and a cell may
// be empty), else by runs of spaces, padded or merged.
func parseRow(line string, t *table) trow {
	n := len(t.header)
	cells := splitCells(line)
	if len(cells) == n {
		return trow{cells: cells}
	}
	if c := sliceAt(line, t.starts); c != nil {
		return trow{cells: c}
	}
	if len(cells) > n {
		cells[n-1] = strings.Join(cells[n-1:], "  ")
		cells = cells[:n]
	}
	for len(cells) < n {
		cells = append(cells, "")
	}
	return trow{cells: cells}
}

// sliceAt cuts line at the column offsets; nil when a column would start
// inside a word.
func sliceAt(line string, starts []int) []string {
	r := []rune(line)
	if strings.TrimSpace(string(r[:min(starts[0], len(r))])) != "" {
		return nil
	}
	cells := make([]string, len(starts))
	for i, s := range starts {
		if s >= len(r) {
			continue
		}
		if s > 0 && r[s-1] != ' ' && r[s-1] != '\t' {
			return nil
		}
		end := len(r)
		if i+1 < len(starts) && starts[i+1] < end {
			end = starts[i+1]
		}
		cells[i] = strings.TrimSpace(string(r[s:end]))
	}
	return cells
}

// parseExpectedTables reads an expected block as tables: ok only when
// every group of lines between blank lines starts with a header.
func parseExpectedTables(lines []string) ([]table, bool) {
	var tables []table
	for i := 0; i < len(lines); i++ {
		if lines[i] == "" {
			continue
		}
		h, s, ok := parseHeader(lines[i])
		if !ok {
			return nil, false
		}
		t := table{header: h, starts: s}
		for i+1 < len(lines) && lines[i+1] != "" {
			i++
			if isElision(lines[i]) {
				t.rows = append(t.rows, trow{elide: true})
			} else {
				t.rows = append(t.rows, parseRow(lines[i], &t))
			}
		}
		tables = append(tables, t)
	}
	return tables, len(tables) > 0
}

// parseActualTables finds the tables of actual output; lines outside
// them (warnings, messages) are returned as other.
func parseActualTables(lines []string) (tables []table, other []string) {
	cur := -1
	for _, l := range lines {
		if l == "" {
			cur = -1
			continue
		}
		if cur < 0 {
			if h, s, ok := parseHeader(l); ok {
				tables = append(tables, table{header: h, starts: s})
				cur = len(tables) - 1
			} else {
				other = append(other, l)
			}
			continue
		}
		tables[cur].rows = append(tables[cur].rows, parseRow(l, &tables[cur]))
	}
	return tables, other
}

// compareTables compares kubectl tables. The shape is the header: the
// same column names in the same order (a column more or less is
// Differs, so is a table missing or, when expected has rows, a table
// without rows, as with "No resources found"). Rows are instance data:
// they are paired by name (generated suffixes masked), the rest in
// order, and their cells compared; ages, IPs, nodes, restart counts and
// versions are not compared, other cells equal up to masking are the
// same, except STATUS, READY and COMPLETIONS; what still differs, and
// rows missing or extra, are listed and give Similar: the runner
// reports, it does not fail on a pod being Pending.
func compareTables(exps []table, exp, act []string, alike names) Result {
	acts, other := parseActualTables(act)
	var problems []string
	var ns notes
	switch {
	case len(acts) == 0:
		problems = append(problems, "actual output has no table")
	case len(acts) != len(exps):
		problems = append(problems, fmt.Sprintf("expected %d tables, actual has %d", len(exps), len(acts)))
	default:
		for i := range exps {
			prefix := ""
			if len(exps) > 1 {
				prefix = fmt.Sprintf("table %d: ", i+1)
			}
			problems = append(problems, compareTable(&exps[i], &acts[i], &ns, prefix, alike)...)
		}
	}
	if len(problems) > 0 {
		return Result{Verdict: Differs, Format: FormatTable, Diff: diffWithReasons(problems, exp, act, alike)}
	}
	for _, l := range other {
		ns.add("+%s", shorten(collapse(l)))
	}
	if len(ns.list) == 0 {
		ns.add("column spacing differs")
	}
	return Result{Verdict: Similar, Format: FormatTable, Diff: ns.String()}
}

func compareTable(e, a *table, ns *notes, prefix string, alike names) (problems []string) {
	if strings.Join(e.header, "\x00") != strings.Join(a.header, "\x00") {
		return []string{fmt.Sprintf("%scolumns differ: %s -> %s", prefix, strings.Join(e.header, "  "), strings.Join(a.header, "  "))}
	}
	elided := false
	var erows []int
	for i, r := range e.rows {
		if r.elide {
			elided = true
		} else {
			erows = append(erows, i)
		}
	}
	if len(erows) > 0 && len(a.rows) == 0 {
		return []string{prefix + "actual table has no rows"}
	}
	key := func(r trow) string {
		k := mask(alike.same(collapse(r.cells[0])))
		if e.header[0] == "NAMESPACE" && len(r.cells) > 1 {
			k += " " + mask(collapse(r.cells[1]))
		}
		return k
	}
	byKey := map[string][]int{}
	for j, r := range a.rows {
		byKey[key(r)] = append(byKey[key(r)], j)
	}
	used := make([]bool, len(a.rows))
	var pairs [][2]int
	var lost []int
	for _, i := range erows {
		k := key(e.rows[i])
		if q := byKey[k]; len(q) > 0 {
			byKey[k] = q[1:]
			used[q[0]] = true
			pairs = append(pairs, [2]int{i, q[0]})
		} else {
			lost = append(lost, i)
		}
	}
	var left []int
	for j := range a.rows {
		if !used[j] {
			left = append(left, j)
		}
	}
	for len(lost) > 0 && len(left) > 0 {
		pairs = append(pairs, [2]int{lost[0], left[0]})
		lost, left = lost[1:], left[1:]
	}
	sort.Slice(pairs, func(x, y int) bool { return pairs[x][0] < pairs[y][0] })
	tolerated := make([]bool, len(e.header))
	for _, p := range pairs {
		er, ar := e.rows[p[0]], a.rows[p[1]]
		var diffs []string
		for c, col := range e.header {
			ec, ac := collapse(er.cells[c]), collapse(ar.cells[c])
			switch {
			case !cellSame(col, alike.same(ec), alike.same(ac)):
				diffs = append(diffs, fmt.Sprintf("%s %s -> %s", col, shorten(ec), shorten(ac)))
			case ec != ac:
				tolerated[c] = true
			}
		}
		if len(diffs) > 0 {
			ns.add("%s%s: %s", prefix, shorten(er.cells[0]), strings.Join(diffs, ", "))
		}
	}
	if len(lost) > 0 {
		ns.add("%smissing rows: %s", prefix, rowNames(e.rows, lost))
	}
	if len(left) > 0 && !elided {
		ns.add("%sextra rows: %s", prefix, rowNames(a.rows, left))
	}
	var cols []string
	for c, ok := range tolerated {
		if ok {
			cols = append(cols, e.header[c])
		}
	}
	if len(cols) > 0 {
		ns.add("%sinstance data differs: %s", prefix, strings.Join(cols, ", "))
	}
	return nil
}

// cellSame reports whether an expected cell and an actual cell of column
// col hold the same thing for the shape.
func cellSame(col, e, a string) bool {
	if e == a || volatileCols[col] {
		return true
	}
	if re := wildcard(e, `.+`); re != nil && re.MatchString(a) {
		return true
	}
	if statusCols[col] {
		return false
	}
	me, ma := mask(e), mask(a)
	if me == ma {
		return true
	}
	re := wildcard(me, `.+`)
	return re != nil && re.MatchString(ma)
}

// rowNames lists the first cells of some rows, at most eight.
func rowNames(rows []trow, idx []int) string {
	var names []string
	for k, i := range idx {
		if k == 8 {
			names = append(names, fmt.Sprintf("… (%d in all)", len(idx)))
			break
		}
		names = append(names, shorten(rows[i].cells[0]))
	}
	return strings.Join(names, ", ")
}

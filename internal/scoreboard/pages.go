package scoreboard

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// ReadEntries reads pages.tsv: a header line naming at least the columns
// path and class, then a page a line. name is the file's name for errors,
// which give name:line.
func ReadEntries(r io.Reader, name string) ([]Entry, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	pathCol, classCol := -1, -1
	var entries []Entry
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		cells := strings.Split(line, "\t")
		if pathCol < 0 {
			for i, c := range cells {
				switch strings.TrimSpace(c) {
				case "path":
					pathCol = i
				case "class":
					classCol = i
				}
			}
			if pathCol < 0 || classCol < 0 {
				return nil, fmt.Errorf("%s:%d: the header has no path and class columns", name, n)
			}
			continue
		}
		if len(cells) <= max(pathCol, classCol) {
			return nil, fmt.Errorf("%s:%d: %d columns, want at least %d", name, n, len(cells), max(pathCol, classCol)+1)
		}
		e := Entry{Path: strings.TrimSpace(cells[pathCol]), Class: strings.TrimSpace(cells[classCol])}
		if e.Path == "" || e.Class == "" || strings.ContainsAny(e.Path+e.Class, "| ") {
			return nil, fmt.Errorf("%s:%d: a page needs a path and a class without spaces or |", name, n)
		}
		entries = append(entries, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %v", name, n+1, err)
	}
	if pathCol < 0 {
		return nil, fmt.Errorf("%s:1: empty: want a header with path and class", name)
	}
	return entries, nil
}

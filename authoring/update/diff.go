package update

import (
	"strings"

	"github.com/pmezard/go-difflib/difflib"
)

// Diff is the unified diff of a page's old and new bytes (three lines of
// context, both files named path), "" when they are the same.
func Diff(path string, old, new []byte) (string, error) {
	if string(old) == string(new) {
		return "", nil
	}
	return difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A:        splitAfter(old),
		B:        splitAfter(new),
		FromFile: path,
		ToFile:   path,
		Context:  3,
	})
}

// splitAfter is b's lines, each with its line end; a last line without
// one gets it (difflib writes lines as they are).
func splitAfter(b []byte) []string {
	lines := strings.SplitAfter(string(b), "\n")
	if lines[len(lines)-1] == "" {
		return lines[:len(lines)-1]
	}
	lines[len(lines)-1] += "\n"
	return lines
}

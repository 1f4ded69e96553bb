package runner

import (
	"path"

	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
)

// foundDifferences says why a step's non-zero exit status is not a
// failure: its last command compares (kubectl diff, diff, cmp) and exit
// status 1 is how it says that what it compared differs, which is what
// the page shows it for. "" when the status is a failure.
func foundDifferences(code string, exit int) string {
	if exit != 1 {
		return ""
	}
	last, ok := shell.Parse(code).Last()
	if !ok || last.Background || len(last.Args) == 0 {
		return ""
	}
	switch prog := path.Base(last.Args[0]); prog {
	case "diff", "cmp":
		return "exit 1: " + prog + " found differences, which is not an error"
	case "kubectl":
		if inv, err := kubectl.Parse(last.Args[1:]); err == nil && inv.FoundDifferences(exit) {
			return "exit 1: kubectl diff found differences, which is not an error"
		}
	}
	return ""
}

package app

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/docrun/docrun/authoring/update"
	"github.com/docrun/docrun/result"
	"github.com/docrun/docrun/runner/match"
)

// updateOptions reads --update's value: a comma-separated list of differs
// (the default), all (similar steps too) and add (blocks for steps that
// have none).
func updateOptions(value string) (update.Options, error) {
	var o update.Options
	for _, v := range strings.Split(value, ",") {
		switch strings.TrimSpace(v) {
		case "differs":
		case "all":
			o.Similar = true
		case "add":
			o.Add = true
		default:
			return o, usageError{fmt.Errorf("--update=%s: want differs, all or add (or a comma-separated list)", value)}
		}
	}
	o.Lines, o.Excerpt = match.Lines, match.Excerpt
	return o, nil
}

// readPages reads the pages' bytes before they run: the edit of a page is
// made for these, and a page that changes on disk meanwhile is not
// written.
func readPages(pages []string) (map[string][]byte, error) {
	src := map[string][]byte{}
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, exitError{code: ExitFail, msg: "docrun: " + err.Error()}
		}
		src[p] = b
	}
	return src, nil
}

// writeUpdates writes each page's real output back into it (docrun run
// --update), or prints the unified diff when diffOnly (--dry-run): a line
// for each page changed and for each step left alone with the reason.
func writeUpdates(res *result.Result, src map[string][]byte, o update.Options, diffOnly bool, out io.Writer) error {
	failed := false
	for _, p := range res.Pages {
		old, ok := src[p.Path]
		if !ok || p.Error != "" {
			continue
		}
		var run []string
		if p.Cluster != nil && p.Cluster.Namespace != "" {
			run = []string{p.Cluster.Namespace}
		}
		o.Namespace = match.PageNamespace(run)
		edited, changes, notes := update.Edit(old, p, o)
		for _, n := range notes {
			fmt.Fprintf(out, "%s:%d: step %d: %s\n", p.Path, n.Line, n.Step, n.Msg)
		}
		if len(changes) == 0 {
			fmt.Fprintf(out, "%s: no expected output to update\n", p.Path)
			continue
		}
		if diffOnly {
			d, err := update.Diff(p.Path, old, edited)
			if err != nil {
				return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
			}
			fmt.Fprint(out, d)
			continue
		}
		if err := update.WriteFile(p.Path, old, edited); err != nil {
			fmt.Fprintf(out, "docrun: %v\n", err)
			failed = true
			continue
		}
		fmt.Fprintf(out, "%s: updated %s\n", p.Path, describe(changes))
	}
	if failed {
		return exitError{code: ExitFail}
	}
	return nil
}

// describe says which blocks changed: "2 blocks: step 0 at line 14
// rewritten, step 3 at line 30 added".
func describe(changes []update.Change) string {
	var parts []string
	for _, c := range changes {
		verb := "rewritten"
		if c.Added {
			verb = "added"
		}
		parts = append(parts, fmt.Sprintf("step %d at line %d %s", c.Step, c.Line, verb))
	}
	noun := "blocks"
	if len(changes) == 1 {
		noun = "block"
	}
	return fmt.Sprintf("%d %s: %s", len(changes), noun, strings.Join(parts, ", "))
}

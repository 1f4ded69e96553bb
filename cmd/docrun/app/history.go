package app

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/docrun/docrun/render"
	"github.com/docrun/docrun/runner"
	"github.com/docrun/docrun/runner/redact"
)

// writeHistory writes the history index of the results given (files,
// oldest first, or folders of results whose names sort by date) into
// o.History, with the reports of the runs it links to under runs/NAME.
func (o *RenderOptions) writeHistory() error {
	var files []string
	for _, a := range o.Pages {
		fi, err := os.Stat(a)
		if err != nil {
			return exitError{code: ExitFail, msg: "docrun: " + statProblem(a, err)}
		}
		if !fi.IsDir() {
			files = append(files, a)
			continue
		}
		found, _ := filepath.Glob(filepath.Join(a, "*.json"))
		if len(found) == 0 {
			return exitError{code: ExitFail, msg: fmt.Sprintf("docrun: no run results under %s (no .json files in it)", a)}
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	var runs []render.Run
	names := map[string]bool{}
	for _, f := range files {
		res, err := readResult(f)
		if err != nil {
			return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
		}
		if !o.NoRedact {
			runner.Redact(res, redact.New())
		}
		name := strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
		for n := 2; names[name]; n++ {
			name = fmt.Sprintf("%s-%d", strings.TrimSuffix(filepath.Base(f), filepath.Ext(f)), n)
		}
		names[name] = true
		runs = append(runs, render.Run{Name: name, Result: res, Report: "runs/" + name})
	}
	now := time.Now()
	linked := map[string]bool{}
	for _, h := range render.Histories(runs) {
		for _, f := range h.Failing {
			linked[f.Since] = true
		}
	}
	for _, r := range runs {
		if linked[r.Name] {
			if _, err := render.WriteHTML(filepath.Join(o.History, r.Report), htmlReports(r.Result, o.parse), "docrun "+version(), now); err != nil {
				return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
			}
		}
	}
	index := filepath.Join(o.History, "index.html")
	if err := os.MkdirAll(o.History, 0o755); err != nil {
		return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
	}
	f, err := os.Create(index)
	if err != nil {
		return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
	}
	err = render.WriteHistory(f, runs, "docrun "+version(), now)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
	}
	fmt.Fprintf(o.s.Out, "history: %s\n", index)
	return nil
}

package watch

import (
	"bytes"
	"fmt"
	stdhtml "html"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/render/html"
	"github.com/docrun/docrun/runner"

	"github.com/docrun/docrun/result"
)

// StaleReason is shown on a step whose code changed since the run its
// outcome came from: such a step is shown as "not run", marked stale, with
// this reason.
const StaleReason = "changed since the last run"

// report builds the HTML report of a freshly parsed page. Without a
// baseline every step is "not run". With one, the steps keep the
// baseline's outcomes by result.CarryOver's rule; a stale step is shown as
// "not run" with the reason StaleReason.
func report(page *markdown.Page, site *markdown.Site, base *html.Report, generator string) *html.Report {
	rep := &html.Report{Page: page, Site: site, Generator: generator}
	if base == nil || !base.Ran() {
		return rep
	}
	run := *base.Result
	run.Notes = slices.Clone(run.Notes)
	var stale []int
	run.Steps, stale = merge(&run, page.Doc.Steps, base.Result.Steps)
	if len(stale) > 0 {
		run.Notes = append(run.Notes, staleNote(stale))
	}
	rep.Result = &run
	return rep
}

// merge gives the steps of page p the outcomes of base (see
// result.CarryOver), the expected output compared again where it changed.
// It returns the outcomes in page order and the indexes of the stale
// steps that are shown.
func merge(p *result.PageResult, steps []markdown.Step, base []*result.StepResult) ([]*result.StepResult, []int) {
	outs := make([]*result.StepResult, len(steps))
	for i, s := range steps {
		outs[i] = &result.StepResult{Step: s, Status: result.NotRun}
	}
	result.CarryOver(outs, base, func(st *result.StepResult) { runner.Compare(p, st) })
	var stale []int
	for _, o := range outs {
		if !o.Stale || o.State() != result.NotRun {
			continue
		}
		if o.Runnable {
			o.Reason = StaleReason
		} else if o.Reason != "" {
			o.Reason = StaleReason + "; " + o.Reason
		}
		if !o.Hidden {
			stale = append(stale, o.Index)
		}
	}
	return outs, stale
}

// staleNote tells the report's reader which steps are stale.
func staleNote(stale []int) string {
	parts := make([]string, len(stale))
	for i, n := range stale {
		parts[i] = strconv.Itoa(n)
	}
	word := "step"
	if len(stale) > 1 {
		word = "steps"
	}
	return fmt.Sprintf("%s %s changed since the last run: marked stale, not run", word, strings.Join(parts, ", "))
}

// writeAtomic writes data to path through a temporary file in the same
// folder renamed over path, so a reader never sees half a file.
func writeAtomic(path string, data []byte) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// renderReport renders a report to bytes.
func renderReport(rep *html.Report) ([]byte, error) {
	var b bytes.Buffer
	if err := html.Render(&b, rep); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// errorPage is the small page written in place of the report while the
// page cannot be parsed. Everything from the error is escaped.
func errorPage(page string, err error) []byte {
	var b bytes.Buffer
	b.WriteString(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="` + html.CSP + `">
<meta name="color-scheme" content="light dark">
<title>docrun watch: error in `)
	b.WriteString(stdhtml.EscapeString(filepath.Base(page)))
	b.WriteString(`</title>
</head>
<body>
<header class="report"><p class="crumb">docrun watch · parse error</p></header>
<main>
<h1>The page could not be parsed</h1>
<p>Page: <code>`)
	b.WriteString(stdhtml.EscapeString(page))
	b.WriteString(`</code></p>
<pre class="page-error">`)
	b.WriteString(stdhtml.EscapeString(err.Error()))
	b.WriteString(`</pre>
<p>docrun is still watching: this file is rewritten when the page is fixed.</p>
</main>
</body>
</html>
`)
	return b.Bytes()
}

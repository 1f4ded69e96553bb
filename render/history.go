package render

import (
	"html/template"
	"io"
	"path"
	"time"

	"github.com/docrun/docrun/render/html"
	"github.com/docrun/docrun/result"
)

// Run is one saved run in a history: its name (the result file's, a date
// when results are named by date), its result, and the folder of its
// report relative to the history's index ("" when it has none).
type Run struct {
	Name   string
	Result *result.Result
	Report string
}

// PageHistory is one page over the runs of a history.
type PageHistory struct {
	Path, Title string
	// Cells are the page's status in each run, oldest first.
	Cells []Cell
	// LastPassed names the newest run where every step of the page that
	// ran passed, "" when none did.
	LastPassed string
	// Failing are the steps that fail in the newest run that has the
	// page, each with the run where it started failing; Error is why the
	// page could not run then, if it could not.
	Failing []Failing
	Error   string
}

// Cell is a page's status in one run: passed, failed, error (the page
// could not run), skipped (nothing ran) or absent (not in the run).
type Cell struct {
	Run, Status string
}

// Failing is a step failing since run Since (its failures since then
// unbroken); Href links to the step in that run's report.
type Failing struct {
	Step, Line  int
	Code, Since string
	Href        string
}

// Histories reads the runs, oldest first, into one history per page, the
// pages in the order of the newest run that has them.
func Histories(runs []Run) []*PageHistory {
	var out []*PageHistory
	byPath := map[string]*PageHistory{}
	for i := len(runs) - 1; i >= 0; i-- {
		for _, p := range runs[i].Result.Pages {
			if byPath[p.Path] == nil {
				h := &PageHistory{Path: p.Path, Title: p.Title}
				byPath[p.Path] = h
				out = append(out, h)
			}
		}
	}
	for _, h := range out {
		var newest *result.PageResult
		for _, r := range runs {
			p := find(r.Result, h.Path)
			st := pageStatus(p)
			h.Cells = append(h.Cells, Cell{Run: r.Name, Status: st})
			if st == "passed" {
				h.LastPassed = r.Name
			}
			if p != nil {
				newest = p
			}
		}
		if newest != nil {
			h.Failing, h.Error = failing(runs, h.Path, newest), newest.Error
		}
	}
	return out
}

// failing finds, for each failed step of the page's newest result, the
// oldest run of the unbroken streak of runs where the same step (its
// index and code) failed.
func failing(runs []Run, pagePath string, newest *result.PageResult) []Failing {
	var out []Failing
	for _, st := range newest.Steps {
		if !failed(st) {
			continue
		}
		since := -1
		for i := len(runs) - 1; i >= 0; i-- {
			p := find(runs[i].Result, pagePath)
			if p == nil {
				continue // not run then: the streak goes on
			}
			s := stepOf(p, st)
			if s == nil || !failed(s) {
				break
			}
			since = i
		}
		f := Failing{Step: st.Index, Line: st.Line, Code: firstLine(st.Code)}
		if since >= 0 {
			r := runs[since]
			f.Since = r.Name
			if r.Report != "" {
				f.Href = path.Join(r.Report, reportName(r.Result, pagePath)) + "#" + html.StepID(st.Index)
			}
		}
		out = append(out, f)
	}
	return out
}

// reportName is the file name WriteHTML gives the page's report among the
// run's pages.
func reportName(res *result.Result, pagePath string) string {
	used := map[string]bool{"index.html": true}
	for _, p := range res.Pages {
		if name := FileName(p.Path, used); p.Path == pagePath {
			return name
		}
	}
	return ""
}

func find(res *result.Result, pagePath string) *result.PageResult {
	for _, p := range res.Pages {
		if p.Path == pagePath {
			return p
		}
	}
	return nil
}

func stepOf(p *result.PageResult, like *result.StepResult) *result.StepResult {
	for _, s := range p.Steps {
		if s.Index == like.Index && s.Code == like.Code {
			return s
		}
	}
	return nil
}

func failed(s *result.StepResult) bool {
	return s.Status == result.Failed || s.Status == result.Timeout
}

// pageStatus is a page's status in one run (see Cell).
func pageStatus(p *result.PageResult) string {
	if p == nil {
		return "absent"
	}
	if p.Error != "" {
		return "error"
	}
	st := "skipped"
	for _, s := range p.Steps {
		switch {
		case failed(s):
			return "failed"
		case s.Status == result.Passed:
			st = "passed"
		}
	}
	return st
}

func firstLine(code string) string {
	for i, r := range code {
		if r == '\n' {
			return code[:i]
		}
	}
	return code
}

// WriteHistory writes the history index of runs (oldest first): a row
// per page with a strip of cells, one per run (newest right), when it
// last passed, and the steps failing in its newest run with the run where
// each started failing, linked to it. Static HTML, no script.
func WriteHistory(w io.Writer, runs []Run, generator string, now time.Time) error {
	var names []string
	for _, r := range runs {
		names = append(names, r.Name)
	}
	first, last := "", ""
	if len(names) > 0 {
		first, last = names[0], names[len(names)-1]
	}
	return historyTemplate.Execute(w, map[string]any{
		"CSP": html.CSP, "Runs": names, "First": first, "Last": last, "Pages": Histories(runs),
		"Generator": generator, "Now": now.UTC().Format(time.RFC3339),
	})
}

var historyTemplate = template.Must(template.New("history").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>docrun: health over time</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1b1f24;background:#fff}
@media (prefers-color-scheme:dark){body{color:#e6e6e6;background:#16181c}a{color:#8ab4f8}}
table{border-collapse:collapse}td,th{padding:.3rem .6rem;text-align:left;vertical-align:top;border-bottom:1px solid #8884}
.strip{display:flex;gap:2px}.cell{display:inline-block;width:.9rem;height:1.2rem;border-radius:2px}
.passed{background:#2da44e}.failed{background:#cf222e}.error{background:#8250df}.skipped{background:#9aa0a6}.absent{background:transparent;outline:1px dashed #8888;outline-offset:-1px}
.legend .cell{vertical-align:middle;margin:0 .2rem 0 .8rem}code{font-size:.9em}ul{margin:0;padding-left:1rem}
</style>
</head>
<body>
<h1>Health over time</h1>
<p>{{len .Pages}} pages over {{len .Runs}} runs{{if .Runs}}, from {{.First}} to {{.Last}}{{end}}; each cell is a run, the newest on the right.</p>
<p class="legend"><span class="cell passed"></span>passed<span class="cell failed"></span>failed or timed out<span class="cell error"></span>could not run<span class="cell skipped"></span>nothing ran<span class="cell absent"></span>not in the run</p>
<table>
<thead><tr><th>Page</th><th>Runs</th><th>Last passed</th><th>Failing since</th></tr></thead>
<tbody>
{{range .Pages}}<tr>
<td>{{if .Title}}{{.Title}}<br>{{end}}<code>{{.Path}}</code></td>
<td><div class="strip">{{range .Cells}}<span class="cell {{.Status}}" title="{{.Run}}: {{.Status}}"></span>{{end}}</div></td>
<td>{{if .LastPassed}}{{.LastPassed}}{{else}}never{{end}}</td>
<td>{{with .Error}}could not run: {{.}}{{end}}{{with .Failing}}<ul>{{range .}}<li>{{if .Href}}<a href="{{.Href}}">step {{.Step}}</a>{{else}}step {{.Step}}{{end}} (line {{.Line}}, <code>{{.Code}}</code>) since {{.Since}}</li>{{end}}</ul>{{end}}</td>
</tr>
{{end}}</tbody>
</table>
<footer><p>Made by {{.Generator}} at {{.Now}}. This file runs no script and loads nothing.</p></footer>
</body>
</html>
`))

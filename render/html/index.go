package html

import (
	"html/template"
	"io"
	"time"
)

// IndexEntry is one page's row in index.html.
type IndexEntry struct {
	Title string
	Lang  string
	Path  string
	// Href is the page's report, relative to index.html.
	Href       string
	Counts     Counts
	DurationMS int64
	// Ran is false for pages rendered without running them.
	Ran bool
	// Error is set when the page could not be parsed or run.
	Error string
}

// Index is the overview of a set of reports.
type Index struct {
	// Title names the set ("docrun reports" when empty).
	Title     string
	Entries   []IndexEntry
	Generator string
	Now       time.Time
	// Context names the cluster the pages ran against, "" when none.
	Context string
}

// RenderIndex writes index.html: a row per page with its title, language,
// counts and duration, linking to its report.
func RenderIndex(w io.Writer, ix *Index) error {
	data := indexData{Index: ix, CSP: CSP, CSS: template.CSS(styleCSS), Name: ix.Title}
	if data.Name == "" {
		data.Name = "docrun reports"
	}
	for _, e := range ix.Entries {
		data.Total.Steps += e.Counts.Steps
		data.Total.Passed += e.Counts.Passed
		data.Total.Failed += e.Counts.Failed
		data.Total.Skipped += e.Counts.Skipped
		data.Total.Timeout += e.Counts.Timeout
		data.Total.NotRun += e.Counts.NotRun
		data.Rows = append(data.Rows, indexRow{IndexEntry: e, Duration: FormatDuration(e.DurationMS),
			Bad: e.Error != "" || e.Counts.Failed+e.Counts.Timeout > 0})
	}
	if !ix.Now.IsZero() {
		data.Now = ix.Now.Format(time.RFC3339)
	}
	return indexTmpl.Execute(w, data)
}

type indexData struct {
	*Index
	CSP   string
	CSS   template.CSS
	Rows  []indexRow
	Total Counts
	Now   string
	Name  string
}

type indexRow struct {
	IndexEntry
	Duration string
	Bad      bool
}

var indexTmpl = template.Must(template.New("index").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{{.Name}}</title>
<style>
{{.CSS}}</style>
</head>
<body class="index">
<header class="report">
<p class="crumb">{{.Name}}</p>
<h1 class="title">{{len .Rows}} {{if eq (len .Rows) 1}}page{{else}}pages{{end}}</h1>
<p class="counts">{{.Total.Steps}} {{if eq .Total.Steps 1}}step{{else}}steps{{end}}:
<span class="badge b-passed">{{.Total.Passed}} passed</span>
<span class="badge b-failed">{{.Total.Failed}} failed</span>
<span class="badge b-skipped">{{.Total.Skipped}} skipped</span>
<span class="badge b-timeout">{{.Total.Timeout}} timeout</span>
<span class="badge b-notrun">{{.Total.NotRun}} not run</span></p>
<p class="facts-line">{{with .Context}}cluster context <code>{{.}}</code> · {{end}}{{.Generator}}{{with .Now}} · <time>{{.}}</time>{{end}}</p>
</header>
<main>
<table class="pages">
<thead><tr><th>page</th><th>language</th><th>steps</th><th>passed</th><th>failed</th><th>skipped</th><th>timeout</th><th>not run</th><th>duration</th></tr></thead>
<tbody>
{{- range .Rows}}
<tr{{if .Bad}} class="bad"{{end}}><td><a href="{{.Href}}">{{.Title}}</a><br><code class="path">{{.Path}}</code>{{with .Error}}<br><span class="page-error">{{.}}</span>{{end}}</td><td>{{.Lang}}</td><td class="n">{{.Counts.Steps}}</td><td class="n">{{.Counts.Passed}}</td><td class="n">{{.Counts.Failed}}</td><td class="n">{{.Counts.Skipped}}</td><td class="n">{{.Counts.Timeout}}</td><td class="n">{{.Counts.NotRun}}</td><td class="n">{{if .Ran}}{{.Duration}}{{else}}—{{end}}</td></tr>
{{- end}}
</tbody>
</table>
</main>
</body>
</html>
`))

package html

import (
	"bytes"
	_ "embed"
	"html/template"
	"io"
	"strconv"
	"time"

	"github.com/docrun/docrun/result"
)

//go:embed style.css
var styleCSS string

// CSP is the Content-Security-Policy every report declares: no script, no
// fetch of any kind; only the inlined stylesheet.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

// Stylesheet is the report's whole stylesheet: the layout and the
// highlighting of code, light and dark.
func Stylesheet() string { return styleCSS + chromaCSS() }

// Render writes the report of one page as a complete HTML document.
func Render(w io.Writer, r *Report) error {
	var body bytes.Buffer
	bd := newBody(r)
	if err := bd.render(&body); err != nil {
		return err
	}
	d := r.doc()
	data := pageData{
		Lang: bd.lang, Title: r.Title(), CSP: CSP,
		Body: template.HTML(body.String()), Path: d.Path, Run: r.Result,
		Generator: r.Generator, Counts: bd.steps.counts(), Warnings: d.Warnings, Ran: r.Ran(),
		Controls: r.Controls,
	}
	if r.Controls != nil {
		data.CSP = r.Controls.CSP()
	}
	if !r.Now.IsZero() {
		data.Now = r.Now.Format(time.RFC3339)
	}
	if r.Result != nil {
		data.Cluster = r.Result.Cluster
		if !r.Result.Started.IsZero() {
			data.Started = r.Result.Started.Format(time.RFC3339)
			data.Duration = FormatDuration(r.Result.DurationMS)
		}
	}
	for _, o := range bd.steps.all {
		item := stepLink{ID: bd.steps.ids[o], Name: "step " + strconv.Itoa(o.Step.Index), Section: o.Step.Section,
			Line: FirstLine(firstNonEmpty(o.Ran, o.Step.Code), 80), Status: string(o.State())}
		if o.Step.Hidden {
			item.Name = "hidden step"
		}
		switch {
		case o.Status == result.Failed || o.Status == result.Timeout:
			item.Detail = "exit " + strconv.Itoa(o.ExitCode)
			if o.Status == result.Timeout {
				item.Detail = "timed out after " + FormatDuration(o.DurationMS)
			}
			data.Failures = append(data.Failures, item)
		case o.Verdict == "differs":
			data.Differs = append(data.Differs, item)
		}
	}
	for _, s := range d.Sections {
		if s.Level >= 2 && s.Level <= 4 {
			data.TOC = append(data.TOC, tocItem{Level: s.Level, ID: s.ID, Title: s.Title})
		}
	}
	// The stylesheet is written as it is: through the template it would be
	// scanned by the escaper on every page.
	if err := headTmpl.Execute(w, data); err != nil {
		return err
	}
	if _, err := io.WriteString(w, "<style>\n"+Stylesheet()+"</style>\n"); err != nil {
		return err
	}
	return pageTmpl.Execute(w, data)
}

type pageData struct {
	Lang, Title, CSP string
	Body             template.HTML
	Path             string
	Run              *result.PageResult
	Cluster          *result.ClusterInfo
	Generator        string
	Now              string
	Started          string
	Duration         string
	Counts           Counts
	Failures         []stepLink
	Differs          []stepLink
	Warnings         []string
	TOC              []tocItem
	Ran              bool
	Controls         Controls
}

type stepLink struct {
	ID, Name, Section, Line, Status, Detail string
}

type tocItem struct {
	Level     int
	ID, Title string
}

var headTmpl = template.Must(template.New("head").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="{{.Generator}}">
{{- with .Controls}}
{{.Head $.Title}}
{{- else}}
<title>{{.Title}} · docrun report</title>
{{- end}}
`))

var pageTmpl = template.Must(template.New("page").Parse(`</head>
<body>
<header class="report" id="docrun-header">
{{- with .Controls}}
{{.Header}}
{{- else}}
<p class="crumb">docrun report{{if not .Ran}} · not run{{end}}</p>
{{- end}}
<dl class="facts">
<dt>page</dt><dd><code>{{.Path}}</code> ({{.Lang}})</dd>
{{- with .Cluster}}{{if or .Context .Server}}
<dt>cluster</dt><dd>context <code>{{.Context}}</code>{{with .Server}}, server <code>{{.}}</code>{{end}}{{with .Version}}, version <code>{{.}}</code>{{end}}</dd>{{end}}
{{- with .Namespace}}
<dt>namespace</dt><dd><code>{{.}}</code></dd>{{end}}
{{- end}}
{{- with .Started}}
<dt>started</dt><dd><time>{{.}}</time>{{if not $.Controls}}, took {{$.Duration}}{{end}}</dd>{{end}}
<dt>docrun</dt><dd>{{.Generator}}{{with .Now}}, report made <time>{{.}}</time>{{end}}</dd>
</dl>
<p class="counts">{{.Counts.Steps}} {{if eq .Counts.Steps 1}}step{{else}}steps{{end}}:
<span class="badge b-passed">{{.Counts.Passed}} passed</span>
<span class="badge b-failed">{{.Counts.Failed}} failed</span>
<span class="badge b-skipped">{{.Counts.Skipped}} skipped</span>
<span class="badge b-timeout">{{.Counts.Timeout}} timeout</span>
<span class="badge b-notrun">{{.Counts.NotRun}} not run</span></p>
{{- with .Run}}{{with .Error}}
<p class="page-error">The page could not be read or run: <code>{{.}}</code></p>{{end}}{{end}}
{{- if .Failures}}
<section class="failures" id="docrun-failures"><h2>Failures</h2><ol>
{{- range .Failures}}
<li><a href="#{{.ID}}">{{.Name}}</a> <span class="badge b-{{.Status}}">{{.Status}}</span> {{.Detail}}{{with .Section}} · {{.}}{{end}} · <code>{{.Line}}</code></li>
{{- end}}
</ol></section>{{end}}
{{- if .Differs}}
<section class="differs" id="docrun-differs"><h2>Output differs from the page</h2><ol>
{{- range .Differs}}
<li><a href="#{{.ID}}:expected">{{.Name}}</a>{{with .Section}} · {{.}}{{end}} · <code>{{.Line}}</code></li>
{{- end}}
</ol></section>{{end}}
{{- if .Warnings}}
<section class="warnings" id="docrun-warnings"><h2>Warnings</h2><ul>
{{- range .Warnings}}
<li>{{.}}</li>
{{- end}}
</ul></section>{{end}}
{{- with .Run}}{{if .Missing}}
<section class="missing" id="docrun-missing"><h2>What the cluster lacks</h2><ul>{{range .Missing}}<li>{{.}}</li>{{end}}</ul></section>{{end}}
{{- if .Leaks}}
<section class="leaks"><h2>Cluster-scoped objects left behind</h2><ul>{{range .Leaks}}<li><code>{{.}}</code></li>{{end}}</ul></section>{{end}}
{{- if .Notes}}
<section class="notes"><h2>Notes</h2><ul>{{range .Notes}}<li>{{.}}</li>{{end}}</ul></section>{{end}}{{end}}
</header>
<div class="layout">
{{- if .TOC}}
<nav class="toc" aria-label="contents"><p class="toc-title">Contents</p><ul>
{{- range .TOC}}
<li class="toc-l{{.Level}}"><a href="#{{.ID}}">{{.Title}}</a></li>
{{- end}}
</ul></nav>{{end}}
<main>
<article>
<h1 class="title">{{.Title}}</h1>
{{.Body}}</article>
</main>
</div>
{{- with .Controls}}
<footer><p>{{.Footer $.Generator}}</p></footer>
{{- else}}
<footer><p>Made by {{.Generator}}. Everything shown from the page and from command output is text; this file runs no script and loads nothing.</p></footer>
{{- end}}
</body>
</html>
`))

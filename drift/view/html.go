package view

import (
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/docrun/docrun/drift"
	"github.com/docrun/docrun/render"
	"github.com/docrun/docrun/render/html"
)

// WriteHTML writes the side-by-side view of each report (one HTML file a
// page, named as the run report names it) and index.html, the summary line
// of each, into dir; it returns index.html's path. The pages are static:
// the report's stylesheet and Content-Security-Policy, no script.
func WriteHTML(dir string, reports []*drift.Report, generator string, now time.Time) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	used := map[string]bool{"index.html": true}
	var entries []indexEntry
	for _, r := range reports {
		e := indexEntry{Path: r.Translation, Source: r.Source, NoSource: r.NoSource, Drifted: r.Summary.Drifted,
			Steps: r.Summary.Steps, Summary: breakdown(r)}
		if !r.NoSource {
			e.Href = render.FileName(r.Translation, used)
			if err := render.WriteFile(filepath.Join(dir, e.Href), func(w io.Writer) error {
				return pageTemplate.Execute(w, newPageData(dir, r, generator, now))
			}); err != nil {
				return "", err
			}
		}
		entries = append(entries, e)
	}
	index := filepath.Join(dir, "index.html")
	err := render.WriteFile(index, func(w io.Writer) error {
		return indexTemplate.Execute(w, map[string]any{"CSP": html.CSP, "Style": style(), "Pages": entries,
			"Generator": generator, "Now": now.UTC().Format(time.RFC3339)})
	})
	return index, err
}

type indexEntry struct {
	Path, Source, Href, Summary string
	NoSource                    bool
	Drifted, Steps              int
}

// pageData is what the page template shows of a report.
type pageData struct {
	CSP         string
	Style       template.CSS
	Lang        string
	Title       string
	Translation string
	Source      string
	Summary     string
	Front       []string
	Rows        []row
	Generator   string
	Now         string
}

// row is a pair shown side by side.
type row struct {
	ID, N, State, Badge, Details string
	T, S                         *side
	OutputDiff                   string
}

// side is one page's step of a pair: its line, linked to the page's file,
// and its code (with the words the other page lacks marked).
type side struct {
	ID, Label, Href string
	Code            template.HTML
}

func newPageData(dir string, r *drift.Report, generator string, now time.Time) pageData {
	d := pageData{CSP: html.CSP, Style: style(), Lang: r.Lang, Translation: r.Translation, Source: r.Source,
		Summary: summaryLine(r), Generator: generator, Now: now.UTC().Format(time.RFC3339)}
	d.Title = r.Translation
	if r.TranslationDoc != nil && r.TranslationDoc.Title != "" {
		d.Title = r.TranslationDoc.Title
	}
	for _, f := range r.Front {
		d.Front = append(d.Front, fmt.Sprintf("front matter %s: %s in the source, %s here", f.Field, orNone(f.Source), orNone(f.Translation)))
	}
	tHref, sHref := fileHref(dir, r.Translation), fileHref(dir, r.Source)
	for i := range r.Pairs {
		p := &r.Pairs[i]
		rw := row{ID: "pair-" + strconv.Itoa(i), N: "pair " + strconv.Itoa(i), State: stateCell(p), Badge: badge(p), Details: Details(p)}
		if p.Output != nil && p.Output.Verdict == "differs" {
			rw.OutputDiff = p.Output.Diff
		}
		tCode, sCode := codes(p)
		if p.Translation != nil {
			rw.T = &side{ID: "t-step-" + strconv.Itoa(p.Translation.Index), Label: r.Translation + ":" + strconv.Itoa(p.Translation.Line),
				Href: tHref + "#L" + strconv.Itoa(p.Translation.Line), Code: tCode}
		}
		if p.Source != nil {
			rw.S = &side{ID: "s-step-" + strconv.Itoa(p.Source.Index), Label: r.Source + ":" + strconv.Itoa(p.Source.Line),
				Href: sHref + "#L" + strconv.Itoa(p.Source.Line), Code: sCode}
		}
		d.Rows = append(d.Rows, rw)
	}
	return d
}

// codes are the two sides' code as HTML: for a pair with a word diff, the
// diff's words (comments left out), the source's deleted words in <del>,
// the translation's inserted words in <ins>; else each step's code.
func codes(p *drift.Pair) (t, s template.HTML) {
	if len(p.Diff) == 0 {
		if p.Translation != nil {
			t = template.HTML(template.HTMLEscapeString(p.Translation.Code))
		}
		if p.Source != nil {
			s = template.HTML(template.HTMLEscapeString(p.Source.Code))
		}
		return t, s
	}
	var tb, sb strings.Builder
	for _, e := range p.Diff {
		text := template.HTMLEscapeString(e.Text)
		switch e.Op {
		case drift.Equal:
			tb.WriteString(text)
			sb.WriteString(text)
		case drift.Delete:
			sb.WriteString(mark("del", text))
		case drift.Insert:
			tb.WriteString(mark("ins", text))
		}
	}
	return template.HTML(tb.String()), template.HTML(sb.String())
}

// mark wraps text's words in the element tag, the spacing around them
// left outside.
func mark(tag, text string) string {
	core := strings.TrimSpace(text)
	if core == "" {
		return text
	}
	i := strings.Index(text, core)
	return text[:i] + "<" + tag + ">" + core + "</" + tag + ">" + text[i+len(core):]
}

// fileHref is a page's path relative to the view's folder, as a URL path.
func fileHref(dir, page string) string {
	ad, err1 := filepath.Abs(dir)
	ap, err2 := filepath.Abs(page)
	if err1 == nil && err2 == nil {
		if rel, err := filepath.Rel(ad, ap); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(page)
}

// badge is the report's badge class for a pair: passed for the same,
// timeout's colour for changed or moved, failed for a step in one page
// only or another output.
func badge(p *drift.Pair) string {
	switch {
	case !p.Drifted():
		return "passed"
	case p.State == drift.Changed || p.State == drift.Moved:
		return "timeout"
	}
	return "failed"
}

// style is the report's stylesheet and the side-by-side layout.
func style() template.CSS {
	return template.CSS(html.Stylesheet() + driftCSS)
}

const driftCSS = `
main.drift { max-width: 90rem; margin: 0 auto; padding: 0 2rem 2rem; }
.pair { margin: 1rem 0; border: 1px solid var(--border); border-left: 4px solid var(--pass); border-radius: 4px; background: var(--panel); }
.pair.d-timeout { border-left-color: var(--time); }
.pair.d-failed { border-left-color: var(--fail); }
.sides { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); border-top: 1px solid var(--border); }
.side { min-width: 0; }
.side + .side { border-left: 1px solid var(--border); }
.side .line { display: block; padding: 0.2rem 0.8rem; font-size: 0.8rem; font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
.side pre { margin: 0; padding: 0.3rem 0.8rem 0.6rem; background: var(--code-bg); overflow-x: auto; }
.side .absent { margin: 0; padding: 0.3rem 0.8rem; color: var(--muted); font-style: italic; }
.sides-head { display: grid; grid-template-columns: 1fr 1fr; font-weight: 600; color: var(--muted); margin-top: 1rem; }
del { color: var(--del); background: var(--fail-bg); }
ins { color: var(--add); background: var(--pass-bg); text-decoration: none; }
`

var pageTemplate = template.Must(template.New("drift").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>drift: {{.Title}}</title>
<style>{{.Style}}</style>
</head>
<body>
<header class="report">
<p class="crumb"><a href="index.html">docrun drift</a></p>
<h1>{{.Title}}</h1>
<p class="facts-line"><code class="path">{{.Translation}}</code> against its source <code class="path">{{.Source}}</code></p>
<p class="counts">{{.Summary}}</p>
{{range .Front}}<p class="page-error">{{.}}</p>
{{end}}</header>
<main class="drift">
<div class="sides-head"><div>translation</div><div>source</div></div>
{{range .Rows}}<section class="pair d-{{.Badge}}" id="{{.ID}}">
<div class="step-head"><a class="step-no" href="#{{.ID}}">{{.N}}</a> <span class="badge b-{{.Badge}}">{{.State}}</span> <span class="meta">{{.Details}}</span></div>
<div class="sides">
<div class="side">{{with .T}}<a class="line" id="{{.ID}}" href="{{.Href}}">{{.Label}}</a><pre>{{.Code}}</pre>{{else}}<p class="absent">not in the translation</p>{{end}}</div>
<div class="side">{{with .S}}<a class="line" id="{{.ID}}" href="{{.Href}}">{{.Label}}</a><pre>{{.Code}}</pre>{{else}}<p class="absent">not in the source</p>{{end}}</div>
</div>
{{with .OutputDiff}}<div class="diff"><div class="label">expected outputs differ in shape</div><pre>{{.}}</pre></div>{{end}}
</section>
{{end}}</main>
<footer class="drift"><p>Made by {{.Generator}} at {{.Now}}. This file runs no script and loads nothing.</p></footer>
</body>
</html>
`))

var indexTemplate = template.Must(template.New("index").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>docrun drift</title>
<style>{{.Style}}</style>
</head>
<body>
<header class="report"><h1>Translations against their sources</h1><p class="counts">{{len .Pages}} pages</p></header>
<main class="drift">
<table class="index">
<thead><tr><th>Page</th><th class="n">Drifted</th><th class="n">Steps</th><th>What drifted</th></tr></thead>
<tbody>
{{range .Pages}}<tr><td>{{if .Href}}<a href="{{.Href}}"><code class="path">{{.Path}}</code></a>{{else}}<code class="path">{{.Path}}</code>{{end}}</td>{{if .NoSource}}<td class="n">—</td><td class="n">—</td><td>no source (<code>{{.Source}}</code> does not exist)</td>{{else}}<td class="n">{{.Drifted}}</td><td class="n">{{.Steps}}</td><td>{{.Summary}}</td>{{end}}</tr>
{{end}}</tbody>
</table>
</main>
<footer class="drift"><p>Made by {{.Generator}} at {{.Now}}. This file runs no script and loads nothing.</p></footer>
</body>
</html>
`))

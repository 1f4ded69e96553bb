// Package render is docrun's render stage: it turns a run result
// (result.Result) into what people and CI systems read: a folder of HTML
// reports (one per page and index.html, drawn by render/html), JUnit XML,
// and GitHub Actions annotations. It never imports the runner: secrets are
// hidden in a result (runner.Redact) before it is rendered.
package render

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/render/html"
	"github.com/docrun/docrun/result"
)

// FromResult is the HTML report of a page's run. page is the page parsed
// again for its prose; when it is nil, or no longer has the steps that ran
// (it changed since), the steps are shown from the result alone.
func FromResult(pr *result.PageResult, page *markdown.Page, site *markdown.Site) *html.Report {
	run := *pr
	if run.Steps == nil {
		run.Steps = []*result.StepResult{}
	}
	doc := pr.Document
	doc.Steps = make([]markdown.Step, 0, len(pr.Steps))
	for _, s := range pr.Steps {
		doc.Steps = append(doc.Steps, s.Step)
	}
	rep := &html.Report{Doc: &doc, Site: site, Result: &run}
	if page != nil && sameSteps(page.Doc, pr) {
		rep.Page, rep.Doc = page, page.Doc
	} else if page != nil {
		run.Notes = append(slices.Clone(run.Notes),
			"the page changed since it ran: its steps are shown from the run result alone")
	}
	return rep
}

// sameSteps reports whether every step that ran is the page's step of the
// same index with the same code (or one docrun.yaml or a setup added).
func sameSteps(doc *markdown.Document, pr *result.PageResult) bool {
	for _, s := range pr.Steps {
		if s.Hidden && (s.Reason == "inserted by docrun.yaml" || s.Setup != "") {
			continue
		}
		if s.Index < 0 || s.Index >= len(doc.Steps) || doc.Steps[s.Index].Code != s.Code {
			return false
		}
	}
	return true
}

// WriteHTML writes one HTML file per report and index.html into dir
// (created if needed) and returns the path of index.html.
func WriteHTML(dir string, reps []*html.Report, generator string, now time.Time) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	ix := &html.Index{Generator: generator, Now: now}
	used := map[string]bool{"index.html": true}
	for _, r := range reps {
		doc := r.Document()
		name := FileName(doc.Path, used)
		if r.Generator == "" {
			r.Generator = generator
		}
		if r.Now.IsZero() {
			r.Now = now
		}
		if err := WriteFile(filepath.Join(dir, name), func(w io.Writer) error { return html.Render(w, r) }); err != nil {
			return "", err
		}
		e := html.IndexEntry{Title: r.Title(), Lang: doc.Lang, Path: doc.Path, Href: name,
			Counts: r.Counts(), Ran: r.Ran()}
		if res := r.Result; res != nil {
			e.DurationMS, e.Error = res.DurationMS, res.Error
			if ix.Context == "" && res.Cluster != nil {
				ix.Context = res.Cluster.Context
			}
		}
		ix.Entries = append(ix.Entries, e)
	}
	index := filepath.Join(dir, "index.html")
	if err := WriteFile(index, func(w io.Writer) error { return html.RenderIndex(w, ix) }); err != nil {
		return "", err
	}
	return index, nil
}

// WriteFile creates the file at path with what write writes, and says
// which file an error is about.
func WriteFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// FileName is the report file of a page: its path under content/ (or its
// base name) with slashes as dashes and .html for .md, unique among used.
func FileName(page string, used map[string]bool) string {
	p := filepath.ToSlash(page)
	if i := strings.LastIndex(p, "/content/"); i >= 0 {
		p = p[i+len("/content/"):]
	} else if strings.HasPrefix(p, "content/") {
		p = strings.TrimPrefix(p, "content/")
	} else {
		p = filepath.Base(p)
	}
	p = strings.TrimSuffix(p, filepath.Ext(p))
	var b strings.Builder
	for _, r := range p {
		switch {
		case r == '/':
			b.WriteByte('-')
		case r == '.' || r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	base := strings.Trim(b.String(), "-.")
	if base == "" {
		base = "page"
	}
	name := base + ".html"
	for i := 2; used[name]; i++ {
		name = fmt.Sprintf("%s-%d.html", base, i)
	}
	used[name] = true
	return name
}

package markdown

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// Setup is what a page has the reader do by following a link to a section
// of another page of the site: "You also need to [create a sample
// Deployment](/docs/tasks/run-application/run-stateless-application-deployment/#creating-and-exploring-an-nginx-deployment)"
// in its prerequisites, or a step "1. [Create a sample Deployment](...)".
// A runner runs the steps of that section that change something before
// the page's step Before, as setup steps of the page.
type Setup struct {
	// Before is the index of the page's step the setup runs before.
	Before int `json:"before"`
	// Line is the line of the link in the page, Link its destination as
	// written, and Text its text.
	Line int    `json:"line"`
	Link string `json:"link"`
	Text string `json:"text"`
	// Page is the linked page, relative to the site's folder, and Section
	// the title of the linked heading.
	Page    string `json:"page"`
	Section string `json:"section"`
	// Again is set for a setup run again because the page says to make
	// the object anew ("You will need to recreate the Deployment for each
	// type") and deletes what the setup made a second time.
	Again bool `json:"again,omitempty"`
	// Note says how the page was found when that is not plain (the
	// translation does not exist: its English original is read).
	Note string `json:"note,omitempty"`
	// Steps are the linked section's commands that change something
	// (read-only ones, kubectl get or describe, are left out), as parsed
	// from the linked page: their Line and Source are that page's.
	Steps []Step `json:"steps"`
}

// setupCues are the texts of a link that asks the reader to make
// something by following it ("create a sample Deployment", 「サンプルの
// Deploymentを作成する」), per language; recreateCues the sentences that
// say it must be made again for each part of the page. A translator adds
// rows.
var (
	setupCues = []cue{
		{"en", cueCommand, "create", re(`(?i)^\s*(create|deploy|set up|start|run)\s+(a|an|the|your|some|one|two|three)\b`)},
		{"ja", cueCommand, "作成する", re(`を(作成|デプロイ|起動|構築)(する|します|して(ください)?)?\s*[。.]?\s*$`)},
	}
	recreateCues = []cue{
		{"en", cueCommand, "recreate", re(`(?i)\bre-?(create|deploy)\b`)},
		{"ja", cueCommand, "再作成", re(`再作成|作り直|再度作成|もう一度作成`)},
	}
)

// maxSetups bounds the links a page's setups follow.
const maxSetups = 8

// findSetups finds the page's setups (see Setup): links whose text asks to
// make something, to a section (#id) of another page of the same site, in
// the prerequisites (the setup runs before the first step after them) or
// in the procedure (before the next step). The linked page is read as
// pages are, without its own setups; it must be inside the site's
// content/, in the page's language or, when not translated, in English.
func (w *walker) findSetups(site *Site, version Version) {
	doc := w.page.Doc
	if site == nil || site.Root == "" {
		return
	}
	parsed := map[string]*Document{}
	var again *Setup
	ast.Walk(w.page.AST, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		link, ok := n.(*ast.Link)
		if !entering || !ok || len(doc.Setups) >= maxSetups {
			return ast.WalkContinue, nil
		}
		text := plainText(link, w.source)
		dest := string(link.Destination)
		if !strings.HasPrefix(dest, "/") || !strings.Contains(dest, "#") || !w.matches(setupCues, text) {
			return ast.WalkSkipChildren, nil
		}
		line := w.src.pageLine(max(textStart(link), 0))
		sec := sectionAt(doc.Sections, line)
		before := -1
		for _, st := range doc.Steps {
			if st.Line > line {
				before = st.Index
				break
			}
		}
		if before < 0 {
			return ast.WalkSkipChildren, nil
		}
		s, err := linkedSection(site, doc.Lang, dest, version, parsed)
		if err != nil {
			w.warnings = append(w.warnings, fmt.Sprintf("%s:%d: %s", doc.Path, line, err))
			return ast.WalkSkipChildren, nil
		}
		s.Before, s.Line, s.Link, s.Text = before, line, dest, text
		doc.Setups = append(doc.Setups, *s)
		if sec != nil && sec.Role == "prerequisites" && w.matches(recreateCues, plainText(link.Parent(), w.source)) {
			again = &doc.Setups[len(doc.Setups)-1]
		}
		return ast.WalkSkipChildren, nil
	})
	if again != nil {
		w.setupsAgain(*again)
	}
}

// matches reports whether a text matches one of the rows of the page's
// language or English.
func (w *walker) matches(cues []cue, text string) bool {
	for _, c := range cues {
		if (c.lang == "en" || c.lang == w.page.Doc.Lang) && c.re.MatchString(text) {
			return true
		}
	}
	return false
}

// setupsAgain adds the setup s again before each step that deletes, with
// kubectl delete, an object an earlier step already deleted with no setup
// run since: the prerequisites say to make it anew each time.
func (w *walker) setupsAgain(s Setup) {
	doc := w.page.Doc
	runs := map[int]bool{}
	for _, o := range doc.Setups {
		runs[o.Before] = true
	}
	deleted := map[string]bool{}
	for _, st := range doc.Steps {
		if st.Index < s.Before || st.Kind != KindCommand || !st.Runnable {
			continue
		}
		if runs[st.Index] {
			deleted = map[string]bool{}
		}
		keys := deletes(st)
		for _, k := range keys {
			if deleted[k] {
				a := s
				a.Before, a.Again = st.Index, true
				doc.Setups = append(doc.Setups, a)
				deleted = map[string]bool{}
				break
			}
		}
		for _, k := range keys {
			deleted[k] = true
		}
	}
}

// deletes returns the objects a step's kubectl delete commands name by
// kind and name ("deployment/nginx"; see Step.Objects).
func deletes(st Step) []string {
	var out []string
	for _, u := range st.Objects {
		if u.Command != "delete" {
			continue
		}
		for _, o := range u.Objects {
			if o.From == "" {
				out = append(out, o.Kind+"/"+o.Name)
			}
		}
	}
	return out
}

// textStart is the offset of a node's first text, or -1.
func textStart(n ast.Node) int {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			return t.Segment.Start
		}
		if s := textStart(c); s >= 0 {
			return s
		}
	}
	return -1
}

// sectionAt returns the section a line is in, or nil.
func sectionAt(secs []Section, line int) *Section {
	var at *Section
	for i := range secs {
		if secs[i].Line <= line {
			at = &secs[i]
		}
	}
	return at
}

// langFolder matches a language folder at the start of a site path.
var langFolder = regexp.MustCompile(`^([a-z]{2}(?:-[a-z]{2,4})?)/`)

// linkedSection reads the section a site link leads to (/ja/docs/x/#id):
// the page content/<lang>/docs/x.md (or x/index.md, x/_index.md), in
// English when the page's language has none, must lie inside the site's
// content/; parsed caches the pages read.
func linkedSection(site *Site, lang, dest string, version Version, parsed map[string]*Document) (*Setup, error) {
	p, frag, _ := strings.Cut(strings.TrimPrefix(dest, "/"), "#")
	if m := langFolder.FindStringSubmatch(p); m != nil && m[1] != "docs" {
		lang, p = m[1], p[len(m[0]):]
	} else {
		lang = "en" // an unprefixed path is the site's default language
	}
	p = strings.TrimSuffix(p, "/")
	if p == "" || frag == "" {
		return nil, fmt.Errorf("link %s names no section of a page", dest)
	}
	s := &Setup{}
	file, err := findPage(site, lang, p)
	if file == "" && err == nil && lang != "en" {
		if file, err = findPage(site, "en", p); file != "" {
			s.Note = fmt.Sprintf("the %s page is not in the site: its English original is read", lang)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("link %s: %w", dest, err)
	}
	if file == "" {
		return nil, fmt.Errorf("link %s: no such page in the site", dest)
	}
	doc := parsed[file]
	if doc == nil {
		page, err := ParsePage(file, Options{Site: site, Version: version, noSetups: true})
		if err != nil {
			return nil, fmt.Errorf("link %s: %w", dest, err)
		}
		doc, parsed[file] = page.Doc, page.Doc
	}
	from, to, level := -1, int(^uint(0)>>1), 0
	for _, sec := range doc.Sections {
		switch {
		case from < 0 && sec.ID == frag:
			from, level, s.Section = sec.Line, sec.Level, sec.Title
		case from >= 0 && sec.Level <= level:
			to = min(to, sec.Line)
		}
	}
	if from < 0 {
		return nil, fmt.Errorf("link %s: the page has no heading #%s", dest, frag)
	}
	s.Page, _ = filepath.Rel(site.Root, file)
	s.Page = filepath.ToSlash(s.Page)
	for _, st := range doc.Steps {
		if st.Line < from || st.Line >= to || st.Kind != KindCommand || !st.Runnable || st.Target != nil {
			continue
		}
		if ro, _ := ReadOnly(st.Code); ro {
			continue
		}
		st.Source, st.Recreates, st.Replaces = s.Page, nil, nil
		// Spans are in the page file; these lines are the linked page's.
		st.Span = nil
		if st.Expected != nil {
			e := *st.Expected
			e.Span = nil
			st.Expected = &e
		}
		s.Steps = append(s.Steps, st)
	}
	if len(s.Steps) == 0 {
		return nil, fmt.Errorf("link %s: its section runs no command that makes anything", dest)
	}
	return s, nil
}

// findPage returns the page file of a site path in a language, inside the
// site's content/ (see Within), or "" when there is none.
func findPage(site *Site, lang, p string) (string, error) {
	base := filepath.Join(site.ContentDir(), lang, filepath.FromSlash(p))
	for _, c := range []string{base + ".md", filepath.Join(base, "index.md"), filepath.Join(base, "_index.md")} {
		f, err := Within(c, site.ContentDir())
		if err != nil || f != "" {
			return f, err
		}
	}
	return "", nil
}

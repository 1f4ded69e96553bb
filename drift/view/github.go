package view

import (
	"fmt"
	"io"

	"github.com/docrun/docrun/drift"
	"github.com/docrun/docrun/render"
)

// WriteGitHub writes a GitHub Actions ::warning for each drifted pair on
// the translation's line (a step only in the source on the line of the
// translation's step before where it would be, else the page's first
// line), and one for each front matter field that differs.
func WriteGitHub(w io.Writer, res *drift.Result) error {
	for _, r := range res.Pages {
		for _, f := range r.Front {
			msg := fmt.Sprintf("front matter %s is %s here, %s in %s", f.Field, orNone(f.Translation), orNone(f.Source), r.Source)
			if err := render.WriteAnnotation(w, "warning", r.Translation, 1, "docrun drift: front matter", msg); err != nil {
				return err
			}
		}
		last := 1
		for i := range r.Pairs {
			p := &r.Pairs[i]
			line := last
			if p.Translation != nil {
				line, last = p.Translation.Line, p.Translation.Line
			}
			if !p.Drifted() {
				continue
			}
			title := "docrun drift: step " + stateCell(p)
			msg := annotationMessage(r, p)
			if err := render.WriteAnnotation(w, "warning", r.Translation, line, title, msg); err != nil {
				return err
			}
		}
	}
	return nil
}

// annotationMessage says how a pair drifted, naming the source's line.
func annotationMessage(r *drift.Report, p *drift.Pair) string {
	var msg string
	switch p.State {
	case drift.OnlySource:
		msg = fmt.Sprintf("%s:%d has a step this page lacks: %s", r.Source, p.Source.Line, Details(p))
	case drift.OnlyTranslation:
		msg = fmt.Sprintf("this step is not in %s: %s", r.Source, Details(p))
	case drift.Moved:
		msg = fmt.Sprintf("this step is at another place in %s (line %d)", r.Source, p.Source.Line)
	default:
		msg = fmt.Sprintf("differs from %s:%d: %s", r.Source, p.Source.Line, Details(p))
	}
	return msg
}

package html

import (
	"strconv"

	"github.com/docrun/docrun/markdown"

	"github.com/docrun/docrun/result"
)

// savedAs writes, under a block the page tells the reader to save as a
// file, the name docrun saves it under and the steps that read it.
func (b *body) savedAs(w writer, st *markdown.Step) {
	if st.Hidden {
		return
	}
	for _, f := range b.steps.doc.Files {
		if f.Step != st.Index || len(f.Uses) == 0 {
			continue
		}
		w.WriteString(`<p class="saved">docrun saves this as <code>`)
		escape(w, f.Name)
		w.WriteString("</code> for ")
		for i, u := range f.Uses {
			if i > 0 {
				w.WriteString(", ")
			}
			n := strconv.Itoa(u.Step)
			w.WriteString(`<a href="#` + StepID(u.Step) + `">step ` + n + "</a>")
		}
		w.WriteString("</p>\n")
	}
}

// created writes, under a step that ran, the files docrun created in the
// working folder right before it, each with the line of the block it came
// from.
func (b *body) created(w writer, o *result.StepResult) {
	for _, name := range o.Created {
		w.WriteString(`<p class="created"><code>`)
		escape(w, name)
		w.WriteString("</code> created by docrun")
		if f := b.fileOf(name, o.Step.Index); f != nil {
			w.WriteString(` from <a href="#` + StepID(f.Step) + `">line ` + strconv.Itoa(f.Line) + "</a>")
		}
		w.WriteString("</p>\n")
	}
}

// fileOf is the page's file of that name that step reads, or nil.
func (b *body) fileOf(name string, step int) *markdown.File {
	files := b.steps.doc.Files
	for i := range files {
		if files[i].Name != name {
			continue
		}
		for _, u := range files[i].Uses {
			if u.Step == step {
				return &files[i]
			}
		}
	}
	return nil
}

package report

import (
	"github.com/docrun/docrun/runner"
	"github.com/docrun/docrun/runner/redact"
)

// Redact hides secrets everywhere in a run result that command output,
// bound values or the environment can reach: step output, the code as run,
// diffs, bindings, the code docrun.yaml inserted, notes and errors. The page's own
// code and prose are published text and stay as they are. A nil Redactor
// changes nothing.
func Redact(res *runner.Result, r *redact.Redactor) {
	if r == nil {
		return
	}
	for _, p := range res.Pages {
		p.Error = r.String(p.Error)
		for i := range p.Notes {
			p.Notes[i] = r.String(p.Notes[i])
		}
		for _, st := range p.Steps {
			for _, b := range st.Bindings {
				if redact.SecretName(b.Name) {
					r.Add(b.Value)
				}
			}
		}
		for _, st := range p.Steps {
			st.Stdout, st.Stderr = r.String(st.Stdout), r.String(st.Stderr)
			st.Ran, st.Diff = r.String(st.Ran), r.String(st.Diff)
			for i := range st.Bindings {
				st.Bindings[i].Value = r.String(st.Bindings[i].Value)
			}
			if st.Hidden && st.Reason == "inserted by docrun.yaml" {
				// Not the page's text: docrun.yaml may hold anything.
				st.Code = r.String(st.Code)
			}
		}
	}
}

package runner

import (
	"github.com/docrun/docrun/result"
	"github.com/docrun/docrun/runner/redact"
)

// Redact hides secrets everywhere in a run result (see RedactPage) with
// every value r knows and every value the result reveals, on any of its
// pages: the saved result, the reports and render --from show no secret
// that was known by the end of the run, also where it was printed before
// the step that revealed it. A nil Redactor changes nothing.
func Redact(res *result.Result, r *redact.Redactor) {
	if r == nil {
		return
	}
	for _, p := range res.Pages {
		LearnPage(p, r)
	}
	for _, p := range res.Pages {
		RedactPage(p, r)
	}
}

// RedactPage hides secrets everywhere in the page's result that command
// output, bound values or the environment can reach: step output, the code
// as run, diffs, bindings, the code docrun.yaml inserted, notes and
// errors, with every value r knows. It first learns what the result
// reveals (the values of secret-named bindings, literal assignments in the
// code, the data of Secrets printed), so that a secret printed before the
// step that reveals it is hidden too. The page's own code and prose are
// published text and stay as they are. A nil Redactor changes nothing.
func RedactPage(p *result.PageResult, r *redact.Redactor) {
	if r == nil {
		return
	}
	LearnPage(p, r)
	p.Error = r.String(p.Error)
	for i := range p.Notes {
		p.Notes[i] = r.String(p.Notes[i])
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

// LearnPage records in r the secrets the page's result reveals: the values
// of bindings whose names look secret, literal values assigned to secret-
// looking variables in the code, and the data of Secrets in the output.
func LearnPage(p *result.PageResult, r *redact.Redactor) {
	if r == nil {
		return
	}
	for _, st := range p.Steps {
		for _, b := range st.Bindings {
			if b.Secret || redact.SecretName(b.Name) {
				r.Add(b.Value)
			}
		}
		r.Learn(st.Code)
		r.Learn(st.Ran)
		r.String(st.Stdout)
		r.String(st.Stderr)
	}
}

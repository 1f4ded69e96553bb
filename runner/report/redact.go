package report

import (
	"github.com/docrun/docrun/runner"
	"github.com/docrun/docrun/runner/redact"
)

// Redact hides secrets everywhere in a run result (see
// runner.PageResult.Redact) with every value r knows and every value the
// result reveals, on any of its pages: the saved result, the reports and
// render --from show no secret that was known by the end of the run, also
// where it was printed before the step that revealed it. A nil Redactor
// changes nothing.
func Redact(res *runner.Result, r *redact.Redactor) {
	if r == nil {
		return
	}
	for _, p := range res.Pages {
		p.Learn(r)
	}
	for _, p := range res.Pages {
		p.Redact(r)
	}
}

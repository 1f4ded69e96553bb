package drift

import "github.com/docrun/docrun/result"

// AddRun adds the outcomes of a run of both pages (tr the translation's,
// src the source's) to the pairs that have both steps, and marks the pairs
// whose outcomes differ: another status, or one output that differs from
// its page's where the other does not (match against similar is instance
// data; an output only one page shows is not compared).
func (r *Report) AddRun(tr, src *result.PageResult) {
	outcome := func(p *result.PageResult, ref *Ref) (Outcome, bool) {
		if p == nil || ref == nil {
			return Outcome{}, false
		}
		for _, st := range p.Steps {
			if st != nil && st.Setup == "" && st.Index == ref.Index {
				return Outcome{Status: st.Status, Verdict: st.Verdict}, true
			}
		}
		return Outcome{}, false
	}
	for i := range r.Pairs {
		p := &r.Pairs[i]
		t, ok1 := outcome(tr, p.Translation)
		s, ok2 := outcome(src, p.Source)
		if ok1 && ok2 {
			p.Run = &RunCheck{Translation: t, Source: s, Differs: t.Status != s.Status ||
				(t.Verdict == result.VerdictDiffers) != (s.Verdict == result.VerdictDiffers)}
		}
	}
	r.Ran = true
	r.count()
}

package drift

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/pmezard/go-difflib/difflib"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/result"
	"github.com/docrun/docrun/runner/match"
)

// maxDiffWords bounds the words of a step a word diff reads; past it the
// pair has no Diff.
const maxDiffWords = 20000

// Compare aligns and compares a translated page with its source.
func Compare(tr, src *markdown.Document) *Report {
	r := &Report{Translation: tr.Path, Source: src.Path, Lang: tr.Lang, TranslationDoc: tr, SourceDoc: src}
	if tr.Front.MinVersion != src.Front.MinVersion {
		r.Front = append(r.Front, FrontChange{Field: "min-kubernetes-server-version",
			Translation: tr.Front.MinKubernetesServerVersion, Source: src.Front.MinKubernetesServerVersion})
	}
	ss, ts := newSteps(src), newSteps(tr)
	for _, l := range align(ss, ts) {
		p := Pair{State: OnlySource}
		switch {
		case l.src >= 0 && l.tr >= 0:
			p = comparePair(&ss[l.src], &ts[l.tr], l.moved)
		case l.tr >= 0:
			p.State = OnlyTranslation
		}
		if l.src >= 0 {
			p.Source = ref(ss[l.src].st)
		}
		if l.tr >= 0 {
			p.Translation = ref(ts[l.tr].st)
		}
		r.Pairs = append(r.Pairs, p)
	}
	r.count()
	return r
}

// NoSource is the report of a translation whose source page is absent.
func NoSource(tr, src string) *Report {
	return &Report{Translation: tr, Source: src, NoSource: true, Pairs: []Pair{}}
}

func ref(st *markdown.Step) *Ref {
	return &Ref{Index: st.Index, Kind: st.Kind, Line: st.Line, Code: st.Code}
}

// comparePair compares two aligned steps.
func comparePair(s, t *step, moved bool) Pair {
	p := Pair{State: Same, Similarity: similarity(s, t)}
	if s.key != t.key {
		p.State = Changed
		p.Changes = changes(s.st, t.st)
		p.Diff = wordDiff(withoutComments(s.st), withoutComments(t.st))
	}
	if moved {
		p.State = Moved
	}
	if s.key == t.key && s.st.Code != t.st.Code {
		p.Note = "only comments differ"
		if slices.Equal(strings.Fields(s.st.Code), strings.Fields(t.st.Code)) {
			p.Note = "only spacing differs"
		}
	}
	if s.key == t.key && s.st.Kind != t.st.Kind {
		note := fmt.Sprintf("read as %s here, %s in the source (from the prose around it)", t.st.Kind, s.st.Kind)
		p.Note = strings.TrimPrefix(p.Note+"; "+note, "; ")
	}
	p.Output = checkOutput(s.st.Expected, t.st.Expected)
	return p
}

// checkOutput compares the expected outputs of two steps with runner/match,
// each as the other's actual output: the shape matches when neither way
// differs.
func checkOutput(src, tr *markdown.Expected) *OutputCheck {
	switch {
	case src == nil && tr == nil:
		return nil
	case src == nil:
		return &OutputCheck{Only: "translation", TranslationLine: tr.Line}
	case tr == nil:
		return &OutputCheck{Only: "source", SourceLine: src.Line}
	}
	c := &OutputCheck{TranslationLine: tr.Line, SourceLine: src.Line, Verdict: match.Match}
	for _, m := range []match.Result{
		match.Compare(tr.Text, src.Text, tr.Lang, match.ModeSimilar),
		match.Compare(src.Text, tr.Text, src.Lang, match.ModeSimilar),
	} {
		switch m.Verdict {
		case match.Differs:
			if c.Verdict != match.Differs {
				c.Verdict, c.Diff = match.Differs, m.Diff
			}
		case match.Similar:
			if c.Verdict == match.Match {
				c.Verdict = match.Similar
			}
		}
	}
	return c
}

// count fills the summary.
func (r *Report) count() {
	s := Summary{Steps: len(r.Pairs)}
	for i := range r.Pairs {
		p := &r.Pairs[i]
		if !p.Drifted() {
			s.Same++
			continue
		}
		s.Drifted++
		switch p.State {
		case Changed:
			s.Changed++
		case Moved:
			s.Moved++
		case OnlyTranslation:
			s.OnlyTranslation++
		case OnlySource:
			s.OnlySource++
		}
		if p.Output != nil && p.Output.Verdict == result.VerdictDiffers {
			s.OutputDiffers++
		}
		if p.Run != nil && p.Run.Differs {
			s.OutcomeDiffers++
		}
	}
	r.Summary = s
}

// wordDiff is the word diff of two texts (a → b): runs of words kept,
// deleted and inserted, each with the spacing after its words.
func wordDiff(a, b string) []Edit {
	ta, tb := words(a), words(b)
	if len(ta) > maxDiffWords || len(tb) > maxDiffWords {
		return nil
	}
	wa, wb := bare(ta), bare(tb)
	var out []Edit
	add := func(op EditOp, toks []string) {
		text := strings.Join(toks, "")
		if text == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += text
			return
		}
		out = append(out, Edit{Op: op, Text: text})
	}
	ops := difflib.NewMatcherWithJunk(wa, wb, false, nil).GetOpCodes()
	if len(ops) == 1 && ops[0].Tag == 'e' {
		return nil
	}
	for _, oc := range ops {
		switch oc.Tag {
		case 'e':
			add(Equal, tb[oc.J1:oc.J2])
		case 'd':
			add(Delete, ta[oc.I1:oc.I2])
		case 'i':
			add(Insert, tb[oc.J1:oc.J2])
		case 'r':
			add(Delete, ta[oc.I1:oc.I2])
			add(Insert, tb[oc.J1:oc.J2])
		}
	}
	return out
}

// words splits text into words, each with the spacing that follows it
// (the first with the spacing before it too): joined, they are the text.
func words(s string) []string {
	var out []string
	start, prevSpace := 0, false
	for i, r := range s {
		space := unicode.IsSpace(r)
		if !space && prevSpace && strings.TrimSpace(s[start:i]) != "" {
			out = append(out, s[start:i])
			start = i
		}
		prevSpace = space
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// bare is the words without their spacing, as the diff compares them.
func bare(toks []string) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = strings.TrimSpace(t)
	}
	return out
}

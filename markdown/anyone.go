package markdown

import "strings"

// anyOneCues are the phrases with which the prose around a block lets the
// reader type the name of any one of several objects ("Take a closer look
// at one of the Pods:", "where <pod-name> is the name of one of your
// Pods", 「いずれかのPodの名前」), per language; a translator adds rows.
// A runner may then bind such a placeholder to any of the objects that fit.
var anyOneCues = []cue{
	{"en", cueCommand, "one of", re(`(?i)\b(one|any|either) of (the|your|these|those|its|their|them)\b`)},
	{"en", cueCommand, "any X", re(`(?i)\bany (one )?(of the )?(running |ready )?(pods?|nodes?|containers?|replicas?)\b`)},
	{"ja", cueCommand, "いずれか", re(`(いずれか|どれか|どちらか|うちの?(1|１|一)つ)`)},
}

// anyOne sets a step's AnyOne when the paragraph before its block, or the
// one after it that explains one of its placeholders ("where <pod-name>
// is ..."), lets the reader pick any one of several objects.
func (w *walker) anyOne(st *Step, b *block) {
	if len(st.Placeholders) == 0 {
		return
	}
	texts := []string{b.lead}
	for _, p := range st.Placeholders {
		if strings.Contains(b.after, strings.TrimPrefix(p, "$")) {
			texts = append(texts, b.after)
			break
		}
	}
	for _, text := range texts {
		for _, c := range anyOneCues {
			if (c.lang == "en" || c.lang == w.page.Doc.Lang) && c.re.MatchString(text) {
				st.AnyOne = true
				return
			}
		}
	}
}

package markdown

import (
	"regexp"
	"slices"
	"strings"
)

// Replacement is a literal value in a step that the page tells the reader
// to replace with what an earlier command of the page prints: a sample
// `request: LS0t...` under a comment "Change this to the base64-encoded
// contents of myuser.csr", after `cat myuser.csr | base64`. A runner
// binds it to that command's output, run again in the page's session when
// the step runs (the command only reads: see ReadOnly).
type Replacement struct {
	// Name is the field the literal is the value of ("request"), the name
	// of its binding.
	Name string `json:"name"`
	// Literal is the value as the page writes it.
	Literal string `json:"literal"`
	// From is the index of the step whose output replaces it; -1 when
	// the name of an object replaces it (Object).
	From int `json:"from"`
	// Object is set when the page says to put the name of an object of
	// that kind ("pod", "job") in place of the value: "# Change
	// mongo-75f59d57f4-4nd6q to the name of the Pod". A runner binds it as
	// a placeholder naming an object the page made; AnyOne when the page
	// asks for any one of them ("the name of a Pod from that Job").
	Object string `json:"object,omitempty"`
	AnyOne bool   `json:"any_one,omitempty"`
	// Cue is the sentence or comment that says so, and Line its line.
	Cue  string `json:"cue"`
	Line int    `json:"line"`
}

// replaceCue is one way a language says "replace this value with ...": re
// matches the sentence, and its group "what" is what the value becomes.
// Rows of kind "this" are written next to the value (a comment above it,
// or after it on its line). Rows of kind "quoted" name the value: in a
// comment in quotes, in the prose in a code span; their pattern has
// VALUE where the value stands.
type replaceCue struct {
	lang    string
	kind    string // "this" or "quoted"
	pattern string
	re      *regexp.Regexp // for "this"
}

// replaceCues are the sentences with which pages tell the reader to put
// something else in place of a value they show, per language; a
// translator adds rows.
var replaceCues = []replaceCue{
	{"en", "this", "", re(`(?i)\b(?:change|replace|set|update)\s+(?:this|it|this value|the value)\s+(?:to|with)\s+(?P<what>.+)`)},
	{"en", "quoted", `(?i)\b(?:change|replace|substitute)\s+VALUE\s+(?:in\s+(?:the|this|that|each)\s+[^.;:]{1,60}?\s+)?(?:to|with|by)\s+(?P<what>.+)`, nil},
	{"ja", "this", "", re(`(?:これ|この値|この部分)を(?P<what>.+?)に(?:変更|置き換え|置換|書き換え)`)},
	{"ja", "quoted", `VALUE(?:の部分|の値)?を(?P<what>.+?)に(?:変更|置き換え|置換|書き換え)`, nil},
	// A value written bare in a comment: "# Change mongo-75f59d57f4-4nd6q
	// to the name of the Pod".
	{"en", "bare", "", re(`(?i)\b(?:change|replace|substitute)\s+(?P<value>[A-Za-z0-9][\w.-]*[A-Za-z0-9])\s+(?:to|with|by)\s+(?P<what>.+)`)},
	{"ja", "bare", "", re(`(?P<value>[A-Za-z0-9][\w.-]*[A-Za-z0-9])\s*を(?P<what>.+?)に(?:変更|置き換え|置換|書き換え)`)},
}

// quotedIn returns a quoted row's pattern for a value: quoted, or, in
// prose, as it is (the code span's text).
func (c replaceCue) quotedIn(value string, prose bool) *regexp.Regexp {
	v := "[`\"'「『](?P<value>[^`\"'」』]+)[`\"'」』]"
	if prose {
		v = "(?P<value>" + regexp.QuoteMeta(value) + ")"
	}
	return regexp.MustCompile(strings.Replace(c.pattern, "VALUE", v, 1))
}

// outputWords say that what a value becomes is a command's output;
// previousWords that the command is the one before.
var (
	outputWords   = re(`(?i)\b(output|result|prints?|encoded|contents?)\b|出力|結果|内容|エンコード`)
	previousWords = re(`(?i)\b(previous|preceding|above|last|earlier)\b|前の|上記の|上の`)
	fileWord      = re("[A-Za-z0-9_][A-Za-z0-9_.-]*\\.[A-Za-z][A-Za-z0-9]{0,5}\\b")
)

// markReplacements finds the replacements of each step (see Replacement)
// from the comments in its code and the paragraphs around its block.
func (w *walker) markReplacements(st *Step, b *block) {
	if st.Kind != KindCommand && st.Kind != KindManifest {
		return
	}
	lines := strings.Split(st.Code, "\n")
	for i, l := range lines {
		body, comment := splitComment(l)
		if comment == "" {
			continue
		}
		target := body
		if strings.TrimSpace(body) == "" {
			target = nextValueLine(lines, i+1) // a comment above the value
		}
		w.replacement(st, comment, target, st.Line+1+i)
	}
	for _, p := range []string{b.lead, b.after} {
		for _, s := range sentences(p) {
			w.replacementInProse(st, s, b.spans)
		}
	}
	// A reader who put the Pod's name in place of a sample name does so
	// wherever the page shows that sample name again.
	for _, r := range w.named {
		if inCode(st.Code, r.Literal) && !slices.ContainsFunc(st.Replaces, func(o Replacement) bool { return o.Literal == r.Literal }) {
			st.Replaces = append(st.Replaces, r)
		}
	}
	for _, r := range st.Replaces {
		if r.Object != "" && !slices.ContainsFunc(w.named, func(o Replacement) bool { return o.Literal == r.Literal }) {
			w.named = append(w.named, r)
		}
	}
}

// replacement records what a comment says of the value on the line target
// (a `key: value` line), if it says to replace it with a command's output.
func (w *walker) replacement(st *Step, comment, target string, line int) {
	for _, c := range replaceCues {
		if !c.applies(w.page.Doc.Lang) {
			continue
		}
		r := c.re
		if c.kind == "quoted" {
			r = c.quotedIn("", false)
		}
		m := namedGroups(r, comment)
		if m == nil {
			continue
		}
		name, value := yamlField(target)
		if c.kind == "quoted" || c.kind == "bare" {
			value = m["value"]
			if !inCode(st.Code, value) {
				continue
			}
		}
		if value == "" || name == "" && c.kind == "this" {
			continue
		}
		if name == "" {
			name = "value"
		}
		w.addReplacement(st, Replacement{Name: name, Literal: value, Cue: strings.TrimSpace(comment), Line: line}, m["what"])
		return
	}
}

// replacementInProse records what a sentence around the block says of a
// value of the block it shows in a code span (spans).
func (w *walker) replacementInProse(st *Step, s string, spans []string) {
	for _, c := range replaceCues {
		if c.kind != "quoted" || !c.applies(w.page.Doc.Lang) {
			continue
		}
		for _, v := range spans {
			if len(v) < 4 || !strings.Contains(s, v) || !strings.Contains(st.Code, v) {
				continue
			}
			m := namedGroups(c.quotedIn(v, true), s)
			if m == nil {
				continue
			}
			name := "value"
			for _, l := range strings.Split(st.Code, "\n") {
				if n, fv := yamlField(l); fv == v && n != "" {
					name = n
				}
			}
			w.addReplacement(st, Replacement{Name: name, Literal: v, Cue: s, Line: st.Line}, m["what"])
			return
		}
	}
}

// inCode reports whether value is in the code outside its comments.
func inCode(code, value string) bool {
	for _, l := range strings.Split(code, "\n") {
		if body, _ := splitComment(l); strings.Contains(body, value) {
			return true
		}
	}
	return false
}

// objectNames find the kind of object whose name a value becomes: "the
// name of the Pod", "the job name", 「Podの名前」; group any says the page
// takes any one of them ("a Pod from that Job").
var objectNames = []*regexp.Regexp{
	re(`(?i)\bname of (?P<any>a |an |any |one of the |the |your |that |this )?(?P<kind>[A-Za-z]+)\b`),
	re(`(?i)\b(?P<kind>[A-Za-z]+) name\b`),
	re(`(?P<kind>[A-Za-z]+)\s*の名前`),
}

// objectReplacement makes r the name of an object of the kind what names,
// if it names one.
func objectReplacement(r *Replacement, what string) bool {
	for _, on := range objectNames {
		m := namedGroups(on, what)
		if m == nil {
			continue
		}
		kind, ok := kindAliases[strings.ToLower(m["kind"])]
		if !ok {
			continue
		}
		r.Object, r.Name, r.From = kind, kind+"-name", -1
		a := strings.TrimSpace(m["any"])
		r.AnyOne = a == "a" || a == "an" || a == "any" || a == "one of the"
		return true
	}
	return false
}

// addReplacement finds the command whose output the value becomes, from
// what the sentence says it becomes: the nearest earlier command that
// reads a file it names (and encodes it with base64 when it says so), or,
// when it says "the output of the previous command", the nearest earlier
// command. The command must print and change nothing (ReadOnly), as it
// is run again.
func (w *walker) addReplacement(st *Step, r Replacement, what string) {
	// "the name of the pod (from the kubectl get pods output)" is an
	// object's name, wherever the reader reads it.
	if objectReplacement(&r, what) {
		st.Replaces = append(st.Replaces, r)
		return
	}
	if !outputWords.MatchString(what) {
		return
	}
	file := fileWord.FindString(what)
	if file == "" && !previousWords.MatchString(what) {
		return
	}
	base64 := strings.Contains(strings.ToLower(what), "base64")
	steps := w.page.Doc.Steps
	for i := len(steps) - 1; i >= 0; i-- {
		s := &steps[i]
		if s.Kind != KindCommand || !s.Runnable || s.Target != nil {
			continue
		}
		if ok, _ := ReadOnly(s.Code); !ok {
			continue
		}
		if file != "" && !strings.Contains(s.Code, file) || base64 && !strings.Contains(s.Code, "base64") {
			continue
		}
		r.From = s.Index
		st.Replaces = append(st.Replaces, r)
		return
	}
}

// applies reports whether a row is read on a page of language lang: its
// own rows and the English ones.
func (c replaceCue) applies(lang string) bool { return c.lang == "en" || c.lang == lang }

// namedGroups returns the named groups of re's first match in s, or nil.
func namedGroups(r *regexp.Regexp, s string) map[string]string {
	m := r.FindStringSubmatch(s)
	if m == nil {
		return nil
	}
	out := map[string]string{}
	for i, n := range r.SubexpNames() {
		if n != "" {
			out[n] = strings.TrimSpace(m[i])
		}
	}
	return out
}

// splitComment splits a line of YAML or shell into its content and its
// comment (after a # at the start or after a space, outside quotes).
func splitComment(l string) (body, comment string) {
	quote := byte(0)
	for j := 0; j < len(l); j++ {
		switch c := l[j]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (j == 0 || l[j-1] == ' ' || l[j-1] == '\t'):
			return l[:j], strings.TrimSpace(l[j+1:])
		}
	}
	return l, ""
}

// nextValueLine returns the first line from i on that is not blank or a
// comment.
func nextValueLine(lines []string, i int) string {
	for ; i < len(lines); i++ {
		if t := strings.TrimSpace(lines[i]); t != "" && !strings.HasPrefix(t, "#") {
			return lines[i]
		}
	}
	return ""
}

// yamlFieldRe is a `key: value` line of YAML (also a list item's).
var yamlFieldRe = re(`^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_.-]*):\s+(\S.*?)\s*$`)

// yamlField returns the key and the value (unquoted) of a `key: value`
// line, or "" for both.
func yamlField(l string) (key, value string) {
	body, _ := splitComment(l)
	m := yamlFieldRe.FindStringSubmatch(body)
	if m == nil {
		return "", ""
	}
	v := strings.TrimSpace(m[2])
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		v = v[1 : len(v)-1]
	}
	if v == "|" || v == ">" || strings.HasPrefix(v, "{") || strings.HasPrefix(v, "[") {
		return "", ""
	}
	return m[1], v
}

package shell

import (
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// A hole is a placeholder found in the code: the text a reader replaces.
type hole struct {
	name       string // the placeholder's name (<pod-name> -> pod-name)
	start, end int    // byte offsets of the whole token in Code
}

var (
	// angle matches <pod-name>, <your namespace> (up to four words),
	// <filename|url> (a choice), the way pages write the values a reader
	// types.
	angle = regexp.MustCompile(`<([A-Za-z][A-Za-z0-9_.:/-]*(?:\|[A-Za-z][A-Za-z0-9_.:/-]*)*(?: [A-Za-z0-9_.:/-]+){0,3})>`)
	// guillemet matches ‹pod-name›.
	guillemet = regexp.MustCompile(`‹([^‹›\n]{1,60})›`)
	// usageHole matches the bracketed words of a command's usage line
	// (etcd [flags], kubectl get [TYPE], cmd [args...]); see usageHoles.
	usageHole = regexp.MustCompile(`\[([A-Za-z][A-Za-z0-9_-]*(?:\.\.\.)?)\]`)
	// literalHole matches the literal placeholders pages use: some_server_name,
	// XXX.XXX.XXX.XXX, MY_..._PLACEHOLDER, YOUR_VALUE, POD-NAME.
	literalHole = regexp.MustCompile(`(?:^|[^A-Za-z0-9_$-])(some_[a-z][a-z0-9_]*|X{2,3}(?:\.X{2,3}){3}|[A-Z][A-Z0-9_]*_PLACEHOLDER|YOUR[_-][A-Z0-9_-]*[A-Z0-9]|[A-Z]{2,}(?:-[A-Z0-9]{2,})+)(?:$|[^A-Za-z0-9_-])`)
)

// notPlaceholder are names in angle brackets that are not values to type:
// HTML elements, values kubectl prints, C headers.
var notPlaceholder = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`html head body title meta link script style div span p a b i u em strong
		br hr pre code ul ol li table tr td th thead tbody h1 h2 h3 h4 h5 h6 img form input button label
		select option textarea nav header footer section article main iframe svg
		none unknown unset nil invalid pending empty missing`) {
		notPlaceholder[w] = true
	}
}

// mask finds the angle-bracket placeholders and returns the code with each
// replaced by a word of the same length (<pod-name> -> _pod-name_), which
// bash reads as a plain argument instead of a redirection. Offsets and
// lines stay those of Code.
func (s *Script) mask(code string) string {
	for _, m := range angle.FindAllStringSubmatchIndex(code, -1) {
		if !angleHole(code, m[0], m[1], code[m[2]:m[3]]) {
			continue
		}
		s.holes = append(s.holes, hole{name: code[m[2]:m[3]], start: m[0], end: m[1]})
	}
	for _, m := range guillemet.FindAllStringSubmatchIndex(code, -1) {
		s.holes = append(s.holes, hole{name: strings.TrimSpace(code[m[2]:m[3]]), start: m[0], end: m[1]})
	}
	for _, m := range literalHole.FindAllStringSubmatchIndex(code, -1) {
		s.holes = append(s.holes, hole{name: code[m[2]:m[3]], start: m[2], end: m[3]})
	}
	sortHoles(s.holes)
	b := []byte(code)
	for _, h := range s.holes {
		if code[h.start] != '<' {
			continue
		}
		repl := "_" + strings.NewReplacer(" ", "_", "|", "_").Replace(h.name) + "_"
		if strings.Contains(code, repl) {
			continue // would be ambiguous when given back
		}
		copy(b[h.start:h.end], repl)
		s.marks[repl] = code[h.start:h.end]
	}
	return string(b)
}

// angleHole reports whether <name> at code[start:end] is a placeholder and
// not a heredoc (<<EOF), an escaped bracket, HTML, a C header or a value
// kubectl prints.
func angleHole(code string, start, end int, name string) bool {
	if start > 0 && (code[start-1] == '<' || code[start-1] == '\\') {
		return false
	}
	if notPlaceholder[strings.ToLower(name)] || strings.Contains(code, "</"+name+">") {
		return false
	}
	lineStart := strings.LastIndexByte(code[:start], '\n') + 1
	before := strings.TrimSpace(code[lineStart:start])
	if strings.HasPrefix(before, "#include") || strings.HasPrefix(before, "#import") {
		return false
	}
	// a redirection of a file to a file (cmd <in.txt >out) has a space
	// before its '>'; the regexp has none, so <in.txt> only matches a
	// token written as one.
	return true
}

func sortHoles(hs []hole) {
	for i := 1; i < len(hs); i++ {
		for j := i; j > 0 && hs[j].start < hs[j-1].start; j-- {
			hs[j], hs[j-1] = hs[j-1], hs[j]
		}
	}
}

// usageHoles adds the usage words of shell code ([flags]) to its holes:
// a bracketed word after a command word on its line (a space before it)
// and ending the line or followed by a blank. A test ([ -f x ]), an array
// index, a glob inside a word or a section header alone on its line
// ([kubernetes] in a repository file) is not one. They are only read in
// shell: in a program's text brackets are indexes.
func (s *Script) usageHoles() {
	blank := func(i int, chars string) bool {
		return i >= len(s.Code) || i >= 0 && strings.IndexByte(chars, s.Code[i]) >= 0
	}
	for _, m := range usageHole.FindAllStringSubmatchIndex(s.Code, -1) {
		if blank(m[0]-1, " \t") && blank(m[1], " \t\n") {
			s.holes = append(s.holes, hole{name: s.Code[m[2]:m[3]], start: m[0], end: m[1]})
		}
	}
	sortHoles(s.holes)
}

// unmask gives the placeholders back in text taken from the masked code.
func (s *Script) unmask(t string) string {
	for repl, orig := range s.marks {
		if strings.Contains(t, repl) {
			t = strings.ReplaceAll(t, repl, orig)
		}
	}
	return t
}

func (s *Script) unmaskCall(c *Call) {
	for i := range c.Args {
		c.Args[i] = s.unmask(c.Args[i])
	}
	for i := range c.Redirects {
		c.Redirects[i] = s.unmask(c.Redirects[i])
	}
	for i := range c.Inputs {
		c.Inputs[i] = s.unmask(c.Inputs[i])
	}
	c.Heredoc = s.unmask(c.Heredoc)
}

// Placeholders returns the names of the values a reader must supply, in
// order of first appearance: <name> and ‹name› tokens, and the literal
// forms pages use (some_server_name, XXX.XXX.XXX.XXX, *_PLACEHOLDER,
// YOUR_VALUE, POD-NAME). Text a reader does not type as a command is left
// out: comments and the body of a quoted here-document written to a file
// (a program or page the step saves).
func (s *Script) Placeholders() []string {
	skip := s.inertRanges()
	out := []string{}
	seen := map[string]bool{}
	for _, h := range s.holes {
		if inRanges(skip, h.start) || seen[h.name] {
			continue
		}
		seen[h.name] = true
		out = append(out, h.name)
	}
	return out
}

// TextPlaceholders returns the placeholders of text that is not shell (a
// Go program, say), found by the same forms as in shell code.
func TextPlaceholders(text string) []string {
	s := &Script{Code: text, marks: map[string]string{}}
	s.mask(text)
	out := []string{}
	seen := map[string]bool{}
	for _, h := range s.holes {
		if !seen[h.name] {
			seen[h.name] = true
			out = append(out, h.name)
		}
	}
	return out
}

// Words returns the names among words (capitalised words the prose around
// the block tells the reader to replace, say) that the code uses as plain
// words, outside comments, quoted here-documents, variable expansions and
// assignments (NAME=value sets the name; it is not a value to type).
func (s *Script) Words(words []string) []string {
	var out []string
	skip := s.inertRanges()
	for _, w := range words {
		re, err := regexp.Compile(`(?:^|[^A-Za-z0-9_$-])(` + regexp.QuoteMeta(w) + `)(?:$|[^A-Za-z0-9_=-])`)
		if err != nil {
			continue
		}
		for _, m := range re.FindAllStringSubmatchIndex(s.Code, -1) {
			if !inRanges(skip, m[2]) && (m[2] < 2 || s.Code[m[2]-2:m[2]] != "${") {
				out = append(out, w)
				break
			}
		}
	}
	return out
}

type span struct{ start, end int }

func inRanges(rs []span, at int) bool {
	for _, r := range rs {
		if at >= r.start && at < r.end {
			return true
		}
	}
	return false
}

// inertRanges are the parts of the code a reader does not type as commands
// to fill in: comments, and quoted here-documents written to a file.
func (s *Script) inertRanges() []span {
	var rs []span
	if s.File == nil {
		at := 0
		for _, line := range strings.SplitAfter(s.Code, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "# ") {
				rs = append(rs, span{at, at + len(line)})
			}
			at += len(line)
		}
		return rs
	}
	heredocs := func(st *syntax.Stmt) {
		for _, r := range st.Redirs {
			if (r.Op == syntax.Hdoc || r.Op == syntax.DashHdoc) && r.Hdoc != nil && r.Word != nil && quotedWord(r.Word) {
				rs = append(rs, span{int(r.Hdoc.Pos().Offset()), int(r.Hdoc.End().Offset())})
			}
		}
	}
	syntax.Walk(s.File, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Comment:
			rs = append(rs, span{int(n.Pos().Offset()), int(n.End().Offset())})
		case *syntax.Stmt:
			if writesFile(n) {
				heredocs(n)
			}
		case *syntax.BinaryCmd:
			// cat <<'EOF' | tee file
			if (n.Op == syntax.Pipe || n.Op == syntax.PipeAll) && writesFile(n.Y) {
				heredocs(n.X)
			}
		}
		return true
	})
	for _, c := range s.File.Last {
		rs = append(rs, span{int(c.Pos().Offset()), int(c.End().Offset())})
	}
	return rs
}

// writesFile reports whether a statement saves its input to a file: an
// output redirection, or tee with a file.
func writesFile(st *syntax.Stmt) bool {
	for _, r := range st.Redirs {
		switch r.Op {
		case syntax.RdrOut, syntax.AppOut, syntax.RdrAll, syntax.AppAll, syntax.RdrClob:
			return true
		}
	}
	if ce, ok := st.Cmd.(*syntax.CallExpr); ok && len(ce.Args) > 1 {
		if v, _ := literal(ce.Args[0]); v == "tee" {
			return true
		}
	}
	if bc, ok := st.Cmd.(*syntax.BinaryCmd); ok {
		return writesFile(bc.Y)
	}
	return false
}

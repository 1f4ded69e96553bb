package drift

import (
	"go/scanner"
	"go/token"
	"slices"
	"strings"

	"github.com/docrun/docrun/markdown"
)

// step is a step with what the alignment compares of it.
type step struct {
	st *markdown.Step
	// words are the code's words with comments left out; key is them
	// joined with the example file, which equal steps share (whatever
	// their kind: the prose around a block, which is translated, can make
	// it a manifest in one page and text in the other).
	words []string
	key   string
	// sorted is words sorted, for the similarity.
	sorted []string
}

func newSteps(d *markdown.Document) []step {
	out := make([]step, len(d.Steps))
	for i := range d.Steps {
		st := &d.Steps[i]
		w := strings.Fields(withoutComments(st))
		s := slices.Clone(w)
		slices.Sort(s)
		out[i] = step{st: st, words: w, key: st.File + "\x00" + strings.Join(w, " "), sorted: s}
	}
	return out
}

// slashComments are the languages of client steps whose comments are
// Go's (// and /* */), which Go's scanner reads.
var slashComments = map[string]bool{"java": true, "javascript": true, "js": true, "typescript": true, "ts": true,
	"csharp": true, "cs": true, "c#": true, "c": true, "cpp": true, "c++": true, "rust": true, "dotnet": true}

// withoutComments is a step's code without its comments, which
// translations translate: Go's, and those of client languages with Go's
// comment syntax, with Go's scanner; the rest (shell, YAML, Python) with
// markdown's reader of # comments.
func withoutComments(st *markdown.Step) string {
	if st.Kind == markdown.KindGo || st.Kind == markdown.KindClient && slashComments[strings.ToLower(st.Lang)] {
		return goWithoutComments(st.Code)
	}
	return markdown.WithoutComments(st.Code)
}

// goWithoutComments is Go source with its comments left out: the tokens
// as Go's scanner reads them, one line of them a line of source.
func goWithoutComments(code string) string {
	fs := token.NewFileSet()
	f := fs.AddFile("", -1, len(code))
	var s scanner.Scanner
	s.Init(f, []byte(code), func(token.Position, string) {}, 0)
	var b strings.Builder
	line := 1
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.SEMICOLON && lit == "\n" {
			continue
		}
		if l := fs.Position(pos).Line; l != line {
			b.WriteByte('\n')
			line = l
		} else if b.Len() > 0 {
			b.WriteByte(' ')
		}
		if lit != "" {
			b.WriteString(lit)
		} else {
			b.WriteString(tok.String())
		}
	}
	return b.String()
}

// similarity is the Dice coefficient of two steps' words (as multisets):
// 1 for the same words, 0 for none in common. Steps of different kinds
// count half.
func similarity(a, b *step) float64 {
	if len(a.sorted)+len(b.sorted) == 0 {
		if a.st.Kind == b.st.Kind {
			return 1
		}
		return 0.5
	}
	common := 0
	for i, j := 0, 0; i < len(a.sorted) && j < len(b.sorted); {
		switch c := strings.Compare(a.sorted[i], b.sorted[j]); {
		case c == 0:
			common++
			i++
			j++
		case c < 0:
			i++
		default:
			j++
		}
	}
	s := 2 * float64(common) / float64(len(a.sorted)+len(b.sorted))
	if a.st.Kind != b.st.Kind {
		s /= 2
	}
	return s
}

package html

import (
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"

	"github.com/docrun/docrun/markdown"
)

// classes returns the CSS class of each byte of code as a lexer colours it.
func classes(code string, lex lexFunc) []string {
	out := make([]string, 0, len(code))
	lex(code, func(t chroma.TokenType, text string) {
		c := tokenClass(t)
		if t == chroma.Text || t == chroma.TextWhitespace {
			c = ""
		}
		for range len(text) {
			out = append(out, c)
		}
	})
	return out
}

// TestFastLexersKeepText checks that docrun's lexers give back every byte.
func TestFastLexersKeepText(t *testing.T) {
	for _, code := range []string{
		"echo \"unterminated $X", "cat <<EOF\nno end", "x=$(", "${", "'", "kubectl get -o jsonpath='{.a}'\n",
		"a: \"b\nc: 'd", "- - x: |\n  y", "{\"a\": [1, -2.5e3, true, null, \"s\\\"\"]}", "package main\nfunc main() { x := `raw",
		"\x00\xff", "",
	} {
		for lang, lex := range fastLexers {
			var b strings.Builder
			lex(code, func(_ chroma.TokenType, text string) { b.WriteString(text) })
			if b.String() != code {
				t.Errorf("%s lexer changed %q into %q", lang, code, b.String())
			}
		}
	}
}

// TestFastLexersAgreeWithChroma compares docrun's lexers with chroma's on
// every shell, YAML, JSON and Go block of the corpus: nearly every byte must
// get the class chroma gives it.
func TestFastLexersAgreeWithChroma(t *testing.T) {
	paths := corpusPages(t)
	site := markdown.FindSite(paths[0])
	same, total := map[string]int{}, map[string]int{}
	for _, p := range paths {
		doc, err := markdown.Parse(p, markdown.Options{Site: site})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range doc.Steps {
			lang := strings.ToLower(s.Lang)
			fast := fastLexers[lang]
			if fast == nil {
				continue
			}
			ours := classes(s.Code, fast)
			theirs := classes(s.Code, chromaLex(chroma.Coalesce(lexers.Get(lang))))
			if len(ours) != len(theirs) {
				t.Fatalf("%s: lengths differ", p)
			}
			for i := range ours {
				total[lang]++
				if ours[i] == theirs[i] {
					same[lang]++
				}
			}
		}
	}
	for lang, n := range total {
		agree := float64(same[lang]) / float64(n)
		t.Logf("%-6s %6d bytes, %.1f%% coloured as chroma does", lang, n, 100*agree)
		if agree < 0.9 {
			t.Errorf("%s: only %.1f%% of bytes coloured as chroma does", lang, 100*agree)
		}
	}
}

package html

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	chtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/docrun/docrun/markdown"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
)

func probePages(b *testing.B) []string {
	root := "../../../shared/corpus"
	f, _ := os.Open(filepath.Join(root, "pages.tsv"))
	defer f.Close()
	s := bufio.NewScanner(f)
	var out []string
	s.Scan()
	for s.Scan() {
		out = append(out, filepath.Join(root, strings.Split(s.Text(), "\t")[0]))
	}
	return out
}

func BenchmarkProbeGoldmark(b *testing.B) {
	ps := probePages(b)
	var data [][]byte
	for _, p := range ps { d, _ := os.ReadFile(p); data = append(data, d) }
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.DefinitionList, extension.Footnote), goldmark.WithParserOptions(parser.WithHeadingAttribute()))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, d := range data { var buf bytes.Buffer; md.Convert(d, &buf) }
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(data)), "us/page")
}

func BenchmarkProbeParse(b *testing.B) {
	site := markdown.FindSite("../../../shared/corpus/content/en/x.md")
	ps := probePages(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range ps { markdown.ParsePage(p, markdown.Options{Site: site}) }
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(ps)), "us/page")
}

func BenchmarkProbeChroma(b *testing.B) {
	ps := probePages(b)
	var docs []*markdown.Document
	for _, p := range ps { d, err := markdown.Parse(p, markdown.Options{}); if err == nil { docs = append(docs, d) } }
	f := chtml.New(chtml.WithClasses(true))
	st := styles.Get("github")
	cache := map[string]chroma.Lexer{}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, d := range docs {
			for _, s := range d.Steps {
				l := cache[s.Lang]
				if l == nil { l = lexers.Get(s.Lang); if l == nil { l = lexers.Fallback }; l = chroma.Coalesce(l); cache[s.Lang] = l }
				it, _ := l.Tokenise(nil, s.Code)
				var buf bytes.Buffer
				f.Format(&buf, st, it)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(ps)), "us/page")
}

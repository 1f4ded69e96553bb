package html

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"

	"github.com/docrun/docrun/markdown"
)

// corpus is the shared corpus of real Kubernetes pages beside the project.
const corpus = "../../../shared/corpus"

// corpusPages lists the pages of corpus/pages.tsv, or skips.
func corpusPages(tb testing.TB) []string {
	tb.Helper()
	f, err := os.Open(filepath.Join(corpus, "pages.tsv"))
	if err != nil {
		tb.Skipf("corpus not found at %s (it sits in ../shared beside the project): %v", corpus, err)
	}
	defer f.Close()
	var pages []string
	s := bufio.NewScanner(f)
	for first := true; s.Scan(); first = false {
		if first || strings.TrimSpace(s.Text()) == "" {
			continue
		}
		pages = append(pages, filepath.Join(corpus, strings.Split(s.Text(), "\t")[0]))
	}
	return pages
}

// BenchmarkRenderCorpus renders every corpus page without running it and
// compares with goldmark alone converting the same pages to HTML. Per page
// on average: goldmark-ms (goldmark.Convert of the file), render-ms
// (docrun's renderer on the parsed page: highlighting, steps, header) and
// page-ms (docrun render's whole work: parse with shortcodes, then render),
// and the ratios of the last two to goldmark.
func BenchmarkRenderCorpus(b *testing.B) {
	paths := corpusPages(b)
	site := markdown.FindSite(paths[0])
	var data [][]byte
	var pages []*markdown.Page
	for _, p := range paths {
		d, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		data = append(data, d)
		pg, err := markdown.ParsePage(p, markdown.Options{Site: site})
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, pg)
		// Warm chroma's lexers: their rules compile on first use.
		if err := Render(io.Discard, &Report{Page: pg, Site: site}); err != nil {
			b.Fatal(err)
		}
	}
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.DefinitionList, extension.Footnote),
		goldmark.WithParserOptions(parser.WithHeadingAttribute()))
	var gm, render, whole time.Duration
	var buf bytes.Buffer
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		for _, d := range data {
			buf.Reset()
			if err := md.Convert(d, &buf); err != nil {
				b.Fatal(err)
			}
		}
		t1 := time.Now()
		for _, pg := range pages {
			buf.Reset()
			if err := Render(&buf, &Report{Page: pg, Site: site}); err != nil {
				b.Fatal(err)
			}
		}
		t2 := time.Now()
		for _, p := range paths {
			pg, err := markdown.ParsePage(p, markdown.Options{Site: site})
			if err != nil {
				b.Fatal(err)
			}
			buf.Reset()
			if err := Render(&buf, &Report{Page: pg, Site: site}); err != nil {
				b.Fatal(err)
			}
		}
		t3 := time.Now()
		gm, render, whole = gm+t1.Sub(t0), render+t2.Sub(t1), whole+t3.Sub(t2)
	}
	per := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N*len(paths)) }
	b.ReportMetric(per(gm), "goldmark-ms/page")
	b.ReportMetric(per(render), "render-ms/page")
	b.ReportMetric(per(whole), "page-ms/page")
	b.ReportMetric(float64(render)/float64(gm), "render/goldmark")
	b.ReportMetric(float64(whole)/float64(gm), "page/goldmark")
}

package html

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
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
// on average: goldmark (goldmark.Convert of the file), cold (docrun's
// renderer on the parsed page with the cache of highlighted blocks empty:
// chroma lexes every block; its lexers' rules are compiled before timing),
// warm (the same page rendered again, unchanged, as watch and serve do:
// every block comes from the cache) and page (docrun render's whole work on
// a warm cache: parse with shortcodes, then render). Each is reported as
// wall time (-ms/page) and as the process's CPU time (-cpu-ms/page, user
// and system, which a loaded machine inflates less), with the ratios of
// cold and page to goldmark in CPU time.
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
	var buf bytes.Buffer
	goldmarkAll := func() {
		for _, d := range data {
			buf.Reset()
			if err := md.Convert(d, &buf); err != nil {
				b.Fatal(err)
			}
		}
	}
	renderAll := func() {
		for _, pg := range pages {
			buf.Reset()
			if err := Render(&buf, &Report{Page: pg, Site: site}); err != nil {
				b.Fatal(err)
			}
		}
	}
	wholeAll := func() {
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
	}
	var gm, cold, warm, whole clock
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		gm.time(goldmarkAll)
		blocks.reset()
		cold.time(renderAll)
		warm.time(renderAll)
		whole.time(wholeAll)
	}
	n := float64(b.N * len(paths))
	for _, m := range []struct {
		name string
		c    clock
	}{{"goldmark", gm}, {"cold", cold}, {"warm", warm}, {"page", whole}} {
		b.ReportMetric(ms(m.c.wall)/n, m.name+"-ms/page")
		b.ReportMetric(ms(m.c.cpu)/n, m.name+"-cpu-ms/page")
	}
	b.ReportMetric(float64(cold.cpu)/float64(gm.cpu), "cold/goldmark")
	b.ReportMetric(float64(whole.cpu)/float64(gm.cpu), "page/goldmark")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// clock sums the wall and CPU time of calls.
type clock struct{ wall, cpu time.Duration }

// time runs f and adds its wall time and the process's CPU time during it.
func (c *clock) time(f func()) {
	cpu0, t0 := cpuTime(), time.Now()
	f()
	c.wall += time.Since(t0)
	c.cpu += cpuTime() - cpu0
}

// cpuTime is the user and system time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

package markdown

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// boundsInputs are inputs, found by fuzzing goldmark with repeated units,
// on which it takes time or memory far beyond linear (seconds to minutes
// and gigabytes for a few MB before docrun's limits), each with the error
// it must now give. n is the input's size.
func boundsInputs(n int) []struct {
	name, want string
	data       []byte
} {
	rep := func(unit, tail string) []byte {
		return append(bytes.Repeat([]byte(unit), n/len(unit)), tail...)
	}
	var nested bytes.Buffer
	for i := 0; nested.Len() < n; i++ {
		nested.WriteString(strings.Repeat(" ", 2*i) + "- a\n")
	}
	half := n / 2 / len("{{< note >}}")
	shortcodes := strings.Repeat("{{< note >}}", half) + strings.Repeat("{{< /note >}}", half)
	return []struct {
		name, want string
		data       []byte
	}{
		{"indented list items", "p.md:33: lists, block quotes or footnotes are too deeply nested (more than 32 levels)", nested.Bytes()},
		{"list markers on a line", "p.md:1: lists, block quotes or footnotes are too deeply nested", rep("- ", "a\n")},
		{"ordered list markers", "p.md:1: lists, block quotes or footnotes are too deeply nested", rep("1. ", "a\n")},
		{"block quotes", "p.md:1: lists, block quotes or footnotes are too deeply nested", rep("> ", "a\n")},
		{"quoted lists", "p.md:1: lists, block quotes or footnotes are too deeply nested", rep("> - ", "a\n")},
		{"footnotes", "p.md:1: lists, block quotes or footnotes are too deeply nested", rep("[^a]: ", "a\n")},
		{"brackets", "p.md:1: too many brackets in one paragraph", rep("[", "")},
		{"images", "p.md:1: too many brackets in one paragraph", rep("![", "")},
		{"open link destinations", "p.md:1: too many brackets in one paragraph", rep("[a](", "")},
		{"reference links", "p.md:1: too many brackets in one paragraph", rep("[a][", "")},
		{"emphasis", "p.md:1: the page is too costly to parse", rep("*a ", "")},
		{"code spans", "p.md:1: the page is too costly to parse", rep("`a", "")},
		{"link definitions", ": the page is too costly to parse", rep("[a]: b\n", "")},
		{"one long paragraph", ": the page is too costly to parse", rep("a\n", "")},
		{"headings", "p.md:10001: the page has more than 10000 headings", rep("# a\n", "")},
		{"code blocks", "p.md:20001: the page has more than 10000 code blocks", rep("```\n", "")},
		{"definitions", ": the page has more than 200000 markdown elements", rep("a\n: ", "")},
		{"email autolinks", ": the page has more than 200000 markdown elements", rep("a@b.c ", "")},
		{"nested shortcodes", "p.md:1: shortcodes are too deeply nested (more than 64 levels)", []byte(shortcodes)},
		{"shortcode parameters", "p.md:1: note has more than 1000 parameters", append([]byte("{{< note "), rep("a ", ">}}")...)},
	}
}

// TestParseBounds parses each of boundsInputs at 2 MB and checks its
// file:line error; the time and memory each took are logged (compare with
// BenchmarkParseBounds, and with goldmark alone in its -v log).
func TestParseBounds(t *testing.T) {
	for _, c := range boundsInputs(2 << 20) {
		t.Run(c.name, func(t *testing.T) {
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			start := time.Now()
			_, err := ParseBytes("p.md", c.data, Options{Site: &Site{}})
			d := time.Since(start)
			runtime.ReadMemStats(&m1)
			var pe *Error
			if !errors.As(err, &pe) || pe.Line == 0 || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v; want a positioned error with %q", err, c.want)
			}
			t.Logf("%d bytes: %v, %d MB allocated: %v", len(c.data), d.Round(time.Millisecond), (m1.TotalAlloc-m0.TotalAlloc)>>20, err)
		})
	}
}

// TestBoundsLeaveRealPages checks that the project's pages and the corpus
// parse far from every limit.
func TestBoundsLeaveRealPages(t *testing.T) {
	pages, _ := filepath.Glob("../content/*/docs/*/*/*.md")
	if _, err := os.Stat(filepath.Join("..", "..", "shared", "corpus", "pages.tsv")); err == nil {
		pages = append(pages, corpusPages(t)...)
	}
	if len(pages) == 0 {
		t.Skip("no pages")
	}
	for _, p := range pages {
		page, err := ParsePage(p, Options{})
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		b := page.budget
		if b.elements > MaxElements/20 || b.work > MaxInlineWork/100 || b.codeBlocks > MaxCodeBlocks/20 || b.headings > MaxHeadings/20 {
			t.Errorf("%s comes near a limit: %+v", p, *b)
		}
	}
}

// BenchmarkParseBounds parses each of boundsInputs at 10 MB (the largest
// page docrun reads): docrun stops each with its error. Run with
// -benchtime 1x; the goldmark-alone figures for the same inputs are in
// the README's table.
func BenchmarkParseBounds(b *testing.B) {
	for _, c := range boundsInputs(MaxPageSize - 64) {
		b.Run(strings.ReplaceAll(c.name, " ", "-"), func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseBytes("p.md", c.data, Options{Site: &Site{}}); err == nil {
					b.Fatal("no error")
				}
			}
		})
	}
}

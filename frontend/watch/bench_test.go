package watch

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/docrun/docrun/markdown"
)

// corpusPage is the corpus page the benchmark edits, relative to the
// corpus's root.
const corpusPage = "content/en/docs/tasks/administer-cluster/access-cluster-api.md"

// corpusSite copies the corpus page, the files it reads and the site's
// English strings into a temporary site and returns the copy's path.
func corpusSite(b *testing.B) string {
	b.Helper()
	root := filepath.Join("..", "..", "..", "shared", "corpus")
	src := filepath.Join(root, corpusPage)
	if _, err := os.Stat(src); err != nil {
		b.Skipf("corpus absent: %v", err)
	}
	root, _ = filepath.Abs(root)
	p, err := markdown.ParsePage(filepath.Join(root, corpusPage), markdown.Options{})
	if err != nil {
		b.Fatal(err)
	}
	dst := b.TempDir()
	files := append([]string{corpusPage}, p.Deps...)
	if en, err := filepath.Glob(filepath.Join(root, "i18n", "en*")); err == nil {
		files = append(files, en...)
	}
	for _, f := range files {
		if filepath.IsAbs(f) {
			if f, err = filepath.Rel(root, f); err != nil {
				b.Fatal(err)
			}
		}
		if err := os.CopyFS(filepath.Join(dst, filepath.Dir(f)), os.DirFS(filepath.Join(root, filepath.Dir(f)))); err != nil && !errors.Is(err, os.ErrExist) {
			b.Fatal(err)
		}
	}
	return filepath.Join(dst, corpusPage)
}

// BenchmarkWatchUpdate measures the time from the write of a corpus page to
// its updated HTML report, debounce included.
func BenchmarkWatchUpdate(b *testing.B) {
	page := corpusSite(b)
	orig, err := os.ReadFile(page)
	if err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(b.TempDir(), "page.html")
	rendered := make(chan error, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Watch(ctx, Options{Page: page, Out: out, Rendered: func(err error) { rendered <- err }})
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			b.Error(err)
		}
	}()
	if err := <-rendered; err != nil {
		b.Fatal(err)
	}
	var worst time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		marker := "BENCH" + strconv.Itoa(i)
		data := strings.Replace(string(orig), "\n\n", "\n\n"+marker+"\n\n", 1)
		t0 := time.Now()
		if err := os.WriteFile(page, []byte(data), 0o644); err != nil {
			b.Fatal(err)
		}
		select {
		case err := <-rendered:
			if err != nil {
				b.Fatal(err)
			}
		case <-time.After(5 * time.Second):
			b.Fatal("no render within 5s of the write")
		}
		worst = max(worst, time.Since(t0))
		b.StopTimer()
		if got, _ := os.ReadFile(out); !strings.Contains(string(got), marker) {
			b.Fatalf("report lacks %s", marker)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(worst.Milliseconds()), "worst-ms")
}

func TestErrorPageEscapes(t *testing.T) {
	got := string(errorPage("a<b>.md", errors.New(`bad <script>alert("x")</script> & more`)))
	if strings.Contains(got, "<script>") || strings.Contains(got, "<b>") {
		t.Errorf("unescaped:\n%s", got)
	}
	if !strings.Contains(got, "&lt;script&gt;") {
		t.Errorf("error missing:\n%s", got)
	}
}

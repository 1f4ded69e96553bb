package markdown

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// FuzzParse checks that no page makes the parser panic, that every
// failure is a positioned *Error, and that every step's line lies in the
// page.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/golden/*.txtar")
	for _, s := range seeds {
		ar, err := txtar.ParseFile(s)
		if err != nil {
			continue
		}
		for _, file := range ar.Files {
			if strings.HasSuffix(file.Name, ".md") {
				f.Add(file.Data)
			}
		}
	}
	if dir := filepath.Join("..", "..", "shared", "corpus", "content", "en", "docs", "tasks", "administer-cluster"); true {
		if data, err := os.ReadFile(filepath.Join(dir, "access-cluster-api.md")); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("---\ntitle: x\n---\n{{< tabs >}}{{% tab name=\"a\" codelang=\"bash\" %}}echo{{% /tab %}}{{< /tabs >}}"))
	f.Add([]byte("1. a\n\n   {{< note >}}\n   ```shell\n   ls\n   ```\n   {{< /note >}}\n"))
	f.Add([]byte("<!-- docrun step\n```shell\nls\n```\n-->\n"))
	dir := f.TempDir()
	page := filepath.Join(dir, "page.md")
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseBytes(page, data, Options{Site: &Site{}, Version: Version{1, 37, 2}})
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *Error: %v", err, err)
			}
			return
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, s := range p.Doc.Steps {
			if s.Line < 1 || s.Line > lines {
				t.Fatalf("step %d at line %d, page has %d lines", s.Index, s.Line, lines)
			}
			if s.Expected != nil && (s.Expected.Line < 1 || s.Expected.Line > lines) {
				t.Fatalf("expected output of step %d at line %d, page has %d lines", s.Index, s.Expected.Line, lines)
			}
		}
		for _, f := range p.Doc.Files {
			if n, ok := localName(f.Name); !ok || n != f.Name || f.Step < 0 || f.Step >= len(p.Doc.Steps) || len(f.Uses) == 0 {
				t.Fatalf("file %+v", f)
			}
			for _, u := range f.Uses {
				if u.Step <= f.Step || u.Step >= len(p.Doc.Steps) {
					t.Fatalf("file %s of step %d used by step %d", f.Name, f.Step, u.Step)
				}
			}
		}
		for _, sec := range p.Doc.Sections {
			if sec.Line < 1 || sec.Line > lines {
				t.Fatalf("section %q at line %d, page has %d lines", sec.Title, sec.Line, lines)
			}
		}
	})
}

// FuzzParseRepeated parses a unit repeated to up to 256 KB with a tail,
// the shape of the inputs that make goldmark superlinear (see
// boundsInputs): the parse must end with a page or a positioned *Error,
// never a panic, and a page must stay within the limits it passed.
func FuzzParseRepeated(f *testing.F) {
	for _, c := range boundsInputs(64) {
		f.Add(c.data[:min(len(c.data), 8)], []byte("a\n"), uint16(4096))
	}
	f.Add([]byte("  - a\n"), []byte(""), uint16(100))
	f.Add([]byte("[a]: b\n"), []byte("[a]"), uint16(3000))
	dir := f.TempDir()
	page := filepath.Join(dir, "page.md")
	f.Fuzz(func(t *testing.T, unit, tail []byte, n uint16) {
		if len(unit) == 0 {
			return
		}
		count := min(int(n), (256<<10)/len(unit))
		data := append(bytes.Repeat(unit, count), tail...)
		p, err := ParseBytes(page, data, Options{Site: &Site{}, Version: Version{1, 37, 2}})
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *Error: %v", err, err)
			}
			return
		}
		if b := p.budget; b.elements > MaxElements || b.work > MaxInlineWork || b.codeBlocks > MaxCodeBlocks || b.headings > MaxHeadings {
			t.Fatalf("parsed past a limit: %+v", *b)
		}
	})
}

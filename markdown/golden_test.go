package markdown

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the want files of golden tests")

// TestGolden parses the page of each testdata/golden/*.txtar archive and
// compares the result with the archive's "want.json" (steps and sections)
// or "want.err" (the error message). The archive's comment names the page
// ("page: content/en/docs/x.md"); every other file is written to a site
// folder first. Run with -update to rewrite the want files.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/golden/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			runGolden(t, file)
		})
	}
}

func runGolden(t *testing.T, file string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	page := ""
	for _, line := range strings.Split(string(ar.Comment), "\n") {
		if v, ok := strings.CutPrefix(line, "page: "); ok {
			page = strings.TrimSpace(v)
		}
	}
	if page == "" {
		t.Fatalf("%s: comment has no 'page: PATH' line", file)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		if strings.HasPrefix(f.Name, "want.") {
			continue
		}
		p := filepath.Join(dir, f.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	doc, err := Parse(filepath.Join(dir, page), Options{Version: Version{1, 37, 2}})
	var got []byte
	wantName := "want.json"
	if err != nil {
		wantName = "want.err"
		got = []byte(strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "") + "\n")
	} else {
		for i, w := range doc.Warnings {
			doc.Warnings[i] = strings.ReplaceAll(w, dir+string(filepath.Separator), "")
		}
		for i := range doc.Steps {
			doc.Steps[i].Source = strings.TrimPrefix(doc.Steps[i].Source, dir+string(filepath.Separator))
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		err = enc.Encode(struct {
			Title    string    `json:"title"`
			Lang     string    `json:"lang"`
			Front    Front     `json:"front"`
			Sections []Section `json:"sections"`
			Steps    []Step    `json:"steps"`
			Files    []File    `json:"files,omitempty"`
			Warnings []string  `json:"warnings,omitempty"`
		}{doc.Title, doc.Lang, doc.Front, doc.Sections, doc.Steps, doc.Files, doc.Warnings})
		if err != nil {
			t.Fatal(err)
		}
		got = buf.Bytes()
	}
	var want []byte
	idx := -1
	for i, f := range ar.Files {
		if strings.HasPrefix(f.Name, "want.") {
			want, idx = f.Data, i
		}
	}
	if *update {
		if idx >= 0 {
			ar.Files = append(ar.Files[:idx], ar.Files[idx+1:]...)
		}
		ar.Files = append(ar.Files, txtar.File{Name: wantName, Data: got})
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if idx < 0 || ar.Files[idx].Name != wantName || !bytes.Equal(got, want) {
		t.Errorf("%s: %s differs (run go test ./markdown -run TestGolden -update to accept)\n--- got\n%s\n--- want (%s)\n%s",
			file, wantName, got, func() string {
				if idx >= 0 {
					return ar.Files[idx].Name
				}
				return "none"
			}(), want)
	}
}

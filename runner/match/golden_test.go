package match

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the want files of testdata/*.txtar")

// TestGolden runs each testdata/*.txtar case: Compare of its "expected"
// and "actual" files, with the fence language and mode named in the
// archive's comment ("lang: json", "mode: exact", and "namespaces:
// docrun-x7k2p" for the run's namespaces), must give its "want"
// file: the verdict and format on the first line, then the diff. Run
// with -update to rewrite the want files after checking the changes.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test cases: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			runGolden(t, file)
		})
	}
}

func runGolden(t *testing.T, file string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lang, o := "", Options{Mode: ModeSimilar}
	for _, line := range strings.Split(string(ar.Comment), "\n") {
		if v, ok := strings.CutPrefix(line, "lang: "); ok {
			lang = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(line, "mode: "); ok {
			m, ok := ParseMode(v)
			if !ok {
				t.Fatalf("%s: unknown mode %q", file, v)
			}
			o.Mode = m
		}
		if v, ok := strings.CutPrefix(line, "namespaces: "); ok {
			o.Namespaces = strings.Fields(v)
		}
	}
	files := map[string]*txtar.File{}
	for i := range ar.Files {
		files[ar.Files[i].Name] = &ar.Files[i]
	}
	exp, act := files["expected"], files["actual"]
	if exp == nil || act == nil {
		t.Fatalf("%s: needs expected and actual files", file)
	}
	r := CompareWith(string(exp.Data), string(act.Data), lang, o)
	got := string(r.Verdict) + " " + r.Format + "\n"
	if r.Diff != "" {
		got += r.Diff
		if !strings.HasSuffix(got, "\n") {
			got += "\n"
		}
	}
	if *update {
		if w := files["want"]; w != nil {
			w.Data = []byte(got)
		} else {
			ar.Files = append(ar.Files, txtar.File{Name: "want", Data: []byte(got)})
		}
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want := files["want"]
	if want == nil {
		t.Fatalf("%s: no want file (run with -update)", file)
	}
	if !bytes.Equal(want.Data, []byte(got)) {
		t.Errorf("%s:\n--- want\n%s--- got\n%s", file, want.Data, got)
	}
}

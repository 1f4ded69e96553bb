// Package golden runs golden tests kept in txtar archives (testdata/*.txtar):
// each archive is one case, its comment holds "key: value" settings, some of
// its files are the test's input and the others the outputs it must give.
// A test computes its outputs and hands them to Check, which shows a diff of
// every one that differs from the archive's, or, with -update, writes them
// into the archive.
package golden

import (
	"bytes"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/diff"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the want files of golden tests (testdata/*.txtar)")

// Updating reports whether the test runs with -update.
func Updating() bool { return *update }

// Case is one archive.
type Case struct {
	// File is the archive's path; Name its base name without .txtar.
	File, Name string
	Archive    *txtar.Archive
}

// Run runs test as a subtest for every archive that pattern (a
// filepath.Glob pattern) matches; none is a failure.
func Run(t *testing.T, pattern string, test func(t *testing.T, c *Case)) {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files match %s: %v", pattern, err)
	}
	for _, file := range files {
		c := Load(t, file)
		t.Run(c.Name, func(t *testing.T) { test(t, c) })
	}
}

// Load reads one archive.
func Load(t testing.TB, file string) *Case {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return &Case{File: file, Name: strings.TrimSuffix(filepath.Base(file), ".txtar"), Archive: ar}
}

// Setting returns the value of the comment's "key: value" line (the last
// one when there are several), and whether there is one.
func (c *Case) Setting(key string) (string, bool) {
	val, found := "", false
	for _, line := range strings.Split(string(c.Archive.Comment), "\n") {
		if v, ok := strings.CutPrefix(line, key+": "); ok {
			val, found = strings.TrimSpace(v), true
		}
	}
	return val, found
}

// Get returns the data of the named file, and whether the archive has it.
func (c *Case) Get(name string) ([]byte, bool) {
	for _, f := range c.Archive.Files {
		if f.Name == name {
			return f.Data, true
		}
	}
	return nil, false
}

// WriteTree writes every file of the archive that input accepts under
// dir, making folders as needed (a site for the test to read).
func (c *Case) WriteTree(t testing.TB, dir string, input func(name string) bool) {
	t.Helper()
	for _, f := range c.Archive.Files {
		if !input(f.Name) {
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
}

// Check compares got, the test's outputs by file name, with the archive's
// files of those names and reports a diff for each that differs or is
// missing. With -update it writes them into the archive instead, and
// removes the files named "want…" that got does not have (a case whose
// output changed kind, want.json to want.err). An output is compared as
// the archive can hold it: ending with a newline unless it is empty.
func (c *Case) Check(t testing.TB, got map[string]string) {
	t.Helper()
	if *update {
		c.rewrite(t, got)
		return
	}
	for _, name := range slices.Sorted(maps.Keys(got)) {
		g := []byte(got[name])
		if len(g) > 0 && g[len(g)-1] != '\n' {
			g = append(g, '\n')
		}
		want, ok := c.Get(name)
		if !ok {
			t.Errorf("%s: no file %s (go test -run '%s' -update writes it)", c.File, name, t.Name())
			continue
		}
		if !bytes.Equal(want, g) {
			t.Errorf("%s: %s differs (go test -run '%s' -update accepts it):\n%s",
				c.File, name, t.Name(), diff.Diff("want", want, "got", g))
		}
	}
}

func (c *Case) rewrite(t testing.TB, got map[string]string) {
	t.Helper()
	ar := c.Archive
	kept := ar.Files[:0]
	for _, f := range ar.Files {
		if _, ok := got[f.Name]; ok || !strings.HasPrefix(f.Name, "want") {
			kept = append(kept, f)
		}
	}
	ar.Files = kept
	for _, name := range slices.Sorted(maps.Keys(got)) {
		i := 0
		for i < len(ar.Files) && ar.Files[i].Name != name {
			i++
		}
		if i == len(ar.Files) {
			ar.Files = append(ar.Files, txtar.File{Name: name})
		}
		ar.Files[i].Data = []byte(got[name])
	}
	if err := os.WriteFile(c.File, txtar.Format(ar), 0o644); err != nil {
		t.Fatal(err)
	}
}

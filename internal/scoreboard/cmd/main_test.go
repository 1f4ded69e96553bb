package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestRun runs the command on the files of ../testdata/board.txtar: the
// lines and totals it prints, the board it writes, a comparison with that
// board, and its exit status for bad usage and bad input.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	ar, err := txtar.ParseFile(filepath.Join("..", "testdata", "board.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ar.Files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pages, result, board := filepath.Join(dir, "pages.tsv"), filepath.Join(dir, "result.json"), filepath.Join(dir, "new.md")
	os.WriteFile(filepath.Join(dir, "bad.json"), []byte("{"), 0o644)

	cases := []struct {
		args     []string
		code     int
		contains string
	}{
		{[]string{result}, 2, "usage: scoreboard"},
		{[]string{"-pages", pages, filepath.Join(dir, "bad.json")}, 1, "bad.json:1: not a docrun run result"},
		{[]string{"-pages", result, result}, 1, "result.json:1: the header has no path and class columns"},
		{[]string{"-pages", pages, "-o", board, result}, 0, "all        4 pages   11 steps:    2 passed    4 failed    5 skipped, output differs 1"},
		{[]string{"-pages", pages, "-compare", board, result}, 0, "against " + board + ": 0 steps passed there and fail now, 0 other changes"},
		{[]string{"-pages", pages, "-compare", filepath.Join(dir, "none.md"), result}, 0, "no " + filepath.Join(dir, "none.md") + " to compare with"},
	}
	for _, c := range cases {
		var out, errOut bytes.Buffer
		code := run(c.args, &out, &errOut)
		if code != c.code || !strings.Contains(out.String()+errOut.String(), c.contains) {
			t.Errorf("%v: exit %d, want %d with %q\nstdout:\n%s\nstderr:\n%s", c.args, code, c.code, c.contains, &out, &errOut)
		}
	}
	got, err := os.ReadFile(board)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ar.Files {
		if f.Name == "board.md" && !bytes.Equal(f.Data, got) {
			t.Errorf("-o wrote:\n%s\nwant the board.md of board.txtar", got)
		}
	}
}

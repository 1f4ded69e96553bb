package scoreboard

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/docrun/docrun/runner"
)

var update = flag.Bool("update", false, "rewrite the want files of testdata/board.txtar")

// TestBoardGolden builds the board of testdata/board.txtar's result.json
// and pages.tsv and checks its markdown (board.md) and the lines make
// corpus prints (lines). Run with -update to rewrite them after checking
// the changes.
func TestBoardGolden(t *testing.T) {
	const file = "testdata/board.txtar"
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]*txtar.File{}
	for i := range ar.Files {
		files[ar.Files[i].Name] = &ar.Files[i]
	}
	b := boardOf(t, files["pages.tsv"].Data, files["result.json"].Data)
	var md bytes.Buffer
	if err := b.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	var lines strings.Builder
	for _, p := range b.Pages {
		lines.WriteString(p.Line() + "\n")
	}
	got := map[string]string{"board.md": md.String(), "lines": lines.String()}
	if *update {
		for name, data := range got {
			if f := files[name]; f != nil {
				f.Data = []byte(data)
			} else {
				ar.Files = append(ar.Files, txtar.File{Name: name, Data: []byte(data)})
			}
		}
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for name, data := range got {
		want := files[name]
		if want == nil {
			t.Fatalf("%s: no %s file (run with -update)", file, name)
		}
		if string(want.Data) != data {
			t.Errorf("%s: %s:\n--- want\n%s--- got\n%s", file, name, want.Data, data)
		}
	}
}

// boardOf builds the board of a pages.tsv and a run result.
func boardOf(t *testing.T, pagesTSV, resultJSON []byte) *Board {
	t.Helper()
	entries, err := ReadEntries(bytes.NewReader(pagesTSV), "pages.tsv")
	if err != nil {
		t.Fatal(err)
	}
	var res runner.Result
	if err := json.Unmarshal(resultJSON, &res); err != nil {
		t.Fatal(err)
	}
	return Build(&res, entries)
}

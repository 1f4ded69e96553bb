package scoreboard

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/docrun/docrun/internal/golden"

	"github.com/docrun/docrun/result"
)

// TestBoardGolden builds the board of testdata/board.txtar's result.json
// and pages.tsv and checks its markdown (board.md) and the lines make
// corpus prints (lines). Run with -update to rewrite them after checking
// the changes.
func TestBoardGolden(t *testing.T) {
	c := golden.Load(t, "testdata/board.txtar")
	pages, _ := c.Get("pages.tsv")
	result, _ := c.Get("result.json")
	b := boardOf(t, pages, result)
	var md bytes.Buffer
	if err := b.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	var lines strings.Builder
	for _, p := range b.Pages {
		lines.WriteString(p.Line() + "\n")
	}
	c.Check(t, map[string]string{"board.md": md.String(), "lines": lines.String()})
}

// boardOf builds the board of a pages.tsv and a run result.
func boardOf(t *testing.T, pagesTSV, resultJSON []byte) *Board {
	t.Helper()
	entries, err := ReadEntries(bytes.NewReader(pagesTSV), "pages.tsv")
	if err != nil {
		t.Fatal(err)
	}
	var res result.Result
	if err := json.Unmarshal(resultJSON, &res); err != nil {
		t.Fatal(err)
	}
	return Build(&res, entries)
}

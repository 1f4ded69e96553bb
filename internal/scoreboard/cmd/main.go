// Command cmd makes the corpus scoreboard of a docrun run result (make
// corpus; not installed with docrun):
//
//	go run ./internal/scoreboard/cmd -pages ../shared/corpus/pages.tsv \
//		-o out/corpus/corpus.md -compare docs/corpus.md out/corpus/result.json
//
// It prints a line per page (class, passed, failed, skipped, path, and the
// steps that did not pass by category), the totals by class, and with
// -compare the changes against an earlier scoreboard. It exits 1 with
// file:line on bad input, 2 on bad usage; failed steps do not change its
// exit status (the regression test judges them).
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/docrun/docrun/internal/scoreboard"

	"github.com/docrun/docrun/result"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("scoreboard", flag.ContinueOnError)
	fs.SetOutput(stderr)
	pages := fs.String("pages", "", "the corpus's pages.tsv (path and class of each page)")
	out := fs.String("o", "", "write the scoreboard as markdown to this file")
	against := fs.String("compare", "", "an earlier scoreboard (docs/corpus.md) to list the changes against")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 || *pages == "" {
		fmt.Fprintln(stderr, "usage: scoreboard -pages pages.tsv [-o board.md] [-compare old.md] result.json")
		return 2
	}
	board, err := build(*pages, fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	for _, p := range board.Pages {
		fmt.Fprintln(stdout, p.Line())
	}
	classes, totals := board.Classes()
	for _, cl := range classes {
		printTotal(stdout, "class "+cl, totals[cl])
	}
	printTotal(stdout, "all", board.Total())
	if *out != "" {
		var buf bytes.Buffer
		board.WriteMarkdown(&buf)
		if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
	}
	if *against != "" {
		if err := compare(stdout, *against, board); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
	}
	return 0
}

func build(pagesTSV, resultJSON string) (*scoreboard.Board, error) {
	f, err := os.Open(pagesTSV)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	entries, err := scoreboard.ReadEntries(f, pagesTSV)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(resultJSON)
	if err != nil {
		return nil, err
	}
	var res result.Result
	if err := json.Unmarshal(data, &res); err != nil {
		return nil, fmt.Errorf("%s:1: not a docrun run result: %v", resultJSON, err)
	}
	return scoreboard.Build(&res, entries), nil
}

func printTotal(w io.Writer, name string, c scoreboard.Counts) {
	fmt.Fprintf(w, "%-9s %2d pages %4d steps: %4d passed %4d failed %4d skipped, output differs %d\n",
		name, c.Pages, c.Steps, c.Passed, c.Failed, c.Skipped, c.Differs)
}

func compare(w io.Writer, path string, board *scoreboard.Board) error {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		fmt.Fprintf(w, "no %s to compare with\n", path)
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	old, err := scoreboard.ParseMarkdown(f, path)
	if err != nil {
		return err
	}
	classes, totals := old.Classes()
	for _, cl := range classes {
		printTotal(w, "was "+cl, totals[cl])
	}
	printTotal(w, "was all", old.Total())
	regressions, others := scoreboard.Changes(old, board)
	fmt.Fprintf(w, "against %s: %d steps passed there and fail now, %d other changes\n", path, len(regressions), len(others))
	for _, c := range regressions {
		fmt.Fprintln(w, "  fails now: "+c.String())
	}
	for _, c := range others {
		fmt.Fprintln(w, "  changed:   "+c.String())
	}
	return nil
}

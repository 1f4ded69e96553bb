package scoreboard

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/docrun/docrun/result"
)

// header is the top of the scoreboard file, above the tables.
const header = `# Corpus scoreboard

What docrun makes of the Kubernetes pages of ` + "`../shared/corpus`" + ` on the local
cluster: written by ` + "`make corpus`" + ` to ` + "`out/corpus/corpus.md`" + `; ` + "`make corpus-update`" + `
copies it here. The regression test (` + "`make test`" + `) fails when a step that
passes here fails in a new run; refresh this file when a change makes
steps pass. Classes are those of ` + "`pages.tsv`" + `: A needs the API server
only, B pods scheduled and Running, C real containers or networking, D
special setup. Failed counts timeouts; "output differs" counts passed
steps whose output differs from the page's. Text blocks and manifests are
not steps here.
`

// WriteMarkdown writes the board as markdown: totals by class, a row per
// page, then a table per page with a row per step.
func (b *Board) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprint(bw, header)
	fmt.Fprint(bw, "\n## By class\n\n| class | pages | steps | passed | failed | skipped | output differs |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	classes, totals := b.Classes()
	for _, cl := range classes {
		writeCounts(bw, cl, totals[cl])
	}
	writeCounts(bw, "all", b.Total())
	fmt.Fprint(bw, "\n## By page\n\n| class | page | passed | failed | skipped | output differs | not passed |\n| --- | --- | ---: | ---: | ---: | ---: | --- |\n")
	for _, p := range b.Pages {
		c := p.Counts()
		rest := p.groups()
		if p.Error != "" {
			rest = "not run: " + p.Error
		}
		fmt.Fprintf(bw, "| %s | %s | %d | %d | %d | %d | %s |\n", p.Class, p.Path, c.Passed, c.Failed, c.Skipped, c.Differs, rest)
	}
	fmt.Fprint(bw, "\n## Steps\n")
	for _, p := range b.Pages {
		fmt.Fprintf(bw, "\n### %s\n\n", p.Path)
		if p.Error != "" {
			fmt.Fprintf(bw, "Not run: %s\n", p.Error)
			continue
		}
		if len(p.Steps) == 0 {
			fmt.Fprint(bw, "No steps.\n")
			continue
		}
		fmt.Fprint(bw, "| step | line | status | category | output |\n| ---: | ---: | --- | --- | --- |\n")
		for _, s := range p.Steps {
			fmt.Fprintf(bw, "| %d | %d | %s | %s | %s |\n", s.Index, s.Line, s.Status, s.Category, s.Output)
		}
	}
	return bw.Flush()
}

func writeCounts(w io.Writer, name string, c Counts) {
	fmt.Fprintf(w, "| %s | %d | %d | %d | %d | %d | %d |\n", name, c.Pages, c.Steps, c.Passed, c.Failed, c.Skipped, c.Differs)
}

// ParseMarkdown reads a board written by WriteMarkdown: the classes from
// the "By page" table, the steps from the tables of "Steps". name is the
// file's name for errors, which give name:line.
func ParseMarkdown(r io.Reader, name string) (*Board, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	b := &Board{}
	byPath := map[string]*Page{}
	section := ""
	var cur *Page
	n := 0
	fail := func(format string, args ...any) (*Board, error) {
		return nil, fmt.Errorf("%s:%d: %s", name, n, fmt.Sprintf(format, args...))
	}
	for sc.Scan() {
		n++
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			section = strings.TrimPrefix(line, "## ")
			continue
		case strings.HasPrefix(line, "### ") && section == "Steps":
			cur = byPath[strings.TrimPrefix(line, "### ")]
			if cur == nil {
				return fail("page %s is not in the By page table", strings.TrimPrefix(line, "### "))
			}
			continue
		case strings.HasPrefix(line, "Not run: ") && cur != nil:
			cur.Error = strings.TrimPrefix(line, "Not run: ")
			continue
		case !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| --- ") || strings.HasPrefix(line, "| ---: "):
			continue
		}
		cells := tableCells(line)
		switch section {
		case "By page":
			if len(cells) != 7 || cells[0] == "class" {
				continue
			}
			if byPath[cells[1]] != nil {
				return fail("page %s twice", cells[1])
			}
			p := &Page{Class: cells[0], Path: cells[1]}
			b.Pages = append(b.Pages, p)
			byPath[p.Path] = p
		case "Steps":
			if len(cells) != 5 || cells[0] == "step" {
				continue
			}
			if cur == nil {
				return fail("a step row before the first page heading")
			}
			idx, err1 := strconv.Atoi(cells[0])
			ln, err2 := strconv.Atoi(cells[1])
			if err1 != nil || err2 != nil {
				return fail("step and line must be numbers: %q", line)
			}
			cur.Steps = append(cur.Steps, Step{Index: idx, Line: ln, Status: result.Status(cells[2]),
				Category: cells[3], Output: result.Verdict(cells[4])})
		}
	}
	if err := sc.Err(); err != nil {
		n++
		return fail("%v", err)
	}
	if len(b.Pages) == 0 {
		return nil, fmt.Errorf("%s:1: no pages: not a scoreboard", name)
	}
	b.sort()
	return b, nil
}

// tableCells splits a markdown table row into its trimmed cells; `\|` is
// a | inside a cell.
func tableCells(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	line = strings.TrimSuffix(line, "|")
	line = strings.ReplaceAll(line, `\|`, "\x00")
	cells := strings.Split(line, "|")
	for i, c := range cells {
		cells[i] = strings.ReplaceAll(strings.TrimSpace(c), "\x00", `\|`)
	}
	return cells
}

// Package view shows drift reports: the terminal table, GitHub Actions
// annotations and the side-by-side HTML view. It is a front-end's part:
// it reads the drift model and uses render's escaping and render/html's
// stylesheet, which cannot import drift themselves (drift reads expected
// output with runner/match, and render never imports runner).
package view

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/docrun/docrun/drift"
	"github.com/docrun/docrun/markdown"
)

// WriteTable writes a report as a table, kubectl style: a header line,
// then a row per pair: the translation's step and line, the source's,
// the state and what differs.
func WriteTable(w io.Writer, r *drift.Report) error {
	if r.NoSource {
		_, err := fmt.Fprintf(w, "%s: no source (%s does not exist)\n", r.Translation, r.Source)
		return err
	}
	fmt.Fprintf(w, "%s  (source %s): %s\n", r.Translation, r.Source, summaryLine(r))
	for _, f := range r.Front {
		fmt.Fprintf(w, "front matter %s: %s → %s\n", f.Field, orNone(f.Source), orNone(f.Translation))
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TRANSLATION\tSOURCE\tSTATE\tDETAILS")
	for i := range r.Pairs {
		p := &r.Pairs[i]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", refCell(p.Translation), refCell(p.Source), stateCell(p), orDash(Details(p)))
	}
	return tw.Flush()
}

// WriteSummary writes one line per report, most drifted first: drifted
// steps, steps, the translation's path, and what drifted.
func WriteSummary(w io.Writer, reports []*drift.Report) error {
	sorted := append([]*drift.Report(nil), reports...)
	SortByDrift(sorted)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DRIFTED\tSTEPS\tPAGE\tDETAILS")
	for _, r := range sorted {
		if r.NoSource {
			fmt.Fprintf(tw, "-\t-\t%s\tno source (%s does not exist)\n", r.Translation, r.Source)
			continue
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\n", r.Summary.Drifted, r.Summary.Steps, r.Translation, orDash(breakdown(r)))
	}
	return tw.Flush()
}

// SortByDrift sorts reports by how much drifted (drifted steps, then front
// matter fields), most first; pages without a source last; then by path.
func SortByDrift(reports []*drift.Report) {
	sort.SliceStable(reports, func(i, j int) bool {
		a, b := reports[i], reports[j]
		if a.NoSource != b.NoSource {
			return b.NoSource
		}
		if a.Summary.Drifted != b.Summary.Drifted {
			return a.Summary.Drifted > b.Summary.Drifted
		}
		if len(a.Front) != len(b.Front) {
			return len(a.Front) > len(b.Front)
		}
		return a.Translation < b.Translation
	})
}

// summaryLine counts what drifted in a report: "3 of 12 steps drifted: 1
// changed, 1 only in source, 1 output differs".
func summaryLine(r *drift.Report) string {
	line := fmt.Sprintf("%d of %d steps drifted", r.Summary.Drifted, r.Summary.Steps)
	if b := breakdown(r); b != "" {
		line += ": " + b
	}
	return line
}

// breakdown counts what drifted by kind: "1 changed, 1 only in source".
func breakdown(r *drift.Report) string {
	s := r.Summary
	var parts []string
	for _, c := range []struct {
		n    int
		what string
	}{
		{s.Changed, "changed"}, {s.Moved, "moved"}, {s.OnlyTranslation, "only in translation"},
		{s.OnlySource, "only in source"}, {s.OutputDiffers, "output differs"}, {s.OutcomeDiffers, "outcome differs"},
		{len(r.Front), "front matter"},
	} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.what))
		}
	}
	return strings.Join(parts, ", ")
}

func refCell(r *drift.Ref) string {
	if r == nil {
		return "-"
	}
	return strconv.Itoa(r.Index) + ":" + strconv.Itoa(r.Line)
}

// stateCell is the pair's state as the table shows it.
func stateCell(p *drift.Pair) string {
	s := strings.ReplaceAll(string(p.State), "_", "-")
	if p.State == drift.Same && p.Drifted() {
		s = "output"
		if p.Run != nil && p.Run.Differs {
			s = "outcome"
		}
	}
	return s
}

// Details says what differs in a pair, in one line: its named changes
// (else a short word diff), its expected output's shape, its outcomes,
// or for a step only in one page its first line of code.
func Details(p *drift.Pair) string {
	var parts []string
	switch p.State {
	case drift.OnlySource:
		parts = append(parts, markdown.FirstLine(p.Source.Code, 60))
	case drift.OnlyTranslation:
		parts = append(parts, markdown.FirstLine(p.Translation.Code, 60))
	case drift.Changed, drift.Moved:
		if len(p.Changes) > 0 {
			for _, c := range p.Changes {
				parts = append(parts, ChangeText(c))
			}
		} else if len(p.Diff) > 0 {
			parts = append(parts, shortDiff(p.Diff, 60))
		}
	}
	if p.Note != "" {
		parts = append(parts, p.Note)
	}
	if p.State != drift.Same && !p.Drifted() {
		parts = append(parts, "text, not run: not drift")
	}
	if o := p.Output; o != nil {
		switch {
		case o.Verdict == "differs":
			parts = append(parts, "expected output differs in shape")
		case o.Only != "":
			parts = append(parts, "expected output only in "+o.Only)
		}
	}
	if r := p.Run; r != nil && r.Differs {
		parts = append(parts, fmt.Sprintf("ran: %s in translation, %s in source", outcomeText(r.Translation), outcomeText(r.Source)))
	}
	return strings.Join(parts, "; ")
}

func outcomeText(o drift.Outcome) string {
	if o.Verdict == "" || o.Verdict == "none" {
		return string(o.Status)
	}
	return string(o.Status) + " (output " + string(o.Verdict) + ")"
}

// ChangeText words a change: "image nginx: nginx:1.14.2 → nginx:1.16.1",
// "flag --dry-run only in source (client)".
func ChangeText(c drift.Change) string {
	what := string(c.Kind)
	if c.Kind == drift.ChangeAPIVersion {
		what = "apiVersion"
	}
	if c.Name != "" {
		what += " " + c.Name
	}
	switch {
	case c.Translation == "" && c.Source == "":
		return what + " differs"
	case c.Translation == "":
		return what + " only in source" + paren(c.Source, c.Name)
	case c.Source == "":
		return what + " only in translation" + paren(c.Translation, c.Name)
	}
	return what + ": " + c.Source + " → " + c.Translation
}

func paren(v, name string) string {
	if v == "" || v == name || v == "true" {
		return ""
	}
	return " (" + v + ")"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// shortDiff is a word diff in one line, wdiff style ([-old-]{+new+}),
// each change after the word before it, at most width runes.
func shortDiff(edits []drift.Edit, width int) string {
	var parts []string
	for i, e := range edits {
		t := strings.Join(strings.Fields(e.Text), " ")
		switch e.Op {
		case drift.Delete:
			parts = append(parts, "[-"+t+"-]")
		case drift.Insert:
			parts = append(parts, "{+"+t+"+}")
		default:
			if f := strings.Fields(e.Text); len(f) > 0 && i < len(edits)-1 {
				parts = append(parts, "…", f[len(f)-1])
			}
		}
	}
	return markdown.FirstLine(strings.Join(parts, " "), width)
}

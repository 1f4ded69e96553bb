package html

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"

	"github.com/docrun/docrun/markdown"

	"github.com/docrun/docrun/result"
)

// stepPlan ties the outcomes to the page's code blocks.
type stepPlan struct {
	all     []*result.StepResult       // in run order
	visible map[int]*result.StepResult // step index -> outcome of the page's own step
	before  map[int][]*result.StepResult
	ids     map[*result.StepResult]string
	pos     map[*result.StepResult]int // position in Report.Result.Steps
	done    map[*result.StepResult]bool
	ran     bool
	doc     *markdown.Document
}

// planSteps orders the outcomes: each step of the page gets its own, and
// hidden steps (directives, docrun.yaml inserts) are shown right before the
// next step of the page.
func planSteps(r *Report) stepPlan {
	p := stepPlan{visible: map[int]*result.StepResult{}, before: map[int][]*result.StepResult{},
		ids: map[*result.StepResult]string{}, pos: map[*result.StepResult]int{}, done: map[*result.StepResult]bool{}, ran: r.Ran(), doc: r.doc()}
	if r.Ran() {
		for i, o := range r.Result.Steps {
			p.all = append(p.all, o)
			p.pos[o] = i
		}
	} else {
		for _, s := range r.doc().Steps {
			p.all = append(p.all, &result.StepResult{Step: s, Status: result.NotRun})
		}
	}
	var hidden []*result.StepResult
	for i, o := range p.all {
		if o.Step.Hidden {
			p.ids[o] = "hidden:" + strconv.Itoa(i)
			hidden = append(hidden, o)
			continue
		}
		if _, dup := p.visible[o.Step.Index]; dup {
			p.ids[o] = "run:" + strconv.Itoa(i)
			continue
		}
		p.ids[o] = StepID(o.Step.Index)
		p.visible[o.Step.Index] = o
		p.before[o.Step.Index] = hidden
		hidden = nil
	}
	return p
}

// counts counts the outcomes, and the page's steps without one as not run.
func (p *stepPlan) counts() Counts {
	var c Counts
	for _, o := range p.all {
		c.Add(o.State())
	}
	for _, s := range p.doc.Steps {
		if _, ok := p.visible[s.Index]; !ok && !s.Hidden {
			c.Add(result.NotRun)
		}
	}
	return c
}

// StepID is the HTML id of a page's step in its report. The colon keeps it
// apart from heading ids, which never have one unless written {#so:}.
func StepID(index int) string { return "step:" + strconv.Itoa(index) }

func (b *body) renderCode(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	lang := ""
	if f, ok := node.(*ast.FencedCodeBlock); ok {
		lang = string(f.Language(src))
	}
	code := stripMarkers(codeText(node, src))
	ref, ok := b.page.Blocks[node]
	switch {
	case !ok:
		w.WriteString(`<div class="codeblock">`)
		highlight(w, lang, code)
		w.WriteString("</div>\n")
	case ref.Expected:
		b.expected(w, ref.Step, b.steps.visible[ref.Step], lang, code)
	default:
		// A console transcript is a step per command, each shown with its
		// own command and expected output.
		for i := ref.Step; i < ref.Step+max(ref.Steps, 1); i++ {
			for _, h := range b.steps.before[i] {
				b.outcome(w, h, h.Step.Lang, h.Step.Code)
			}
			o := b.steps.visible[i]
			if o == nil {
				// A step the run did not select (--step, --from, --to).
				var st markdown.Step
				if i >= 0 && i < len(b.rep.doc().Steps) {
					st = b.rep.doc().Steps[i]
				}
				o = &result.StepResult{Step: st, Status: result.NotRun}
				b.steps.ids[o] = StepID(i)
			}
			if ref.Steps == 0 {
				b.outcome(w, o, lang, code)
				continue
			}
			b.outcome(w, o, "shell", o.Step.Code)
			if e := o.Step.Expected; e != nil {
				b.expected(w, i, o, lang, e.Text)
			}
		}
	}
	return ast.WalkSkipChildren, nil
}

// codeText is a code block's content as the page shows it.
func codeText(n ast.Node, src []byte) string {
	var sb strings.Builder
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		for j := 0; j < seg.Padding; j++ {
			sb.WriteByte(' ')
		}
		sb.Write(seg.Value(src))
	}
	return sb.String()
}

func stripMarkers(s string) string {
	if !strings.Contains(s, "<!--docrun-sc:") {
		return s
	}
	return markerRe.ReplaceAllString(s, "")
}

// inert reports whether a step is not meant to run (text, manifests).
func inert(s *markdown.Step) bool {
	return s.Kind == markdown.KindText || s.Kind == markdown.KindManifest
}

// outcome writes a step: its header (status, duration, exit code), its
// code, and what running it gave.
func (b *body) outcome(w writer, o *result.StepResult, lang, code string) {
	b.steps.done[o] = true
	id := b.steps.ids[o]
	st := o.State()
	cls := "step s-" + statusClass(st)
	if inert(&o.Step) {
		cls += " inert"
	}
	if o.Step.Hidden {
		cls += " hidden-step"
	}
	if o.Stale {
		cls += " stale"
	}
	pos, live := b.steps.pos[o]
	live = live && b.rep.Controls != nil
	if live && b.rep.Controls.Running(pos) {
		cls += " running"
	}
	w.WriteString(`<section class="` + cls + `" id="` + id + `"`)
	if live {
		w.WriteString(` data-pos="` + strconv.Itoa(pos) + `"`)
	}
	w.WriteString(">\n")
	name := "step " + strconv.Itoa(o.Step.Index)
	if o.Step.Hidden {
		name = "hidden step"
	}
	if o.Step.Setup != "" {
		name = "setup step"
	}
	w.WriteString(`<div class="step-head"><a class="step-no" href="#` + id + `">` + name + `</a> `)
	badge(w, st)
	if o.Stale {
		w.WriteString(` <span class="badge b-stale" title="the step's code changed after it ran">stale</span>`)
	}
	meta := []string{}
	if o.Status == result.Passed || o.Status == result.Failed || o.Status == result.Timeout {
		meta = append(meta, FormatDuration(o.DurationMS), "exit "+strconv.Itoa(o.ExitCode))
	}
	if o.Step.Line > 0 {
		meta = append(meta, "line "+strconv.Itoa(o.Step.Line))
	}
	if k := string(o.Step.Kind); k != "" && k != "command" {
		meta = append(meta, k)
	}
	w.WriteString(` <span class="meta">`)
	escape(w, strings.Join(meta, " · "))
	w.WriteString("</span>")
	switch {
	case o.Step.Setup != "":
		w.WriteString(` <span class="hidden-label">`)
		escape(w, o.Step.Reason)
		w.WriteString(`</span>`)
	case o.Step.Hidden:
		w.WriteString(` <span class="hidden-label">runs, but readers of the page do not see it</span>`)
	}
	w.WriteString("</div>\n")
	if live && !inert(&o.Step) {
		w.WriteString(string(b.rep.Controls.Step(pos, o)))
	}
	if f := o.Step.File; f != "" {
		w.WriteString(`<div class="file"><a href="`)
		escape(w, "https://k8s.io/examples/"+strings.TrimPrefix(f, "/"))
		w.WriteString(`">`)
		escape(w, f)
		w.WriteString("</a></div>\n")
	}
	highlight(w, lang, code)
	b.savedAs(w, &o.Step)
	b.created(w, o)
	if o.Ran != "" && o.Ran != o.Step.Code {
		w.WriteString(`<div class="ran"><div class="label">command as run</div>`)
		highlight(w, ranLang(lang), o.Ran)
		w.WriteString("</div>\n")
	}
	if len(o.Bindings) > 0 {
		w.WriteString(`<p class="bindings">placeholders: `)
		for i, bd := range o.Bindings {
			if i > 0 {
				w.WriteString(", ")
			}
			w.WriteString("<code>")
			escape(w, bd.Name)
			w.WriteString("</code> = <code>")
			escape(w, bd.Value)
			w.WriteString("</code>")
			if bd.Source != "" {
				w.WriteString(" (")
				escape(w, bd.Source)
				if bd.Description != "" {
					w.WriteString(": ")
					escape(w, bd.Description)
				}
				w.WriteString(")")
			}
		}
		w.WriteString("</p>\n")
	}
	switch {
	case st == result.Skipped && o.SkipReason != "":
		w.WriteString(`<p class="reason">skipped: `)
		escape(w, o.SkipReason)
		w.WriteString("</p>\n")
	case st == result.NotRun && o.Step.Reason != "":
		w.WriteString(`<p class="reason">`)
		escape(w, o.Step.Reason)
		w.WriteString("</p>\n")
	}
	if o.Note != "" && st != result.Skipped && st != result.NotRun {
		w.WriteString(`<p class="reason note">`)
		escape(w, o.Note)
		w.WriteString("</p>\n")
	}
	output(w, "stdout", o.Stdout)
	output(w, "stderr", o.Stderr)
	if o.Step.Expected != nil && o.Verdict != "" && o.Verdict != "none" {
		w.WriteString(`<p class="verdict-note">output `)
		verdictBadge(w, string(o.Verdict))
		w.WriteString(` — compared with the <a href="#` + id + `:expected">expected output</a></p>` + "\n")
	}
	w.WriteString("</section>\n")
}

func ranLang(lang string) string {
	if lang == "" || plainLangs[strings.ToLower(lang)] {
		return "shell"
	}
	return lang
}

// expected writes a page's expected-output block with the verdict and diff
// of the step it belongs to.
func (b *body) expected(w writer, index int, o *result.StepResult, lang, code string) {
	id := StepID(index)
	if o != nil {
		id = b.steps.ids[o]
	}
	verdict := ""
	if o != nil {
		verdict = string(o.Verdict)
	}
	w.WriteString(`<div class="expected v-` + cssName(firstNonEmpty(verdict, "none")) + `" id="` + id + `:expected">`)
	w.WriteString(`<div class="step-head"><span class="label">expected output of <a href="#` + id + `">step ` + strconv.Itoa(index) + "</a></span>")
	if verdict != "" && verdict != "none" {
		w.WriteString(" ")
		verdictBadge(w, verdict)
	}
	w.WriteString("</div>\n")
	highlight(w, lang, code)
	if o != nil && o.Diff != "" {
		w.WriteString(`<div class="diff"><div class="label">differences from the actual output</div><pre>`)
		for _, l := range strings.Split(strings.TrimRight(o.Diff, "\n"), "\n") {
			switch {
			case strings.HasPrefix(l, "+"):
				w.WriteString(`<span class="add">`)
				escape(w, l)
				w.WriteString("</span>\n")
			case strings.HasPrefix(l, "-"):
				w.WriteString(`<span class="del">`)
				escape(w, l)
				w.WriteString("</span>\n")
			default:
				escape(w, l)
				w.WriteByte('\n')
			}
		}
		w.WriteString("</pre></div>\n")
	}
	w.WriteString("</div>\n")
}

func badge(w writer, s result.Status) {
	w.WriteString(`<span class="badge b-` + statusClass(s) + `">`)
	escape(w, string(s))
	w.WriteString("</span>")
}

func verdictBadge(w writer, v string) {
	w.WriteString(`<span class="badge v-` + cssName(v) + `">`)
	escape(w, v)
	w.WriteString("</span>")
}

func statusClass(s result.Status) string {
	if s == result.NotRun || s == "" {
		return "notrun"
	}
	return cssName(string(s))
}

// maxOutput bounds each output stream shown in a report.
const maxOutput = 64 << 10

// output writes one output stream of a step.
func output(w writer, name, s string) {
	s = CleanOutput(s)
	if strings.TrimSpace(s) == "" {
		return
	}
	if len(s) > maxOutput {
		head, tail := s[:maxOutput*3/4], s[len(s)-maxOutput/4:]
		s = strings.ToValidUTF8(head, "") + fmt.Sprintf("\n… %d bytes left out …\n", len(s)-len(head)-len(tail)) + strings.ToValidUTF8(tail, "")
	}
	w.WriteString(`<div class="out ` + name + `"><div class="label">` + name + `</div><pre>`)
	escape(w, strings.Trim(s, "\n"))
	w.WriteString("</pre></div>\n")
}

var ansiRe = regexp.MustCompile(`\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)`)

// CleanOutput makes terminal output readable as text: ANSI escape
// sequences removed, and each line shown as a terminal leaves it after
// carriage returns (progress meters).
func CleanOutput(s string) string {
	if strings.IndexByte(s, 0x1b) >= 0 {
		s = ansiRe.ReplaceAllString(s, "")
	}
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		l = strings.TrimRight(l, "\r")
		if j := strings.LastIndexByte(l, '\r'); j >= 0 {
			l = l[j+1:]
		}
		lines[i] = l
	}
	return strings.Join(lines, "\n")
}

// FormatDuration shows milliseconds as a reader wants them: "0.44 s",
// "12.3 s", "2m 05s".
func FormatDuration(ms int64) string {
	switch {
	case ms < 10_000:
		return fmt.Sprintf("%.2f s", float64(ms)/1000)
	case ms < 60_000:
		return fmt.Sprintf("%.1f s", float64(ms)/1000)
	}
	return fmt.Sprintf("%dm %02ds", ms/60_000, (ms%60_000)/1000)
}

// FirstLine is markdown.FirstLine.
func FirstLine(code string, width int) string { return markdown.FirstLine(code, width) }

// renderLeftover writes the outcomes no code block of the page showed
// (hidden steps at the end, steps the page no longer has).
func (b *body) renderLeftover(w writer) {
	var left []*result.StepResult
	for _, o := range b.steps.all {
		if !b.steps.done[o] {
			left = append(left, o)
		}
	}
	if len(left) == 0 {
		return
	}
	w.WriteString(`<section class="leftover" id="docrun-more-steps"><h2>More steps: hidden ones after the page's last step, or not found in the page</h2>` + "\n")
	for _, o := range left {
		b.outcome(w, o, o.Step.Lang, o.Step.Code)
	}
	w.WriteString("</section>\n")
}

// renderFromResult writes the steps of a page that could not be read,
// from the run result alone, under their sections' headings.
func (b *body) renderFromResult(w writer) {
	w.WriteString(`<p class="page-missing">The page could not be read: its steps are shown from the run result alone.</p>` + "\n")
	section := "\x00"
	for _, o := range b.steps.all {
		if o.Step.Section != section && o.Step.Section != "" {
			section = o.Step.Section
			w.WriteString("<h2")
			if o.Step.SectionID != "" {
				w.WriteString(` id="`)
				escape(w, o.Step.SectionID)
				w.WriteString(`"`)
			}
			w.WriteString(">")
			escape(w, section)
			w.WriteString("</h2>\n")
		}
		b.outcome(w, o, o.Step.Lang, o.Step.Code)
		if e := o.Step.Expected; e != nil && !o.Step.Hidden {
			b.expected(w, o.Step.Index, o, e.Lang, e.Text)
		}
	}
}

package markdown

import (
	"fmt"
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// transcriptPart is one command of a console transcript with the output
// printed after it.
type transcriptPart struct {
	// first is the index in the block of the command's first line.
	first int
	// code is the command as typed, prompts removed; consecutive commands
	// with no output between them form one part.
	code string
	// outFirst is the index of the output's first line, -1 with no
	// output; outLast that of its last line that is not blank.
	outFirst, outLast int
	// output is the output, as the page shows it.
	output string
}

// transcript splits a terminal session written into a code block ("$ cmd"
// lines followed by what it printed) into its commands and their output.
// It returns nil when the block has no prompt, or when lines other than
// comments come before the first prompt.
//
// Prompts: "$ " everywhere; a prompt with a user, host or path before it
// ("root@pod:/# ", "node $ ", "[root@host ~]# ", "/ # ", "PS C:\> ") when
// a command follows. In console fences also "# cmd" (a root prompt; in a
// shell or untagged block "#" starts a comment) and "> cmd" (a PowerShell
// style prompt), when what follows reads as a command. A line after a command that is not complete yet (an open
// heredoc or quote, a trailing backslash) continues it, with a leading
// "> " (the shell's continuation prompt) removed. Every other line is
// output and never runs.
func transcript(code string, class blockClass) []transcriptPart {
	if class != classShell && class != classConsole && class != classPlain {
		return nil
	}
	lines := strings.Split(strings.TrimRight(code, "\n"), "\n")
	var parts []transcriptPart
	var cur *transcriptPart
	var cmd, out []string
	var pre []string
	flush := func() {
		if cur == nil {
			return
		}
		for len(out) > 0 && strings.TrimSpace(out[len(out)-1]) == "" {
			out = out[:len(out)-1]
		}
		cur.code = strings.Join(cmd, "\n") + "\n"
		if len(out) > 0 {
			cur.output = strings.Join(out, "\n") + "\n"
			cur.outLast = cur.outFirst + len(out) - 1
		} else {
			cur.outFirst = -1
		}
		parts = append(parts, *cur)
		cur, cmd, out = nil, nil, nil
	}
	open := false // the current command is not complete
	for i, line := range lines {
		if cur != nil && open {
			cmd = append(cmd, strings.TrimPrefix(strings.TrimPrefix(line, "> "), ">"))
			open = incomplete(strings.Join(cmd, "\n"))
			continue
		}
		if c, ok := promptLine(line, class); ok {
			if cur == nil || len(out) > 0 {
				flush()
				cur = &transcriptPart{first: i, outFirst: -1}
				cmd = append(cmd, pre...)
				pre = nil
			}
			cmd = append(cmd, c)
			open = incomplete(strings.Join(cmd, "\n"))
			continue
		}
		if cur == nil {
			if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") {
				return bareTranscript(lines)
			}
			pre = append(pre, line)
			continue
		}
		if len(out) == 0 {
			if strings.TrimSpace(line) == "" {
				continue
			}
			cur.outFirst = i
		}
		out = append(out, line)
	}
	flush()
	return parts
}

// promptRe is a prompt with what names the user, host or folder before it:
// root@pod:/#, [root@host ~]#, node $, bash-5.1$, / #, ~ $, PS C:\>, C:\>.
var promptRe = regexp.MustCompile(`^\s*(\[[^\]]+\]|[\w.-]+@[\w.-]+(:[^\s$#>]*)?|[\w.-]+(:[^\s$#>]*)?|[/~][^\s$#>]*|(PS )?[A-Z]:\\[^>]*)\s?([$#%>])\s+(\S.*)$`)

// promptLine returns the command of a line that starts with a prompt.
func promptLine(line string, class blockClass) (string, bool) {
	t := strings.TrimLeft(line, " \t")
	if rest, ok := strings.CutPrefix(t, "$ "); ok && strings.TrimSpace(rest) != "" {
		return strings.TrimSpace(rest), true
	}
	if m := promptRe.FindStringSubmatch(t); m != nil {
		prefix, rest := m[1], strings.TrimSpace(m[6])
		if strings.Contains(prefix, "@") || looksLikeCommand(rest) {
			return rest, true
		}
	}
	if class != classConsole {
		return "", false
	}
	for _, p := range []string{"# ", "> "} {
		if rest, ok := strings.CutPrefix(t, p); ok && looksLikeCommand(rest) {
			return strings.TrimSpace(rest), true
		}
	}
	return "", false
}

// incomplete reports whether shell text needs more lines: an open heredoc,
// quote or compound command, or a trailing backslash. (The shell is read
// with mvdan.cc/sh/v3/syntax, as everywhere in docrun.)
func incomplete(src string) bool {
	if strings.HasSuffix(strings.TrimRight(src, " \t\n"), "\\") {
		return true
	}
	_, err := syntax.NewParser().Parse(strings.NewReader(src+"\n"), "")
	return err != nil && syntax.IsIncomplete(err)
}

// transcriptSteps adds a step per command of a console transcript, each
// with the line of its command in the page and its output as expected
// output. Directives before the block apply to each of its steps; a
// "docrun replace" directive replaces the first, and the others do not run.
func (w *walker) transcriptSteps(b *block, parts []transcriptPart) {
	first := len(w.page.Doc.Steps)
	pending, replace := w.pending, w.replace
	for i, p := range parts {
		sub := *b
		sub.code, sub.line = p.code, w.blockLine(b, p.first)
		st := w.newStep(&sub)
		// A command typed at a prompt is shell, whatever the fence says.
		w.classify(&st, "shell", &sub)
		if p.outFirst >= 0 {
			st.Expected = &Expected{Line: w.blockLine(b, p.outFirst), Lang: b.lang, Text: p.output,
				Span: w.span(b, p.outFirst, p.outLast)}
		}
		if pending != nil {
			d := *pending
			w.pending = &d
		}
		if i > 0 && replace != nil {
			st.Runnable, st.Reason = false, fmt.Sprintf("replaced with the rest of its block by the docrun replace directive at line %d", replace.dirLine)
		}
		w.addStep(st, &sub)
	}
	if b.node != nil {
		w.page.Blocks[b.node] = BlockRef{Step: first, Steps: len(parts)}
	}
}

// blockLine is the page's line of line i of a block's code: for a block
// from an include or an example, the line of the shortcode.
func (w *walker) blockLine(b *block, i int) int {
	if b.node == nil || i >= b.node.Lines().Len() {
		return b.line + 1 + i
	}
	return w.src.pageLine(b.node.Lines().At(i).Start)
}

// numberLine is output of one number (a count, a jsonpath of a number).
var numberLine = regexp.MustCompile(`^-?\d+(\.\d+)?$`)

// outputStart reports whether a line can only be output printed after a
// command, never a command: kubectl's report of what it did
// (`pod/web created`, `crontab "x" created`), an error, a table heading,
// a number.
func outputStart(line string) bool {
	t := strings.TrimSpace(line)
	return statusLine.MatchString(t) || errorLine.MatchString(t) || isTableHeader(t, 2) || numberLine.MatchString(t)
}

// bareTranscript splits a block that has commands and their output with no
// prompt ("kubectl scale ...", then "crontabs "x" scaled") into its
// commands and their output. A line is output when it can only be output
// (outputStart) and comes right after a command, and so is every line
// after it up to a blank line. It returns nil when no line is output (the
// block is commands), or when a command's first line does not read as a
// command (the block is output or text).
func bareTranscript(lines []string) []transcriptPart {
	var parts []transcriptPart
	var cmd, out []string
	first, outFirst := -1, -1
	found := false
	flush := func() {
		if first < 0 {
			return
		}
		p := transcriptPart{first: first, code: strings.Join(cmd, "\n") + "\n", outFirst: outFirst}
		if outFirst >= 0 {
			p.output = strings.Join(out, "\n") + "\n"
			p.outLast = outFirst + len(out) - 1
		}
		parts = append(parts, p)
		cmd, out, first, outFirst = nil, nil, -1, -1
	}
	open, inOutput := false, false
	for i, line := range lines {
		t := strings.TrimSpace(line)
		switch {
		case open:
			cmd = append(cmd, line)
			open = incomplete(strings.Join(cmd, "\n"))
		case t == "":
			inOutput = false
		case inOutput:
			out = append(out, line)
		case first >= 0 && outFirst < 0 && outputStart(line) && !strings.HasPrefix(t, "#"):
			outFirst, inOutput, found = i, true, true
			out = append(out, line)
		default:
			if outFirst >= 0 {
				flush()
			}
			if first < 0 {
				if outputStart(line) || !looksLikeCommand(line) {
					return nil // output, or text: not commands with their output
				}
				first = i
			}
			cmd = append(cmd, line)
			open = incomplete(strings.Join(cmd, "\n"))
		}
	}
	flush()
	if !found {
		return nil
	}
	return parts
}

package markdown

import "fmt"

// outputVerdict is what a block after a step is.
type outputVerdict int

const (
	// notOutput: the block is a step of its own.
	notOutput outputVerdict = iota
	// attached: the block became the previous step's expected output.
	attached
	// moreOutput: the block is output of the previous step, which already
	// has its expected output; it becomes a text step and never runs.
	moreOutput
)

// blockClass groups fence languages by how a block may be read.
type blockClass int

const (
	classOther   blockClass = iota
	classShell              // shell, bash, sh, zsh: commands unless they read as output
	classConsole            // console, shell-session: a terminal, prompts and output
	classPlain              // untagged, none, text, output: decided by content and prose
	classData               // json, yaml: objects, read back or to write
)

func classOf(lang string) blockClass {
	switch {
	case shellLangs[lang]:
		return classShell
	case consoleLangs[lang]:
		return classConsole
	case lang == "" || lang == "none" || lang == "text" || lang == "plaintext" || lang == "txt" || lang == "output" || lang == "log":
		return classPlain
	case lang == "json" || lang == "yaml" || lang == "yml":
		return classData
	}
	return classOther
}

// consoleLangs are the fence languages of terminal sessions.
var consoleLangs = map[string]bool{"console": true, "shell-session": true, "sh-session": true, "shellsession": true, "terminal": true}

// expected decides whether b is the expected output of the previous step
// and attaches it when it is.
//
// A block is output of the command before it when:
//   - the nearest sentence between them that says anything announces
//     output (see cueTable), and the block is not a command written in a
//     shell or console fence;
//   - or the block reads as command output (see outputShape), is not a
//     command, and sits in the same section and tab as the command; a weak shape
//     (KEY=value lines, an object read back) counts only when no sentence
//     asks to run or write something and the command is not interactive
//     (what follows kubectl edit is the editor's buffer);
//   - or it directly follows the command with no prose between and is not
//     a command itself (a shell fence needs an output shape).
//
// Go and client programs get expected output only from a cue sentence, and
// only when they are complete programs. A step that already has its
// expected output keeps it: the block is moreOutput.
func (w *walker) expected(b *block, lang string) outputVerdict {
	steps := w.page.Doc.Steps
	if len(steps) == 0 {
		return notOutput
	}
	prev := &steps[len(steps)-1]
	if prev.Hidden {
		return notOutput
	}
	isCommand := prev.Kind == KindCommand
	if !isCommand && !((prev.Kind == KindGo || prev.Kind == KindClient) && prev.Runnable) {
		return notOutput
	}
	class := classOf(lang)
	if class == classOther || (b.embed != nil && b.embed.file != "") {
		// An example file (code_sample) is never output.
		return notOutput
	}
	role, _ := proseCue(b.prose, w.page.Doc.Lang)
	shape, strong := outputShape(b.code)
	if class == classShell && !strong {
		shape = ""
	}
	// KEY=value lines outside a shell fence are a dump, not assignments,
	// unless a sentence asks to run them.
	cmdLike := class != classData && looksLikeCommand(b.code) && !(shape == "env" && role != cueCommand)
	out := false
	switch {
	case role == cueFailure:
		// An error is never a command: "The following command fails:"
		// before one announces that command's failure (see leadFailure).
		out = !cmdLike
	case role == cueOutput:
		out = !(cmdLike && (class == classShell || class == classConsole))
	case shape != "" && !cmdLike && (strong || (role != cueCommand && !prev.Interactive)):
		out = isCommand && w.sameContext(prev, b)
	case b.direct:
		out = isCommand && !cmdLike && (class != classShell || shape != "")
	}
	if !out {
		return notOutput
	}
	if prev.Expected != nil {
		return moreOutput
	}
	prev.Expected = &Expected{Line: b.line, Lang: b.lang, Text: b.code, Span: w.blockSpan(b)}
	if f := nearestFailure(b.prose, w.page.Doc.Lang); f != nil && isCommand {
		prev.Fails = f
	}
	if b.node != nil {
		w.page.Blocks[b.node] = BlockRef{Step: prev.Index, Expected: true}
	}
	return attached
}

// sameContext reports whether block b is where step st was: no heading
// between them, and in the same tab.
func (w *walker) sameContext(st *Step, b *block) bool {
	id := ""
	if w.section != nil {
		id = w.section.ID
	}
	_, tab, _ := w.tabs.at(b.pos)
	return st.SectionID == id && w.stepTabs[st.Index].id == tab
}

// moreOutputReason is the reason of a text step that is a further output
// of step i.
func moreOutputReason(i int) string {
	return fmt.Sprintf("more output of step %d, which already has its expected output", i)
}

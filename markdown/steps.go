package markdown

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"

	"github.com/docrun/docrun/markdown/shell"
	yaml "go.yaml.in/yaml/v3"
)

// code turns a code block into a step or attaches it to the previous step
// as its expected output. A console transcript becomes a step per command.
func (w *walker) code(b *block) {
	lang := strings.ToLower(b.lang)
	if parts := transcript(b.code, classOf(lang)); parts != nil {
		w.transcriptSteps(b, parts)
		return
	}
	// A block with a docrun directive before it is a step, never output.
	verdict := notOutput
	if !b.hidden && w.pending == nil && w.replace == nil {
		if verdict = w.expected(b, lang); verdict == attached {
			return
		}
	}
	st := w.newStep(b)
	st.Span = w.blockSpan(b)
	if verdict == moreOutput {
		st.Kind, st.Reason = KindText, moreOutputReason(st.Index-1)
	} else {
		w.classify(&st, lang, b)
		if st.Kind == KindCommand {
			st.Fails = leadFailure(b.prose, w.page.Doc.Lang)
		}
	}
	if b.node != nil {
		w.page.Blocks[b.node] = BlockRef{Step: st.Index}
	}
	w.addStep(st, b)
}

// newStep is the step of a block before it is classified: where it is in
// the page and where it came from.
func (w *walker) newStep(b *block) Step {
	st := Step{Index: len(w.page.Doc.Steps), Line: b.line, Lang: b.lang, Code: b.code,
		Placeholders: []string{}, Hidden: b.hidden}
	if w.section != nil {
		st.Section, st.SectionID = w.section.Title, w.section.ID
	}
	st.Part = w.part
	if b.embed != nil {
		st.File = b.embed.file
		if b.embed.source != "" {
			st.Source = b.embed.source
		}
	}
	if f, _ := w.src.fileLine(b.pos); f != w.src.page && st.Source == "" {
		st.Source = f
	}
	var t stepTab
	st.Tab, t.id, t.skip = w.tabs.at(b.pos)
	w.stepTabs[st.Index] = t
	return st
}

// addStep appends a classified step to the page, with where it runs (a
// container, a node), the variables it needs, the tab that makes it an alternative, and the directives
// written before its block.
func (w *walker) addStep(st Step, b *block) {
	w.target(&st, b)
	w.unsetVars(&st)
	w.anyOne(&st, b)
	w.markReplacements(&st, b)
	markMaybeFailure(&st, b.lead)
	if skip := w.stepTabs[st.Index].skip; skip != "" && (st.Runnable || st.Kind == KindCommand) {
		st.Runnable, st.Reason = false, skip
	}
	if w.pending != nil {
		st.Directives = w.pending
		if w.pending.Skip {
			st.Runnable = false
			st.Reason = "skipped by a docrun directive"
			if w.pending.SkipReason != "" {
				st.Reason += ": " + w.pending.SkipReason
			}
		}
		w.pending = nil
	}
	if w.replace != nil {
		if st.Directives == nil {
			st.Directives = &Directives{Line: w.replace.dirLine}
		}
		st.Directives.Replace = w.replace.code
		w.replace = nil
	}
	w.page.Doc.Steps = append(w.page.Doc.Steps, st)
}

// classify sets a step's kind, runnability and flags.
func (w *walker) classify(st *Step, lang string, b *block) {
	switch {
	case shellLangs[lang]:
		st.Kind = KindCommand
		// A shell fence around output (a table, kubectl's report) is not
		// run: an output line is never executed.
		if shape, strong := outputShape(b.code); strong && !looksLikeCommand(b.code) {
			st.Kind, st.Reason = KindText, "reads as command output ("+shape+"), not a command"
		} else if yamlFragment(b.code) {
			st.Kind, st.Reason = KindText, "reads as YAML (fields of a manifest), not a command"
		} else if valuesOnly(b.code) {
			st.Kind, st.Reason = KindText, "reads as values (every line starts with a number), not a command"
		}
	case lang == "" || lang == "none" || consoleLangs[lang] || lang == "text" || lang == "plaintext":
		if looksLikeCommand(b.code) {
			st.Kind = KindCommand
		} else {
			st.Kind, st.Reason = KindText, "not a command"
			if consoleLangs[lang] || lang == "" || lang == "none" {
				st.Reason = "output or text, not a command"
			}
		}
	case lang == "go" || lang == "golang":
		st.Kind = KindGo
		st.Runnable, st.Reason = goProgram(b.code)
		st.Placeholders = textPlaceholders(b.code)
		return
	case clientLangs[lang] != "":
		st.Kind = KindClient
		st.Runnable, st.Reason = clientProgram(clientLangs[lang], b.code)
		return
	case lang == "yaml" || lang == "yml" || lang == "json":
		if st.File != "" || isKubernetesObject(lang, b.code) {
			st.Kind, st.Reason = KindManifest, "a manifest is applied by the commands that use it"
		} else {
			st.Kind, st.Reason = KindText, "not a Kubernetes object"
		}
		return
	case windowsLangs[lang]:
		st.Kind, st.Reason = KindText, lang+" is a Windows shell; not runnable on this platform"
		return
	default:
		st.Kind, st.Reason = KindText, "language "+lang+" is not run by docrun"
		return
	}
	if st.Kind != KindCommand {
		return
	}
	st.Runnable = true
	sc := shell.Parse(b.code)
	f := analyzeShell(sc)
	st.Background, st.Interactive, st.Network, st.Host = f.background, f.interactive, f.network, f.host
	st.Placeholders = sc.Placeholders()
	st.Placeholders = appendNew(st.Placeholders, sc.Words(capitalSpans(b.spans))...)
	if !sc.Parsed() {
		st.Reason = sc.FallbackReason()
	}
}

var shellLangs = map[string]bool{"shell": true, "bash": true, "sh": true, "zsh": true, "console-bash": true}

var windowsLangs = map[string]bool{"powershell": true, "ps1": true, "pwsh": true, "cmd": true, "bat": true, "batch": true}

// clientLangs maps fence languages of client-library programs to a
// canonical name.
var clientLangs = map[string]string{
	"python": "python", "py": "python", "python3": "python",
	"java":   "java",
	"csharp": "csharp", "cs": "csharp", "c#": "csharp", "dotnet": "csharp",
	"javascript": "javascript", "js": "javascript", "node": "javascript",
	"typescript": "typescript", "ts": "typescript",
	"haskell": "haskell", "hs": "haskell",
	"ruby": "ruby", "rb": "ruby", "rust": "rust", "php": "php", "perl": "perl",
	"kotlin": "kotlin", "scala": "scala", "swift": "swift", "elixir": "elixir",
}

// goProgram reports whether Go code is a complete program (package main
// with func main).
func goProgram(code string) (bool, string) {
	f, err := parser.ParseFile(token.NewFileSet(), "step.go", code, parser.SkipObjectResolution)
	if err != nil {
		if !strings.Contains(code, "package ") {
			return false, "fragment: no package clause"
		}
		return false, "fragment: not a complete Go file"
	}
	if f.Name.Name != "main" {
		return false, "fragment: package " + f.Name.Name + ", not main"
	}
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == "main" {
			return true, ""
		}
	}
	return false, "fragment: package main without func main"
}

// clientProgram reports whether a client program looks complete enough to
// run; whether it can run here is the runner's business.
func clientProgram(lang, code string) (bool, string) {
	switch lang {
	case "java":
		if strings.Contains(code, "static void main(") {
			return true, ""
		}
		return false, "fragment: no main method"
	case "csharp":
		if strings.Contains(code, "static void Main(") || strings.Contains(code, "static async Task Main(") {
			return true, ""
		}
		return false, "fragment: no Main method"
	case "haskell":
		for _, l := range strings.Split(code, "\n") {
			if strings.HasPrefix(l, "main ") || strings.HasPrefix(l, "main=") {
				return true, ""
			}
		}
		return false, "fragment: no main"
	}
	return true, ""
}

// isKubernetesObject reports whether YAML or JSON text holds at least one
// object with apiVersion and kind.
func isKubernetesObject(lang, code string) bool {
	if !strings.Contains(code, "apiVersion") || !strings.Contains(code, "kind") {
		return false
	}
	dec := yaml.NewDecoder(strings.NewReader(code)) // JSON is YAML
	found := false
	for {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			return found
		}
		if m == nil {
			continue
		}
		_, hasAPI := m["apiVersion"]
		_, hasKind := m["kind"]
		if !hasAPI || !hasKind {
			return false
		}
		found = true
	}
}

package markdown

import (
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// File is a file the page tells the reader to create from one of its
// blocks ("Save this as x.yaml", 「…という名前で保存します」, an example file a
// command later reads as name.yaml, a kustomization shown before
// kubectl apply -k), and which later commands read. A runner writes it in
// the page's working folder before the first of those commands runs.
//
// Each File is one version: a page that shows a new block under the same
// name has a second File, used by the commands after that block.
type File struct {
	// Name is the file's path relative to the working folder, as the
	// commands use it ("x.yaml", "base/kustomization.yaml").
	Name string `json:"name"`
	// Step is the index of the step whose code is the file's content
	// (its Code, byte for byte); Line is that block's line.
	Step int `json:"step"`
	Line int `json:"line"`
	// Rule is how docrun knew: "cue" (a sentence before the block names
	// the file), "code_sample" (an example file read under its name),
	// "kustomization" (a kustomization read by -k) or "manifest" (the
	// manifest right before a command that reads a file nothing else
	// provides).
	Rule string `json:"rule"`
	// Placeholders are the values the reader must fill in the content
	// (<namespace-name>), as in Step.Placeholders.
	Placeholders []string `json:"placeholders"`
	// Uses are the steps that read this version, in order.
	Uses []FileUse `json:"uses"`
}

// FileUse is a step that reads a File.
type FileUse struct {
	// Step is the reading step's index.
	Step int `json:"step"`
	// Arg is the command's argument that names the file or its folder, as
	// written ("./x.yaml", ".", "<directory-path>" for kubectl apply -k).
	Arg string `json:"arg"`
}

// fileName is a file name as a cue sentence gives it: a path whose last
// part has an extension, or a well-known name without one.
const fileName = `(?P<name>(?:[\w.-]+/)*(?:[\w][\w.-]*\.[A-Za-z][A-Za-z0-9]{0,9}|Dockerfile|Makefile|\.env[\w.-]*))`

// nameEnd ends a file name in an English sentence (RE2 has no lookahead;
// Japanese cues end it with the words after it).
const nameEnd = `(?:[^\w/-]|$)`

// fileCues are the sentences that tell the reader to save the block after
// them as a file, by page language; the group "name" is the file's name.
// They are matched against the last sentence before the block, markup
// removed. A translator adds the rows of a language.
var fileCues = map[string][]*regexp.Regexp{
	"en": {
		// "Save the following YAML to `x.yaml`:", "save it as x.yaml",
		// "Put this in a file named x.yaml", "Copy the text into x.sh".
		regexp.MustCompile(`(?i)\b(?:save|store|put|copy|paste|write|place)\b.*?\b(?:to|as|in|into)\s+(?:(?:a|the)\s+(?:new\s+)?(?:\w+\s+)?file\s+(?:named\s+|called\s+)?)?` + fileName + nameEnd),
		// "Create a file named `x.yaml` that has this content:", "Create a
		// new YAML file called x.yaml", "Write a file x.py".
		regexp.MustCompile(`(?i)\b(?:create|make|add|write|open)\b.*?\bfiles?\s+(?:named\s+|called\s+)?` + fileName + nameEnd),
		// "Create the `kustomization.yaml` file:", "Create x.yaml:".
		regexp.MustCompile(`(?i)\bcreate\s+(?:(?:a|an|the|your)\s+)?(?:new\s+)?` + fileName + nameEnd),
	},
	"ja": {
		// 「`x.yaml`という名前で保存します」「`x.yaml`として保存し」「`x.yaml`に保存します」
		regexp.MustCompile(fileName + `\s*(?:という名前で|という名前のファイルに|というファイルに|として|に)\s*(?:保存|格納)`),
		// 「`x.yaml`という名前のファイルを作成します」「`kustomization.yaml`ファイルを作成します」
		regexp.MustCompile(fileName + `\s*(?:という名前の|という|の)?\s*(?:YAML|JSON)?\s*(?:ファイル|マニフェスト)?を(?:作成|作り)`),
		// 「`x.yaml`という名前のファイルに次の内容を書き込みます」
		regexp.MustCompile(fileName + `\s*(?:という名前の)?ファイルに.*(?:書き込|記述|保存)`),
	},
}

// cueName returns the file a sentence tells the reader to save the next
// block as, or "".
func cueName(lang, sentence string) string {
	if sentence == "" {
		return ""
	}
	rows := fileCues[lang]
	if lang != "en" {
		// Translations often keep English sentences; English cues apply too.
		rows = append(append([]*regexp.Regexp(nil), rows...), fileCues["en"]...)
	}
	for _, re := range rows {
		if m := re.FindStringSubmatch(sentence); m != nil {
			if n, ok := localName(m[re.SubexpIndex("name")]); ok {
				return n
			}
		}
	}
	return ""
}

// candidate is a block that may be saved as a file.
type candidate struct {
	names []string // names it may be read under
	rule  string
	refs  []string // for a kustomization: the files it refers to
	kust  bool
}

// fileFinder resolves the files commands read to the blocks they come
// from.
type fileFinder struct {
	doc    *Document
	scopes []tabScope
	tabs   pageTabs
	args   [][]fileArg // per step: the files a command reads and writes
	cands  map[int]*candidate
	files  map[fileKey]*File
	order  []*File
}

type fileKey struct {
	step int
	name string
}

// findFiles finds the files the page tells the reader to create and the
// steps that read them, sets Document.Files, and makes a block that is
// saved as a file (a script in a shell block) not runnable by itself.
func (w *walker) findFiles() {
	doc := w.page.Doc
	ff := &fileFinder{doc: doc, scopes: w.tabScopes(), tabs: w.tabs, args: make([][]fileArg, len(doc.Steps)),
		cands: map[int]*candidate{}, files: map[fileKey]*File{}}
	nodes := map[int]ast.Node{}
	for n, ref := range w.page.Blocks {
		if !ref.Expected {
			nodes[ref.Step] = n
		}
	}
	for i := range doc.Steps {
		st := &doc.Steps[i]
		if st.Kind == KindCommand {
			ff.args[i] = fileArgs(st.Code)
		}
		intro := ""
		if n := nodes[i]; n != nil {
			if prose, _ := w.context(n); len(prose) > 0 {
				intro = prose[len(prose)-1]
			}
		}
		if c := fileCandidate(st, ff.args[i], cueName(doc.Lang, intro)); c != nil {
			ff.cands[i] = c
		}
	}
	for i := range doc.Steps {
		st := &doc.Steps[i]
		if st.Kind != KindCommand || st.Target != nil {
			continue
		}
		written := map[string]bool{}
		for _, a := range ff.args[i] {
			if a.write {
				written[a.name] = true
				continue
			}
			names := []string{a.name}
			if a.dir {
				names = nil
				for _, k := range kustomizationNames {
					names = append(names, path.Join(a.name, k))
				}
			}
			for _, n := range names {
				if written[n] || ff.resolve(n, FileUse{Step: i, Arg: a.arg}, !a.dir, 0) {
					break
				}
			}
		}
	}
	sort.SliceStable(ff.order, func(a, b int) bool { return ff.order[a].Step < ff.order[b].Step })
	for _, f := range ff.order {
		doc.Files = append(doc.Files, *f)
		st := &doc.Steps[f.Step]
		if st.Kind == KindCommand || st.Kind == KindGo || st.Kind == KindClient {
			st.Runnable = false
			st.Reason = "saved as " + f.Name + " by docrun for the commands that use it"
		}
	}
}

// fileCandidate returns what a step may be saved as: the name a cue
// sentence gives, an example file's name and path, a kustomization's
// names; nil for a step that is none of these. A command block is a file
// only when a cue names it and it does not write that file itself.
func fileCandidate(st *Step, args []fileArg, cue string) *candidate {
	if st.Hidden {
		return nil
	}
	c := &candidate{}
	if cue != "" && !writes(args, cue) {
		c.names, c.rule = append(c.names, cue), "cue"
	}
	if st.Kind == KindCommand && cue == "" {
		return nil
	}
	if f := st.File; f != "" {
		if n, ok := localName(f); ok {
			c.names = append(c.names, path.Base(n), n)
			if c.rule == "" {
				c.rule = "code_sample"
			}
		}
	}
	switch strings.ToLower(st.Lang) {
	case "yaml", "yml", "":
		if refs, ok := kustomizationRefs(st.Code); ok {
			c.kust, c.refs = true, refs
			if c.rule == "" || c.rule == "code_sample" {
				c.names = append(c.names, kustomizationNames...)
				c.rule = "kustomization"
			}
		}
	}
	if len(c.names) == 0 {
		return nil
	}
	return c
}

func (c *candidate) reads(name string) bool {
	for _, n := range c.names {
		if n == name {
			return true
		}
	}
	return false
}

// writes reports whether a command's files include a write of name.
func writes(args []fileArg, name string) bool {
	for _, a := range args {
		if a.write && a.name == name {
			return true
		}
	}
	return false
}

// manifestFor reports whether a step is a manifest that a file named name
// could hold (YAML for .yaml and .yml, JSON for .json).
func manifestFor(st *Step, name string) bool {
	if st.Kind != KindManifest || st.Hidden {
		return false
	}
	lang := strings.ToLower(st.Lang)
	if st.File != "" {
		lang = strings.TrimPrefix(path.Ext(st.File), ".")
	}
	switch path.Ext(name) {
	case ".yaml", ".yml":
		return lang == "yaml" || lang == "yml"
	case ".json":
		return lang == "json"
	}
	return false
}

// resolve finds the block that a read of name by use.Step comes from: the
// latest candidate before it that has that name and that the step sees
// (tabs), unless a command in between wrote the file (the page's own
// file). Failing that, when nameless, the manifest right before the step.
// It records the use and reports whether it found a block.
func (ff *fileFinder) resolve(name string, u FileUse, nameless bool, depth int) bool {
	found := -1
	for s := u.Step - 1; s >= 0; s-- {
		if writes(ff.args[s], name) {
			break
		}
		if c := ff.cands[s]; c != nil && c.reads(name) && ff.tabs.sees(ff.scopes[s], ff.scopes[u.Step]) {
			found = s
			break
		}
	}
	for s := found - 1; s >= 0; s-- {
		if writes(ff.args[s], name) {
			return false // the page makes the file itself: never replaced
		}
	}
	if found >= 0 && ff.cands[found].rule != "manifest" {
		ff.record(found, ff.cands[found], name, u, depth)
		return true
	}
	// The manifest right before the command is a file nothing names, or
	// a new version of one that only this rule named.
	if s := u.Step - 1; nameless && s >= 0 && (found < 0 || found < s) && ff.cands[s] == nil &&
		manifestFor(&ff.doc.Steps[s], name) && ff.tabs.sees(ff.scopes[s], ff.scopes[u.Step]) && !writes(ff.args[s], name) {
		ff.cands[s] = &candidate{names: []string{name}, rule: "manifest"}
		found = s
	}
	if found < 0 {
		return false
	}
	ff.record(found, ff.cands[found], name, u, depth)
	return true
}

// record adds a use to the File of block s saved as name, and for a
// kustomization the uses of the files it refers to.
func (ff *fileFinder) record(s int, c *candidate, name string, u FileUse, depth int) {
	key := fileKey{s, name}
	f := ff.files[key]
	if f == nil {
		st := &ff.doc.Steps[s]
		f = &File{Name: name, Step: s, Line: st.Line, Rule: c.rule, Placeholders: filePlaceholders(name, st.Code), Uses: []FileUse{}}
		ff.files[key] = f
		ff.order = append(ff.order, f)
	}
	if n := len(f.Uses); n == 0 || f.Uses[n-1].Step != u.Step {
		f.Uses = append(f.Uses, u)
	}
	if !c.kust || depth > 4 {
		return
	}
	for _, r := range c.refs {
		ref, ok := localName(path.Join(path.Dir(name), r))
		if !ok {
			continue
		}
		ru := FileUse{Step: u.Step, Arg: r}
		if ff.resolve(ref, ru, false, depth+1) || path.Ext(ref) != "" {
			continue
		}
		for _, k := range kustomizationNames {
			if ff.resolve(path.Join(ref, k), ru, false, depth+1) {
				break
			}
		}
	}
}

// FilePlaceholders returns the placeholders of the content of the files
// step reads (see Files), in order, without repeats.
func (d *Document) FilePlaceholders(step int) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range d.Files {
		for _, u := range f.Uses {
			if u.Step != step {
				continue
			}
			for _, p := range f.Placeholders {
				if !seen[p] {
					seen[p] = true
					out = append(out, p)
				}
			}
		}
	}
	return out
}

// filePlaceholders are the placeholders of a file's content. In YAML, a
// comment ("# name must be <plural>.<group>") explains and is not filled
// in: only the values count.
func filePlaceholders(name, code string) []string {
	switch path.Ext(name) {
	case ".yaml", ".yml":
		return textPlaceholders(WithoutComments(code))
	}
	return textPlaceholders(code)
}

// WithoutComments drops the comments of YAML or shell code: whole-line
// comments, and a " #" and what follows it outside quotes (see
// splitComment). Lines stay where they were.
func WithoutComments(code string) string {
	lines := strings.Split(code, "\n")
	for i, l := range lines {
		lines[i], _ = splitComment(l)
	}
	return strings.Join(lines, "\n")
}

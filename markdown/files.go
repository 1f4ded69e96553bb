package markdown

import (
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	yaml "go.yaml.in/yaml/v3"
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

// localName cleans a word a command uses as a file (quotes, ./) and reports
// whether it names a file in the working folder: not a URL, an absolute
// or home path, a variable, a glob, a placeholder, stdin or a parent folder.
func localName(w string) (string, bool) {
	w = strings.Trim(w, `"'`)
	if w == "" || w == "-" || strings.ContainsAny(w, "$`*?<>{}[]:\\~ \t|;&()=@") || strings.HasPrefix(w, "/") || strings.HasPrefix(w, "-") {
		return "", false
	}
	w = path.Clean(w)
	if w == "." || w == ".." || strings.HasPrefix(w, "../") {
		return "", false
	}
	return w, true
}

// fileArg is a file a command reads or writes.
type fileArg struct {
	name  string // cleaned, relative to the working folder
	arg   string // as written
	write bool
	// dir is set for a folder read for its kustomization (kubectl -k,
	// kustomize build); name is then the folder ("." for the working one).
	dir bool
}

// wrappers are words that run the command after them.
var wrappers = toSet("sudo time nohup env exec command builtin xargs")

// fileArgs returns the files shell code reads and writes, in order. It
// reads each simple command's words the way a person would: kubectl's
// file flags (-f, -k, --patch-file, --from-file, --from-env-file),
// redirections, and programs that take a file to read or run (cat, bash,
// python3, go run, openssl -config, ...) or write (tee, cp, curl -o, ...).
func fileArgs(code string) []fileArg {
	var out []fileArg
	for _, line := range logicalLines(code) {
		for _, cmd := range splitCommands(line) {
			out = append(out, commandFiles(unquoteWords(strings.Fields(cmd)))...)
		}
	}
	return out
}

func unquoteWords(words []string) []string {
	out := make([]string, 0, len(words))
	for _, w := range words {
		if len(w) >= 2 && (w[0] == '"' || w[0] == '\'') && w[len(w)-1] == w[0] {
			w = w[1 : len(w)-1]
		}
		out = append(out, w)
	}
	return out
}

// commandFiles reads the files of one simple command's words.
func commandFiles(words []string) []fileArg {
	var out []fileArg
	add := func(w string, write bool) {
		if n, ok := localName(w); ok {
			out = append(out, fileArg{name: n, arg: w, write: write})
		}
	}
	// Redirections first: they apply whatever the program.
	var args []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		op := strings.TrimLeft(w, "0123456789&")
		switch {
		case isPlaceholder(w):
		case strings.HasPrefix(op, "<<"):
			continue
		case strings.HasPrefix(op, ">&"), strings.HasPrefix(op, "<&"):
			continue
		case strings.HasPrefix(op, "<") && len(op) > 1:
			// "<filename|url>" cut at its |: a placeholder, not "< file".
			continue
		case strings.HasPrefix(op, ">") || strings.HasPrefix(op, "<"):
			target := strings.TrimLeft(op, "<>|")
			if target == "" && i+1 < len(words) {
				i++
				target = words[i]
			}
			add(target, strings.HasPrefix(op, ">"))
			continue
		}
		args = append(args, w)
	}
	for len(args) > 1 && (assignment.MatchString(args[0]) || wrappers[args[0]] || args[0] == "$") {
		args = args[1:]
	}
	if len(args) == 0 {
		return out
	}
	prog, rest := path.Base(args[0]), args[1:]
	switch {
	case prog == "kubectl":
		out = append(out, kubectlFiles(rest, add)...)
	case prog == "kustomize":
		if len(rest) > 1 && rest[0] == "build" {
			out = append(out, dirArg(rest[1])...)
		}
	case prog == "cat" || prog == "bash" || prog == "sh" || prog == "source" || prog == "." ||
		prog == "python" || prog == "python3" || prog == "node" || prog == "chmod" || prog == "envsubst":
		if hasWord(rest, "-c") {
			break
		}
		for _, a := range rest {
			if !strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "+") && !isMode(a) {
				add(a, false)
			}
			if prog == "bash" || prog == "sh" || prog == "python" || prog == "python3" || prog == "node" || prog == "source" || prog == "." {
				if !strings.HasPrefix(a, "-") {
					break // the rest are the script's arguments
				}
			}
		}
	case prog == "go" && len(rest) > 1 && rest[0] == "run":
		for _, a := range rest[1:] {
			if strings.HasSuffix(a, ".go") {
				add(a, false)
			}
		}
	case prog == "openssl":
		for i, a := range rest {
			if i+1 >= len(rest) {
				break
			}
			switch a {
			case "-config", "-in", "-extfile", "-CA", "-CAkey", "-key", "-signkey":
				add(rest[i+1], false)
			case "-out", "-keyout":
				add(rest[i+1], true)
			}
		}
	case prog == "tee":
		for _, a := range rest {
			if !strings.HasPrefix(a, "-") {
				add(a, true)
			}
		}
	case prog == "touch" || prog == "mkdir":
		for _, a := range rest {
			if !strings.HasPrefix(a, "-") {
				add(a, true)
			}
		}
	case prog == "cp" || prog == "mv":
		var plain []string
		for _, a := range rest {
			if !strings.HasPrefix(a, "-") {
				plain = append(plain, a)
			}
		}
		if len(plain) >= 2 {
			for _, a := range plain[:len(plain)-1] {
				add(a, false)
			}
			add(plain[len(plain)-1], true)
		}
	case prog == "curl" || prog == "wget":
		downloadFiles(prog, rest, add)
	case strings.HasPrefix(args[0], "./"):
		add(args[0], false)
	}
	return out
}

// downloadFiles reads the file curl or wget saves: -o NAME (curl), -O NAME
// (wget), or the URL's last part (curl -O, -LO, --remote-name; wget
// without -O).
func downloadFiles(prog string, args []string, add func(string, bool)) {
	remoteName := prog == "wget"
	for i, a := range args {
		short := strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && !strings.Contains(a, "=")
		switch {
		case prog == "curl" && (a == "--output" || short && strings.HasSuffix(a, "o")),
			prog == "wget" && (a == "--output-document" || short && strings.HasSuffix(a, "O")):
			if i+1 < len(args) {
				add(args[i+1], true)
			}
			return
		case prog == "curl" && (a == "--remote-name" || short && strings.Contains(a, "O")):
			remoteName = true
		}
	}
	if remoteName {
		for _, a := range args {
			if u := strings.Trim(a, `"'`); strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
				add(path.Base(strings.SplitN(u, "?", 2)[0]), true)
			}
		}
	}
}

// isMode reports whether a chmod argument is a mode (755, u+x).
func isMode(a string) bool {
	return strings.Trim(a, "0123456789") == "" || strings.ContainsAny(a, "+=") && !strings.Contains(a, ".")
}

// kubectlFiles reads kubectl's file flags. Arguments after -- belong to a
// command run elsewhere (exec, run) and are not read.
func kubectlFiles(args []string, add func(string, bool)) []fileArg {
	var out []fileArg
	sub := ""
	value := func(i int, a, long, short string) (string, bool) {
		switch {
		case a == long || short != "" && a == short:
			if i+1 < len(args) {
				return args[i+1], true
			}
		case strings.HasPrefix(a, long+"="):
			return strings.TrimPrefix(a, long+"="), true
		case short != "" && strings.HasPrefix(a, short+"="):
			return strings.TrimPrefix(a, short+"="), true
		}
		return "", false
	}
	for i, a := range args {
		if a == "--" {
			break
		}
		if sub == "" && !strings.HasPrefix(a, "-") {
			sub = a
		}
		if v, ok := value(i, a, "--filename", "-f"); ok && sub != "logs" {
			add(v, false)
		}
		if v, ok := value(i, a, "--kustomize", "-k"); ok {
			out = append(out, dirArg(v)...)
		}
		if v, ok := value(i, a, "--patch-file", ""); ok {
			add(v, false)
		}
		if v, ok := value(i, a, "--from-env-file", ""); ok {
			add(v, false)
		}
		if v, ok := value(i, a, "--from-file", ""); ok {
			if _, p, found := strings.Cut(v, "="); found {
				v = p
			}
			add(v, false)
		}
	}
	return out
}

// dirArg is a folder read for its kustomization: the working folder for
// ".", "./" or a placeholder (<directory-path>: the reader's folder).
func dirArg(w string) []fileArg {
	a := strings.Trim(w, `"'`)
	if isPlaceholder(a) || a == "." || a == "./" {
		return []fileArg{{name: ".", arg: w, dir: true}}
	}
	if n, ok := localName(a); ok {
		return []fileArg{{name: n, arg: w, dir: true}}
	}
	return nil
}

// isPlaceholder reports whether a word is a placeholder (<directory-path>).
func isPlaceholder(w string) bool {
	return anglePlaceholder.FindString(w) == w && w != ""
}

// kustomizationNames are the names kustomize looks for in a folder.
var kustomizationNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// kustomizationFields are the top-level fields of a kustomization.
var kustomizationFields = toSet(`resources bases components crds generators transformers validators
configMapGenerator secretGenerator generatorOptions patches patchesStrategicMerge patchesJson6902
replacements images replicas namePrefix nameSuffix namespace commonLabels labels commonAnnotations
buildMetadata openapi helmCharts helmGlobals vars configurations sortOptions apiVersion kind`)

// kustomizationRefs reports whether YAML text is a kustomization and
// returns the files it refers to (resources, patches, generator files),
// relative to its folder.
func kustomizationRefs(code string) ([]string, bool) {
	var m map[string]any
	if err := yaml.Unmarshal([]byte(code), &m); err != nil || len(m) == 0 {
		return nil, false
	}
	specific := false
	for k, v := range m {
		if !kustomizationFields[k] {
			return nil, false
		}
		switch k {
		case "apiVersion":
			if s, _ := v.(string); !strings.HasPrefix(s, "kustomize.config.k8s.io/") {
				return nil, false
			}
		case "kind":
			if v != "Kustomization" && v != "Component" {
				return nil, false
			}
		case "namespace", "replicas", "images", "labels":
		default:
			specific = true
		}
	}
	if !specific {
		return nil, false
	}
	var refs []string
	str := func(v any) {
		if s, ok := v.(string); ok {
			if _, p, found := strings.Cut(s, "="); found {
				s = p
			}
			if s != "" && !strings.Contains(s, "://") {
				refs = append(refs, s)
			}
		}
	}
	list := func(v any) {
		if l, ok := v.([]any); ok {
			for _, x := range l {
				str(x)
			}
		}
	}
	for _, k := range []string{"resources", "bases", "components", "crds", "patchesStrategicMerge"} {
		list(m[k])
	}
	for _, k := range []string{"patches", "patchesJson6902"} {
		if l, ok := m[k].([]any); ok {
			for _, p := range l {
				if pm, ok := p.(map[string]any); ok {
					str(pm["path"])
				}
			}
		}
	}
	for _, k := range []string{"configMapGenerator", "secretGenerator"} {
		if l, ok := m[k].([]any); ok {
			for _, g := range l {
				if gm, ok := g.(map[string]any); ok {
					list(gm["files"])
					list(gm["envs"])
					str(gm["env"])
				}
			}
		}
	}
	return refs, true
}

// candidate is a block that may be saved as a file.
type candidate struct {
	names []string // names it may be read under
	rule  string
	refs  []string // for a kustomization: the files it refers to
	kust  bool
}

// tabScope is where a block sits among tabs: the tabs shortcode and the
// tab's position in it, or group -1 outside tabs.
type tabScope struct{ group, tab int }

// sees reports whether a command in scope u sees a file shown in scope f:
// a file in a tab is seen in that tab, and outside the tabs only when it
// is in the first tab (the one the reader sees first).
func (f tabScope) sees(u tabScope) bool {
	switch {
	case f.group < 0:
		return true
	case u.group == f.group:
		return u.tab == f.tab
	}
	return f.tab == 0
}

// fileFinder resolves the files commands read to the blocks they come
// from.
type fileFinder struct {
	doc    *Document
	scopes []tabScope
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
	ff := &fileFinder{doc: doc, scopes: w.tabScopes(), args: make([][]fileArg, len(doc.Steps)),
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
			intro, _ = w.context(n)
		}
		if c := fileCandidate(st, ff.args[i], cueName(doc.Lang, intro)); c != nil {
			ff.cands[i] = c
		}
	}
	for i := range doc.Steps {
		st := &doc.Steps[i]
		if st.Kind != KindCommand || strings.HasPrefix(st.Reason, "runs inside") {
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
		if c := ff.cands[s]; c != nil && c.reads(name) && ff.scopes[s].sees(ff.scopes[u.Step]) {
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
		manifestFor(&ff.doc.Steps[s], name) && ff.scopes[s].sees(ff.scopes[u.Step]) && !writes(ff.args[s], name) {
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
		f = &File{Name: name, Step: s, Line: st.Line, Rule: c.rule, Placeholders: placeholders(st.Code), Uses: []FileUse{}}
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

// tabScopes returns the tab scope of each step, from the tab markers
// around its block in the expanded text.
func (w *walker) tabScopes() []tabScope {
	doc := w.page.Doc
	out := make([]tabScope, len(doc.Steps))
	for i := range out {
		out[i] = tabScope{group: -1}
	}
	type span struct {
		start, end int
		scope      tabScope
	}
	var spans []span
	var stack []int // open mark ids
	opened := map[int]int{}
	tabsSeen := map[int]int{} // tabs mark id -> tabs opened in it so far
	for _, m := range scMarkerRe.FindAllSubmatchIndex(w.source, -1) {
		closing := m[3] > m[2]
		id, err := strconv.Atoi(string(w.source[m[4]:m[5]]))
		if err != nil || id >= len(w.page.Marks) {
			continue
		}
		if !closing {
			stack = append(stack, id)
			opened[id] = m[1]
			continue
		}
		for len(stack) > 0 {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if top == id {
				break
			}
		}
		if w.page.Marks[id].Name != "tab" {
			continue
		}
		group := -1
		for j := len(stack) - 1; j >= 0; j-- {
			if w.page.Marks[stack[j]].Name == "tabs" {
				group = stack[j]
				break
			}
		}
		if group < 0 {
			continue
		}
		spans = append(spans, span{opened[id], m[0], tabScope{group, tabsSeen[group]}})
		tabsSeen[group]++
	}
	for n, ref := range w.page.Blocks {
		if ref.Expected {
			continue
		}
		off := nodeOffset(n)
		for _, sp := range spans {
			if off >= sp.start && off < sp.end {
				out[ref.Step] = sp.scope
			}
		}
	}
	return out
}

var scMarkerRe = regexp.MustCompile(`<!--docrun-sc:(/?)(\d+)-->`)

// nodeOffset is the offset of a block's first byte in the expanded text.
func nodeOffset(n ast.Node) int {
	if p := n.Pos(); p >= 0 {
		return p
	}
	if n.Lines().Len() > 0 {
		return n.Lines().At(0).Start
	}
	return -1
}

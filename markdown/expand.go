package markdown

import (
	"bytes"
	"fmt"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/docrun/docrun/markdown/shortcode"
)

// maxIncludeDepth bounds nested includes (and so include cycles).
const maxIncludeDepth = 8

// expander expands the shortcodes of one file (the page or an include) into
// a source. Hugo evaluates shortcodes before markdown, also inside code
// fences, so expansion works on the raw text.
type expander struct {
	src     *source
	site    *Site
	lang    string
	version Version
	front   *Front
	file    string // file being expanded
	data    []byte // its content
	base    int    // offset of data inside file (the body after front matter)
	pageOff int    // -1 for the page, else the page offset of the include
	depth   int
}

// expand appends the expansion of e.data to e.src.
func (e *expander) expand() error {
	root, err := shortcode.Parse(e.data)
	if err != nil {
		if le, ok := err.(*shortcode.Error); ok {
			return e.errAt(le.Offset, le.Msg)
		}
		return e.errAt(0, err.Error())
	}
	if n := tooDeep(root); n != nil {
		return e.errAt(n.Start, fmt.Sprintf("shortcodes are too deeply nested (more than %d levels)", maxShortcodeNesting))
	}
	return e.nodes(root.Children)
}

// maxShortcodeNesting is how deep paired shortcodes may nest: no page
// comes near it, and expanding them recurses.
const maxShortcodeNesting = 64

// tooDeep returns the first paired shortcode nested deeper than
// maxShortcodeNesting, or nil. It does not recurse itself.
func tooDeep(root *shortcode.Node) *shortcode.Node {
	type item struct {
		n     *shortcode.Node
		depth int
	}
	stack := []item{{root, 0}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.depth > maxShortcodeNesting {
			return it.n
		}
		for _, c := range it.n.Children {
			if c.Tag != nil && c.Close != nil {
				stack = append(stack, item{c, it.depth + 1})
			}
		}
	}
	return nil
}

func (e *expander) errAt(off int, msg string) error {
	f := e.src.files[e.file]
	return &Error{File: e.file, Line: f.line(e.base + off), Msg: msg}
}

func (e *expander) warnAt(off int, format string, args ...any) {
	f := e.src.files[e.file]
	e.src.warnings = append(e.src.warnings,
		fmt.Sprintf("%s:%d: %s", e.file, f.line(e.base+off), fmt.Sprintf(format, args...)))
}

// verbatim copies data[from:to] unchanged.
func (e *expander) verbatim(from, to int) {
	e.src.add(e.data[from:to], e.file, e.base+from, true, e.pageOff)
}

// emit writes generated text that stands for the shortcode at off.
func (e *expander) emit(off int, text string) {
	e.src.add([]byte(text), e.file, e.base+off, false, e.pageOff)
}

func (e *expander) nodes(ns []*shortcode.Node) error {
	for _, n := range ns {
		if err := e.node(n); err != nil {
			return err
		}
		if e.src.text.Len() > MaxExpandedSize {
			return e.errAt(n.Start, fmt.Sprintf("the page grows past %d MB here once its includes and example files are expanded", MaxExpandedSize>>20))
		}
	}
	return nil
}

func (e *expander) node(n *shortcode.Node) error {
	switch {
	case n.Escaped:
		e.emit(n.Start, n.Literal)
		return nil
	case n.Tag == nil:
		e.verbatim(n.Start, n.End)
		return nil
	}
	t := n.Tag
	if t.Warning != "" {
		e.warnAt(t.Start, "%s", t.Warning)
	}
	if innerShortcodes[t.Name] && n.Close == nil && !t.SelfClosing {
		open, close := t.Delims()
		return e.errAt(t.Start, fmt.Sprintf("%s %s %s is not closed: Hugo refuses the page without %s /%s %s (or a self-closing %s %s /%s)",
			open, t.Name, close, open, t.Name, close, open, t.Name, close))
	}
	switch t.Name {
	case "skew":
		s, err := e.version.skew(positional(t))
		if err != nil {
			// The site may know arguments docrun does not: keep the page
			// readable and say so.
			e.warnAt(t.Start, "%v", err)
			s = string(e.data[t.Start:t.End])
		}
		e.emit(t.Start, s)
	case "param":
		e.emit(t.Start, e.param(t))
	case "latest-version":
		e.emit(t.Start, "v"+e.version.MinorString())
	case "version-check":
		e.emit(t.Start, e.versionCheck())
	case "heading":
		key := t.Positional(0)
		if key == "" {
			return e.errAt(t.Start, "heading shortcode needs a name, e.g. {{% heading \"prerequisites\" %}}")
		}
		text := e.site.T(e.lang, key+"_heading")
		if text == "" {
			text = key
			e.warnAt(t.Start, "no translation for heading %q", key)
		}
		e.src.roles[e.src.text.Len()] = key
		e.emit(t.Start, text)
	case "glossary_tooltip":
		text, ok := t.Get("text")
		if !ok {
			text, _ = t.Get("term_id")
		}
		e.emit(t.Start, text)
	case "include":
		return e.include(t, t.Positional(0), "")
	case "code_sample", "codenew", "code":
		return e.example(t)
	case "highlight":
		return e.fenced(n, t.Positional(0))
	case "mermaid":
		return e.fenced(n, "mermaid")
	case "comment":
		// Hugo's comment shortcode renders nothing.
	case "tab":
		return e.tab(n)
	default:
		return e.block(n, !knownShortcodes[t.Name])
	}
	return nil
}

// knownShortcodes are the Kubernetes website's shortcodes that render as a
// block or an element of their own; a renderer draws them from their Mark.
var knownShortcodes = map[string]bool{
	"note": true, "caution": true, "warning": true, "tabs": true, "tab": true,
	"alert": true, "details": true, "table": true, "feature-state": true,
	"thirdparty-content": true, "figure": true, "kat-button": true,
	"glossary_definition": true, "mermaid": true, "release-data": true,
	"code_sample": true, "codenew": true, "code": true, "include": true,
	"version-check": true, "heading": true, "glossary_tooltip": true,
	"skew": true, "param": true, "latest-version": true, "highlight": true,
	"comment": true, "youtube": true, "api-reference": true, "blocks/feature": true,
	"dockershim-removal": true, "legacy-repos-deprecation": true, "caution-dockershim": true,
}

// innerShortcodes are the site's shortcodes whose templates use their
// content (.Inner): Hugo refuses a page where one is neither closed nor
// self-closing, also when another shortcode's closing tag comes first.
var innerShortcodes = map[string]bool{
	"note": true, "caution": true, "warning": true, "tabs": true, "tab": true,
	"alert": true, "details": true, "table": true, "highlight": true,
	"mermaid": true, "comment": true,
}

// KnownShortcode reports whether docrun knows the named shortcode.
func KnownShortcode(name string) bool { return knownShortcodes[name] }

func positional(t *shortcode.Shortcode) []string {
	var out []string
	for _, p := range t.Params {
		if p.Name == "" {
			out = append(out, p.Value)
		}
	}
	return out
}

func (e *expander) param(t *shortcode.Shortcode) string {
	name := t.Positional(0)
	switch name {
	case "version", "latest":
		return "v" + e.version.MinorString()
	case "fullversion":
		return "v" + e.version.PatchString()
	case "githubbranch", "docsbranch":
		return "main"
	}
	if v, ok := e.front.Other[name]; ok {
		return fmt.Sprint(v)
	}
	e.warnAt(t.Start, "unknown site parameter %q", name)
	return "{{< param " + strconv.Quote(name) + " >}}"
}

func (e *expander) versionCheck() string {
	check := e.site.T(e.lang, "version_check_tocheck") + "`kubectl version`."
	if v := e.front.MinKubernetesServerVersion; v != "" {
		if !strings.HasPrefix(v, "v") {
			v = "v" + v
		}
		return e.site.T(e.lang, "version_check_mustbeorlater") + v + ". " + check
	}
	return check
}

// mark records a shortcode that a renderer draws and returns its id.
func (e *expander) mark(t *shortcode.Shortcode, paired, unknown bool) int {
	m := &Mark{Name: t.Name, Params: map[string]string{}, Line: e.src.pageLine(e.src.text.Len()), Paired: paired, Unknown: unknown}
	for _, p := range t.Params {
		if p.Name == "" {
			m.Args = append(m.Args, p.Value)
		} else {
			m.Params[p.Name] = p.Value
		}
	}
	e.src.marks = append(e.src.marks, m)
	return len(e.src.marks) - 1
}

// block expands a shortcode that wraps markdown (note, tabs, ...) or stands
// alone (feature-state, ...): markers around its expanded content.
func (e *expander) block(n *shortcode.Node, unknown bool) error {
	t := n.Tag
	if unknown {
		e.warnAt(t.Start, "unknown shortcode %q", t.Name)
	}
	id := e.mark(t, n.Close != nil, unknown)
	e.marker(t.End, t.Start, fmt.Sprintf("<!--docrun-sc:%d-->", id))
	if n.Close == nil {
		return nil
	}
	if err := e.nodes(n.Children); err != nil {
		return err
	}
	e.marker(n.Close.End, n.Close.Start, fmt.Sprintf("<!--docrun-sc:/%d-->", id))
	return nil
}

// marker writes a shortcode marker for a tag at tagStart..tagEnd. A tag on a
// line of its own becomes an HTML block; if text follows it on the line,
// that text moves to the next line so it stays markdown.
func (e *expander) marker(tagEnd, tagStart int, text string) {
	alone := e.src.atLineStart()
	e.emit(tagStart, text)
	if alone && !restOfLineBlank(e.data, tagEnd) {
		e.emit(tagStart, "\n"+indentOf(e.data, tagStart))
	}
}

func (e *expander) tab(n *shortcode.Node) error {
	t := n.Tag
	lang, hasLang := t.Get("codelang")
	inc, hasInc := t.Get("include")
	if !hasInc && !hasLang {
		return e.block(n, false)
	}
	id := e.mark(t, true, false)
	e.marker(t.End, t.Start, fmt.Sprintf("<!--docrun-sc:%d-->", id))
	if hasInc {
		if err := e.tabInclude(t, inc, lang, hasLang); err != nil {
			return err
		}
	} else if err := e.fencedChildren(n, lang); err != nil {
		return err
	}
	end, start := t.End, t.Start
	if n.Close != nil {
		end, start = n.Close.End, n.Close.Start
	}
	e.lineBreak(start)
	e.marker(end, start, fmt.Sprintf("<!--docrun-sc:/%d-->", id))
	return nil
}

// tabInclude expands a tab's include=. In a leaf bundle (the page is an
// index.md) the file is the first of the bundle's files matching
// "**name*", as Hugo's tabs shortcode looks it up: a markdown file is
// expanded in place, any other file becomes a code block in codelang or its
// extension's language. Otherwise the file is found as an include is, and
// becomes a code block in codelang when there is one.
func (e *expander) tabInclude(t *shortcode.Shortcode, name, lang string, hasLang bool) error {
	p, err := FindBundleResource(e.src.page, name, true)
	if err != nil {
		return e.errAt(t.Start, fmt.Sprintf("include %q%s", name, whyNot(err)))
	}
	var data []byte
	if p != "" {
		if data, err = e.read(p); err != nil {
			return e.errAt(t.Start, fmt.Sprintf("include %q: %v", name, err))
		}
		if isContentFile(p) {
			hasLang = false
		} else if !hasLang {
			lang, hasLang = langOfFile(p), true
		}
	} else if p, data, err = e.resolveInclude(t, name); err != nil {
		return err
	}
	if hasLang {
		e.fencedFile(t, p, data, lang)
		return nil
	}
	e.lineBreak(t.Start)
	return e.includeFile(t, p, data, indentOf(e.data, t.Start))
}

// fenced turns a paired shortcode's body into a fenced code block.
func (e *expander) fenced(n *shortcode.Node, lang string) error {
	if n.Close == nil {
		// Self-closing: no content.
		return nil
	}
	if err := e.fencedChildren(n, lang); err != nil {
		return err
	}
	if !restOfLineBlank(e.data, n.Close.End) {
		e.emit(n.Close.Start, "\n"+indentOf(e.data, n.Tag.Start))
	}
	return nil
}

func (e *expander) fencedChildren(n *shortcode.Node, lang string) error {
	t := n.Tag
	indent := indentOf(e.data, t.Start)
	body := e.data[t.End:]
	if n.Close != nil {
		body = e.data[t.End:n.Close.Start]
	}
	fence := fenceFor(body)
	e.lineBreak(t.Start)
	e.src.embeds[e.src.text.Len()] = &embed{pageOff: e.pageOffOf(t.Start)}
	e.emit(t.Start, fence+lang)
	if len(body) == 0 || body[0] != '\n' {
		e.emit(t.Start, "\n"+indent)
	}
	if err := e.nodes(n.Children); err != nil {
		return err
	}
	end := t.End
	if n.Close != nil {
		end = n.Close.Start
	}
	e.lineBreak(end)
	e.emit(end, fence)
	return nil
}

// lineBreak starts a new line (keeping the tag's indentation) unless the
// expanded text is already at the start of one.
func (e *expander) lineBreak(off int) {
	if !e.src.atLineStart() {
		e.emit(off, "\n"+indentOf(e.data, off))
	}
}

func (e *expander) pageOffOf(off int) int {
	if e.pageOff >= 0 {
		return e.pageOff
	}
	return e.base + off
}

func (e *expander) example(t *shortcode.Shortcode) error {
	file, ok := t.Get("file")
	if !ok {
		file = t.Positional(0)
	}
	if file == "" {
		return e.errAt(t.Start, t.Name+" shortcode needs file=\"...\"")
	}
	p, err := e.site.FindExample(e.lang, file)
	if err == nil && p == "" {
		// Hugo's code_sample also finds the file among the resources
		// of a page bundle.
		p, err = FindBundleResource(e.src.page, file, false)
	}
	if err != nil {
		return e.errAt(t.Start, fmt.Sprintf("example file %q%s", file, whyNot(err)))
	}
	if p == "" {
		return e.errAt(t.Start, fmt.Sprintf("example file %q not found under content/%s/examples", file, e.lang))
	}
	data, err := e.read(p)
	if err != nil {
		return e.errAt(t.Start, fmt.Sprintf("example file %q: %v", file, err))
	}
	lang, ok := t.Get("language")
	if !ok {
		lang = langOfFile(file)
	}
	indent := indentOf(e.data, t.Start)
	fence := fenceFor(data)
	e.lineBreak(t.Start)
	e.src.embeds[e.src.text.Len()] = &embed{file: file, source: p, pageOff: e.pageOffOf(t.Start)}
	var b strings.Builder
	b.WriteString(fence + lang + "\n")
	for _, line := range strings.SplitAfter(strings.TrimRight(string(data), "\n"), "\n") {
		b.WriteString(indent + line)
	}
	b.WriteString("\n" + indent + fence)
	e.emit(t.Start, b.String())
	if !restOfLineBlank(e.data, t.End) {
		e.emit(t.Start, "\n"+indent)
	}
	return nil
}

// langOfFile is the fence language Hugo's code shortcodes give a file.
func langOfFile(file string) string {
	switch ext := strings.TrimPrefix(path.Ext(file), "."); ext {
	case "yml":
		return "yaml"
	case "sh":
		return "shell"
	case "py":
		return "python"
	case "js":
		return "javascript"
	case "":
		return "text"
	default:
		return ext
	}
}

func (e *expander) resolveInclude(t *shortcode.Shortcode, name string) (string, []byte, error) {
	if name == "" {
		return "", nil, e.errAt(t.Start, "include shortcode needs a file name")
	}
	if e.depth >= maxIncludeDepth {
		return "", nil, e.errAt(t.Start, fmt.Sprintf("include %q: includes nested deeper than %d (a cycle?)", name, maxIncludeDepth))
	}
	p, err := e.site.FindInclude(e.lang, e.src.page, filepath.Dir(e.file), name)
	if err != nil {
		return "", nil, e.errAt(t.Start, fmt.Sprintf("include %q%s", name, whyNot(err)))
	}
	if p == "" {
		return "", nil, e.errAt(t.Start, fmt.Sprintf("include %q not found (looked in content/%s/includes and beside the page)", name, e.lang))
	}
	data, err := e.read(p)
	if err != nil {
		return "", nil, e.errAt(t.Start, fmt.Sprintf("include %q: %v", name, err))
	}
	return p, data, nil
}

// whyNot words an error of FindInclude or FindExample after the file's
// name: " is outside the site", ": a symlink loop at ...".
func whyNot(err error) string {
	if err == ErrOutside {
		return " is outside the site"
	}
	return ": " + err.Error()
}

// read reads a file the page names (with the page's limits: a regular
// file, UTF-8, at most MaxPageSize) and records it as a dependency.
func (e *expander) read(p string) ([]byte, error) {
	data, err := readPageFile(p)
	if err != nil {
		return nil, err
	}
	e.src.deps = append(e.src.deps, p)
	return data, nil
}

// include expands an included file in place. Lines after the first get the
// indentation of the include tag, so an include inside a list item stays in
// it.
func (e *expander) include(t *shortcode.Shortcode, name, indent string) error {
	p, data, err := e.resolveInclude(t, name)
	if err != nil {
		return err
	}
	return e.includeFile(t, p, data, indent)
}

// includeFile expands the file p (read as data) that the tag t includes.
func (e *expander) includeFile(t *shortcode.Shortcode, p string, data []byte, indent string) error {
	if _, ok := e.src.files[p]; !ok {
		e.src.files[p] = newFileText(data)
	}
	body, bodyOff := data, 0
	if fm, rest, off, ok := splitFrontMatter(data); ok && fm != nil {
		body, bodyOff = rest, off
	}
	body = bytes.TrimRight(body, "\n")
	if indent == "" {
		indent = indentOf(e.data, t.Start)
	}
	sub := &expander{src: e.src, site: e.site, lang: e.lang, version: e.version, front: e.front,
		file: p, data: body, base: bodyOff, pageOff: e.pageOffOf(t.Start), depth: e.depth + 1}
	if !e.src.atLineStart() && startsBlock(body) {
		e.emit(t.Start, "\n"+indent)
	}
	defer func() {
		// Text after the tag on its line must not end up on the
		// included file's last line (a closing fence, a list item): Hugo
		// renders the include as a block of its own.
		if !restOfLineBlank(e.data, t.End) {
			e.emit(t.Start, "\n\n"+indent)
		}
	}()
	if indent == "" {
		return sub.expand()
	}
	// Expand into a scratch source, then copy it line by line with the
	// indentation; its lines all map to the include tag.
	scratch := &source{page: e.src.page, files: e.src.files, embeds: map[int]*embed{}, roles: map[int]string{}, marks: e.src.marks}
	sub.src = scratch
	if err := sub.expand(); err != nil {
		return err
	}
	e.src.marks = scratch.marks
	e.src.deps = append(e.src.deps, scratch.deps...)
	e.src.warnings = append(e.src.warnings, scratch.warnings...)
	text := scratch.text.Bytes()
	added := 0
	start := e.src.text.Len()
	for i := 0; i < len(text); {
		j := bytes.IndexByte(text[i:], '\n')
		if j < 0 {
			j = len(text)
		} else {
			j += i + 1
		}
		if i > 0 {
			added += len(indent)
		}
		for k, em := range scratch.embeds {
			if k >= i && k < j {
				e.src.embeds[start+k+added] = em
			}
		}
		for k, r := range scratch.roles {
			if k >= i && k < j {
				e.src.roles[start+k+added] = r
			}
		}
		line := text[i:j]
		if i > 0 {
			line = append([]byte(indent), line...)
		}
		e.src.add(line, p, 0, false, e.pageOffOf(t.Start))
		i = j
	}
	return nil
}

// fencedFile puts the file p (read as data) that the tag t names into a
// fenced code block in lang.
func (e *expander) fencedFile(t *shortcode.Shortcode, p string, data []byte, lang string) {
	indent := indentOf(e.data, t.Start)
	fence := fenceFor(data)
	e.lineBreak(t.Start)
	e.src.embeds[e.src.text.Len()] = &embed{source: p, pageOff: e.pageOffOf(t.Start)}
	var b strings.Builder
	b.WriteString(fence + lang + "\n")
	for _, line := range strings.SplitAfter(strings.TrimRight(string(data), "\n"), "\n") {
		b.WriteString(indent + line)
	}
	b.WriteString("\n" + indent + fence + "\n")
	e.emit(t.Start, b.String())
}

// startsBlock reports whether markdown text starts with a block that must
// begin on a line of its own (a fence, a heading, a list, a shortcode).
func startsBlock(body []byte) bool {
	t := bytes.TrimLeft(body, " \t\n")
	for _, p := range []string{"```", "~~~", "#", "- ", "* ", "1. ", "{{", "<!--", "|"} {
		if bytes.HasPrefix(t, []byte(p)) {
			return true
		}
	}
	return false
}

// fenceFor returns a backtick fence longer than any backtick run in body.
func fenceFor(body []byte) string {
	longest, run := 0, 0
	for _, c := range body {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

// indentOf returns the spaces and tabs that start the line of off, when only
// those precede off on its line.
func indentOf(data []byte, off int) string {
	i := off
	for i > 0 && (data[i-1] == ' ' || data[i-1] == '\t') {
		i--
	}
	if i > 0 && data[i-1] != '\n' {
		// Text before the tag: indent like the line's own indentation.
		j := bytes.LastIndexByte(data[:i], '\n') + 1
		k := j
		for k < len(data) && (data[k] == ' ' || data[k] == '\t') {
			k++
		}
		return string(data[j:k])
	}
	return string(data[i:off])
}

func restOfLineBlank(data []byte, off int) bool {
	for i := off; i < len(data); i++ {
		switch data[i] {
		case '\n':
			return true
		case ' ', '\t', '\r':
		default:
			return false
		}
	}
	return true
}

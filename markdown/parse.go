package markdown

import (
	"bytes"
	"fmt"
	"os"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// MaxPageSize is the largest page docrun reads.
const MaxPageSize = 10 << 20

// Options configure parsing.
type Options struct {
	// Site is the site the page belongs to; nil finds it from the page's
	// path (the nearest folder above it that has content/).
	Site *Site
	// Version is the Kubernetes release the version shortcodes evaluate
	// to; the zero value means DefaultVersion().
	Version Version
}

// Page is a parsed page with everything a renderer needs besides the
// Document: the expanded markdown, its goldmark AST, the block shortcodes and
// which code block became which step.
type Page struct {
	Doc *Document
	// Source is the page's markdown after shortcode expansion; AST's
	// segments point into it.
	Source []byte
	AST    ast.Node
	// Marks are the block shortcodes; the expanded text refers to them as
	// <!--docrun-sc:N--> and <!--docrun-sc:/N-->.
	Marks []*Mark
	// Blocks maps each code block of the AST to the step it became, or to
	// the step whose expected output it is.
	Blocks map[ast.Node]BlockRef
	// Deps are the files the page read besides itself (includes, examples).
	Deps []string

	src *source
}

// BlockRef ties a code block of the AST to a step.
type BlockRef struct {
	Step     int
	Expected bool
}

// Line returns the page's 1-based line of an offset in Source.
func (p *Page) Line(off int) int { return p.src.pageLine(off) }

// Parse reads and parses the page at path.
func Parse(path string, opts Options) (*Document, error) {
	p, err := ParsePage(path, opts)
	if err != nil {
		return nil, err
	}
	return p.Doc, nil
}

// ParsePage reads and parses the page at path.
func ParsePage(path string, opts Options) (*Page, error) {
	data, err := readPageFile(path)
	if err != nil {
		return nil, &Error{File: path, Msg: err.Error()}
	}
	return ParseBytes(path, data, opts)
}

// readPageFile reads a page or an include, refusing what is not a regular
// file, larger than MaxPageSize, or not UTF-8.
func readPageFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("no such file")
		}
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file")
	}
	if fi.Size() > MaxPageSize {
		return nil, fmt.Errorf("file is %d bytes, more than the %d MB docrun reads", fi.Size(), MaxPageSize>>20)
	}
	return os.ReadFile(path)
}

// ParseBytes parses page content read from path.
func ParseBytes(path string, data []byte, opts Options) (*Page, error) {
	if len(data) > MaxPageSize {
		return nil, &Error{File: path, Msg: fmt.Sprintf("file is %d bytes, more than the %d MB docrun reads", len(data), MaxPageSize>>20)}
	}
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, n := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return nil, &Error{File: path, Line: bytes.Count(data[:off], []byte("\n")) + 1, Msg: "not valid UTF-8"}
	}
	site := opts.Site
	if site == nil {
		site = FindSite(path)
	}
	version := opts.Version
	if version == (Version{}) {
		version = DefaultVersion()
	}
	lang := site.Lang(path)

	fm, body, bodyOff, ok := splitFrontMatter(data)
	if !ok {
		return nil, &Error{File: path, Line: 1, Msg: "front matter starting here is not terminated"}
	}
	var front Front
	if fm != nil {
		var err error
		if front, err = parseFront(path, fm, bytes.HasPrefix(data, []byte("+++"))); err != nil {
			return nil, err
		}
	}

	src := &source{page: path, files: map[string]*fileText{path: newFileText(data)},
		embeds: map[int]*embed{}, roles: map[int]string{}}
	ex := &expander{src: src, site: site, lang: lang, version: version, front: &front,
		file: path, data: body, base: bodyOff, pageOff: -1}
	if err := ex.expand(); err != nil {
		return nil, err
	}

	source := src.text.Bytes()
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.DefinitionList, extension.Footnote),
		goldmark.WithParserOptions(parser.WithHeadingAttribute()),
	)
	root := md.Parser().Parse(text.NewReader(source))

	doc := &Document{Path: path, Title: front.Title, Lang: lang, Front: front,
		Sections: []Section{}, Steps: []Step{}}
	page := &Page{Doc: doc, Source: source, AST: root, Marks: src.marks,
		Blocks: map[ast.Node]BlockRef{}, Deps: src.deps, src: src}
	w := &walker{page: page, src: src, source: source, ids: map[string]int{}}
	if err := w.walk(root); err != nil {
		return nil, err
	}
	w.findFiles()
	doc.Warnings = append(src.warnings, w.warnings...)
	return page, nil
}

package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
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

	// noSetups leaves out the setups of the page (a page read because
	// another page links to it: links are followed one deep).
	noSetups bool
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

	src    *source
	tabs   pageTabs // the page's tabs and which of them run
	budget *budget  // what parsing the markdown cost
}

// BlockRef ties a code block of the AST to a step.
type BlockRef struct {
	// Step is the step the block became, or whose expected output it is.
	Step int
	// Expected is set for an expected-output block.
	Expected bool
	// Steps is, for a console transcript, the number of steps the block
	// became (Step is the first); each has its command as Code and the
	// output after it as Expected. It is 0 for other blocks.
	Steps int
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
		return nil, err
	}
	return ParseBytes(path, data, opts)
}

// readPageFile reads a page or a file a page names, refusing what is not a
// regular file, larger than MaxPageSize, or not UTF-8. Its errors are
// *Error values naming path.
func readPageFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, syscall.ELOOP):
		return nil, &Error{File: path, Msg: "a symlink loop"}
	case errors.Is(err, os.ErrNotExist):
		return nil, &Error{File: path, Msg: "no such file"}
	case err != nil:
		return nil, &Error{File: path, Msg: err.Error()}
	case !fi.Mode().IsRegular():
		return nil, &Error{File: path, Msg: "not a regular file"}
	case fi.Size() > MaxPageSize:
		return nil, &Error{File: path, Msg: tooLarge(fi.Size())}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{File: path, Msg: err.Error()}
	}
	defer f.Close()
	// The file may have grown since Stat: read no more than the limit.
	data, err := io.ReadAll(io.LimitReader(f, MaxPageSize+1))
	if err != nil {
		return nil, &Error{File: path, Msg: err.Error()}
	}
	if err := checkText(path, data); err != nil {
		return nil, err
	}
	return data, nil
}

func tooLarge(n int64) string {
	return fmt.Sprintf("file is %d bytes, more than the %d MB docrun reads", n, MaxPageSize>>20)
}

// checkText refuses text larger than MaxPageSize or not UTF-8, with the
// line of the first invalid byte.
func checkText(path string, data []byte) error {
	if len(data) > MaxPageSize {
		return &Error{File: path, Msg: tooLarge(int64(len(data)))}
	}
	if utf8.Valid(data) {
		return nil
	}
	off := 0
	for off < len(data) {
		r, n := utf8.DecodeRune(data[off:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		off += n
	}
	return &Error{File: path, Line: bytes.Count(data[:off], []byte("\n")) + 1, Msg: "not valid UTF-8"}
}

// ParseBytes parses page content read from path.
func ParseBytes(path string, data []byte, opts Options) (*Page, error) {
	if err := checkText(path, data); err != nil {
		return nil, err
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
	root, cost, err := parseMarkdown(source)
	if err != nil {
		var be boundsError
		if errors.As(err, &be) {
			return nil, &Error{File: path, Line: src.pageLine(be.off), Msg: be.msg}
		}
		return nil, err
	}

	doc := &Document{Path: path, Title: front.Title, Lang: lang, Front: front,
		Sections: []Section{}, Steps: []Step{}}
	page := &Page{Doc: doc, Source: source, AST: root, Marks: src.marks,
		Blocks: map[ast.Node]BlockRef{}, Deps: src.deps, src: src, budget: cost}
	w := &walker{page: page, src: src, source: source, ids: map[string]int{}}
	if err := w.walk(root); err != nil {
		return nil, err
	}
	w.findFiles()
	w.expectFailures()
	markCredentials(doc)
	markObjects(site, doc)
	if !opts.noSetups {
		w.findSetups(site, version)
	}
	markRecreates(doc)
	markHostsNames(doc)
	if err := checkExampleURLs(site, path, doc.Steps); err != nil {
		return nil, err
	}
	doc.Warnings = append(src.warnings, w.warnings...)
	return page, nil
}

// parseMarkdown parses expanded markdown with goldmark (GFM, definition
// lists, footnotes, heading attributes) within the limits of bounds.go; a
// limit passed is returned as a boundsError. It returns what the parse
// cost.
func parseMarkdown(source []byte) (root ast.Node, cost *budget, err error) {
	bp := newBoundedParser()
	defer func() {
		if r := recover(); r != nil {
			be, ok := r.(boundsError)
			if !ok {
				panic(r)
			}
			err = be
		}
	}()
	md := goldmark.New(
		goldmark.WithParser(bp),
		goldmark.WithExtensions(extension.GFM, extension.DefinitionList, extension.Footnote),
		goldmark.WithParserOptions(parser.WithHeadingAttribute()),
	)
	root = md.Parser().Parse(text.NewReader(source))
	return root, bp.budget, nil
}

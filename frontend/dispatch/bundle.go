package dispatch

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/docrun/docrun/markdown"
)

// ChunkSize is the most bundle bytes one ConfigMap holds: binaryData is
// base64 in the stored object (4/3 larger), which must stay under the
// API server's 1 MiB limit with room for the rest of the object.
const ChunkSize = 512 << 10

// Bundle is what the pods need of this machine's files.
type Bundle struct {
	// Root is the absolute folder every file is under (the nearest one
	// holding them all and Workdir); the pods unpack the bundle there.
	Root string
	// Workdir is the absolute folder the pods run docrun from: the one it
	// was called from, so relative page paths stay the same.
	Workdir string
	// Pages are the pages to run, as given (relative to Workdir or
	// absolute), in the order of the whole list.
	Pages []string
	// Files are the absolute paths of the files bundled, sorted.
	Files []string
	// Made are files dispatch writes for the pods (the durations of an
	// earlier run), by absolute path under Root; they are not on this
	// machine.
	Made map[string][]byte
}

// MadeDir is the folder, under Workdir, of the files dispatch makes for
// the pods.
const MadeDir = ".docrun-dispatch"

// NewBundle gathers the files of pages, run from workdir: each page, the
// files it reads (markdown.Page.Deps: includes, example files), its
// site's i18n/ and the example folders of its language and English (which
// commands name by URL, https://k8s.io/examples/...), every file of a page
// bundle's folder (index.md), and the extra files given (docrun.yaml). A
// page that does not parse is bundled alone: docrun run reports it.
func NewBundle(pages []string, workdir string, parse markdown.Options, extra []string) (*Bundle, error) {
	wd, err := filepath.Abs(workdir)
	if err != nil {
		return nil, err
	}
	set := map[string]bool{}
	add := func(p string) {
		if !filepath.IsAbs(p) {
			p = filepath.Join(wd, p)
		}
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			set[filepath.Clean(p)] = true
		}
	}
	addTree := func(dir string) error {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() {
				add(p)
			}
			return nil
		})
		if os.IsNotExist(err) {
			return nil
		}
		return err
	}
	sites := map[string]bool{}
	for _, p := range pages {
		abs := p
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(wd, p)
		}
		add(abs)
		opts := parse
		if opts.Site == nil {
			opts.Site = markdown.FindSite(abs)
		}
		if filepath.Base(abs) == "index.md" {
			if err := addTree(filepath.Dir(abs)); err != nil {
				return nil, err
			}
		}
		if pg, err := markdown.ParsePage(abs, opts); err == nil {
			for _, d := range pg.Deps {
				add(d)
			}
		}
		if root := opts.Site.Root; root != "" {
			for _, dir := range []string{
				filepath.Join(root, "i18n"),
				filepath.Join(root, "content", "en", "examples"),
				filepath.Join(root, "content", opts.Site.Lang(abs), "examples"),
			} {
				if sites[dir] {
					continue
				}
				sites[dir] = true
				if err := addTree(dir); err != nil {
					return nil, err
				}
			}
		}
	}
	for _, e := range extra {
		add(e)
	}
	b := &Bundle{Workdir: wd, Pages: pages, Root: wd}
	for f := range set {
		b.Files = append(b.Files, f)
		b.Root = commonDir(b.Root, filepath.Dir(f))
	}
	sort.Strings(b.Files)
	return b, nil
}

// commonDir is the nearest folder holding both absolute folders a and b.
func commonDir(a, b string) string {
	for !within(b, a) {
		a = filepath.Dir(a)
	}
	return a
}

func within(p, dir string) bool {
	return p == dir || dir == string(filepath.Separator) || strings.HasPrefix(p, dir+string(filepath.Separator))
}

// Pack writes the bundle's files as a tar.gz, named relative to Root;
// the same files give the same bytes (no times, owners or modes but the
// executable bit).
func (b *Bundle) Pack() ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, f := range b.Files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		fi, err := os.Stat(f)
		if err != nil {
			return nil, err
		}
		rel, err := filepath.Rel(b.Root, f)
		if err != nil {
			return nil, err
		}
		mode := int64(0o644)
		if fi.Mode()&0o111 != 0 {
			mode = 0o755
		}
		if err := writeEntry(tw, rel, mode, data); err != nil {
			return nil, err
		}
	}
	made := make([]string, 0, len(b.Made))
	for f := range b.Made {
		made = append(made, f)
	}
	sort.Strings(made)
	for _, f := range made {
		rel, err := filepath.Rel(b.Root, f)
		if err != nil || !within(f, b.Root) {
			return nil, fmt.Errorf("%s is not under %s", f, b.Root)
		}
		if err := writeEntry(tw, rel, 0o644, b.Made[f]); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeEntry writes a file of the bundle: no times or owners, so that the
// same files give the same bytes.
func writeEntry(tw *tar.Writer, rel string, mode int64, data []byte) error {
	hdr := &tar.Header{Name: filepath.ToSlash(rel), Mode: mode, Size: int64(len(data)), Typeflag: tar.TypeReg, Format: tar.FormatPAX}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err := tw.Write(data)
	return err
}

// Split cuts data into chunks of at most size bytes (one, empty, for no
// data; one for a size not above 0), which concatenated in order are data again.
func Split(data []byte, size int) [][]byte {
	if size <= 0 {
		size = len(data) + 1
	}
	chunks := [][]byte{}
	for len(data) > size {
		chunks = append(chunks, data[:size])
		data = data[size:]
	}
	return append(chunks, data)
}

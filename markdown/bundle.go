package markdown

import (
	"errors"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
)

// maxBundleFiles bounds the files looked at in a page bundle.
const maxBundleFiles = 10_000

// errBundleWalk stops a walk of a bundle with too many files.
var errBundleWalk = errors.New("stop")

// IsLeafBundle reports whether page is a Hugo leaf bundle's page (an
// index.md): the other files of its folder are its resources.
func IsLeafBundle(page string) bool {
	return strings.EqualFold(filepath.Base(page), "index.md")
}

// FindBundleResource returns the first file (in name order) of the leaf
// bundle of page whose path relative to the bundle's folder matches name
// the way Hugo's Resources.GetMatch matches "**name*" (deep) or "name*",
// ignoring case; the page itself is not a resource. It returns "" and a nil
// error when none matches or page is not a leaf bundle, and ErrOutside
// when the match leads outside the bundle's folder (see Within).
func FindBundleResource(page, name string, deep bool) (string, error) {
	if !IsLeafBundle(page) || name == "" {
		return "", nil
	}
	dir := filepath.Dir(page)
	want := strings.ToLower(filepath.ToSlash(name))
	var found []string
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // an unreadable folder holds no match
		}
		if n++; n > maxBundleFiles {
			return errBundleWalk
		}
		if d.IsDir() || p == filepath.Join(dir, filepath.Base(page)) {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err == nil && resourceMatch(strings.ToLower(filepath.ToSlash(rel)), want, deep) {
			found = append(found, p)
		}
		return nil
	})
	if err != nil && err != errBundleWalk {
		return "", err
	}
	sort.Strings(found)
	for _, p := range found {
		real, err := Within(p, dir)
		if err != nil {
			return "", err
		}
		if real != "" {
			return p, nil
		}
	}
	return "", nil
}

// resourceMatch reports whether the slash-separated path rel matches the
// glob "**want*" (deep) or "want*", with want taken literally: "**" spans
// folders, "*" does not.
func resourceMatch(rel, want string, deep bool) bool {
	if !deep {
		rest, ok := strings.CutPrefix(rel, want)
		return ok && !strings.Contains(rest, "/")
	}
	for i := strings.LastIndex(rel, want); i >= 0; i = strings.LastIndex(rel[:i], want) {
		if !strings.Contains(rel[i+len(want):], "/") {
			return true
		}
		if i == 0 {
			break
		}
	}
	return false
}

// isContentFile reports whether a bundle resource is a page Hugo renders
// (markdown) rather than a file it shows as code.
func isContentFile(p string) bool {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".md", ".markdown":
		return true
	}
	return false
}

package markdown

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// ErrOutside is returned for a file a page names that leads, once cleaned
// and its symlinks evaluated, outside the folders it may come from (the
// site's content/, or the page's own folder).
var ErrOutside = errors.New("outside the site")

// SymlinkLoopError is a path whose symlinks lead back to themselves.
type SymlinkLoopError struct{ Path string }

func (e *SymlinkLoopError) Error() string { return "a symlink loop at " + e.Path }

// Within returns the real path of the regular file p (cleaned, symlinks
// evaluated) when it lies inside one of roots (their symlinks evaluated
// too). It returns "" and a nil error when p does not exist, ErrOutside
// when it leads outside every root (whether it exists or not), a
// *SymlinkLoopError for a symlink loop, and an error for what is not a
// regular file.
//
// Every file docrun reads because a page names it goes through Within:
// includes, example files, example URLs and page-bundle resources.
func Within(p string, roots ...string) (string, error) {
	p = absClean(p)
	var named, real []string
	for _, r := range roots {
		if r == "" {
			continue
		}
		r = absClean(r)
		named = append(named, r)
		rr, err := filepath.EvalSymlinks(r)
		if err != nil {
			// A root that does not exist holds nothing; keep its name
			// for the lexical check.
			rr = r
		}
		real = append(real, rr)
	}
	if !insideAny(p, named) && !insideAny(p, real) {
		return "", ErrOutside
	}
	fi, err := os.Stat(p)
	switch {
	case errors.Is(err, syscall.ELOOP):
		return "", &SymlinkLoopError{Path: p}
	case errors.Is(err, os.ErrNotExist), errors.Is(err, syscall.ENOTDIR):
		return "", nil
	case err != nil:
		return "", err
	}
	resolved, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", err
	}
	if !insideAny(resolved, real) {
		return "", ErrOutside
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("not a regular file")
	}
	return resolved, nil
}

// absClean returns p made absolute and cleaned.
func absClean(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

// insideAny reports whether the clean path p is one of roots or below one.
func insideAny(p string, roots []string) bool {
	for _, r := range roots {
		rel, err := filepath.Rel(r, p)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel) {
			return true
		}
	}
	return false
}

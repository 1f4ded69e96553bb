package drift

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// ErrEnglish is SourcePath's error for a page under content/en/.
var ErrEnglish = errors.New("an English page, not a translation")

// SourcePath is the English source of a translated page: the page at the
// same path under the site's content/en/ for a page under content/<lang>/
// (the last content/ folder of the path). An English page, or a page under
// no content/<lang>/, has none: the error says so.
func SourcePath(page string) (string, error) {
	elems := strings.Split(filepath.ToSlash(page), "/")
	for k := len(elems) - 3; k >= 0; k-- {
		if elems[k] != "content" {
			continue
		}
		if elems[k+1] == "en" {
			return "", ErrEnglish
		}
		out := append(append(append([]string{}, elems[:k+1]...), "en"), elems[k+2:]...)
		return filepath.FromSlash(strings.Join(out, "/")), nil
	}
	return "", fmt.Errorf("not under content/<lang>/: give its source with --source")
}

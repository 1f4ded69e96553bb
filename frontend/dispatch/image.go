package dispatch

import "strings"

// ImageRepo is the repository of docrun's image (make image).
const ImageRepo = "docrun.dev/docrun"

// ImageTag makes a docrun version a valid image tag, as make image does:
// each character but letters, digits, '_', '.' and '-' becomes '-', at
// most 128 of them ("v0.1.0+dirty" is v0.1.0-dirty).
func ImageTag(version string) string {
	t := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '.', r == '-':
			return r
		}
		return '-'
	}, version)
	if len(t) > 128 {
		t = t[:128]
	}
	if t == "" {
		return "devel"
	}
	return t
}

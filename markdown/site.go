package markdown

import (
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
)

// Site is the website a page belongs to: the folder that holds content/ and
// i18n/, from which includes, example files and translations are resolved
// the way Hugo resolves them for the Kubernetes website.
type Site struct {
	// Root is the site's folder ("" when the page is not inside a site).
	Root string

	mu   sync.Mutex
	i18n map[string]map[string]string // lang -> key -> text
}

// FindSite walks up from the page's folder to the first folder that has a
// content/ subfolder and returns that site. A page outside any site gets a
// Site with an empty Root: includes then resolve relative to the page only.
func FindSite(page string) *Site {
	abs, err := filepath.Abs(page)
	if err != nil {
		return &Site{}
	}
	for dir := filepath.Dir(abs); ; {
		if fi, err := os.Stat(filepath.Join(dir, "content")); err == nil && fi.IsDir() {
			return &Site{Root: dir}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return &Site{}
		}
		dir = parent
	}
}

// NewSite returns the site rooted at dir (the --site-dir setting).
func NewSite(dir string) *Site {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	return &Site{Root: abs}
}

// Lang returns the language of a page: the folder right under the site's
// content/ ("en", "ja"), or "en" when the page is not under content/<lang>/.
func (s *Site) Lang(page string) string {
	if s.Root == "" {
		return "en"
	}
	abs, err := filepath.Abs(page)
	if err != nil {
		return "en"
	}
	rel, err := filepath.Rel(filepath.Join(s.Root, "content"), abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return "en"
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	if len(parts) < 2 || len(parts[0]) < 2 || len(parts[0]) > 6 {
		return "en"
	}
	return parts[0]
}

// ContentDir returns the site's content/ folder, or "" outside a site.
func (s *Site) ContentDir() string {
	if s.Root == "" {
		return ""
	}
	return filepath.Join(s.Root, "content")
}

// roots returns the folders the files a page names may come from: the
// site's content/, and the page's own folder when the page is not under
// content/ (a page outside any site, or beside it).
func (s *Site) roots(page string) []string {
	content := s.ContentDir()
	dir := absClean(filepath.Dir(page))
	if content != "" && insideAny(dir, []string{absClean(content)}) {
		return []string{content}
	}
	return []string{content, dir}
}

// FindInclude resolves the target of an include shortcode of page, written
// in a file of folder dir (the page, or an include): first
// content/<lang>/includes/<name>, then relative to dir, then the English
// includes; a name without an extension also as <name>.md. It returns "" and a nil error when none exists, and ErrOutside
// when the name leads outside the site (see Within).
func (s *Site) FindInclude(lang, page, dir, name string) (string, error) {
	if filepath.IsAbs(name) || strings.HasPrefix(name, "/") {
		return "", ErrOutside
	}
	names := []string{name}
	if filepath.Ext(name) == "" {
		// Hugo finds an include, and a page a tab includes, without
		// its .md.
		names = append(names, name+".md")
	}
	var cands []string
	for _, n := range names {
		if s.Root != "" {
			cands = append(cands, filepath.Join(s.Root, "content", lang, "includes", n))
		}
		cands = append(cands, filepath.Join(dir, n))
		if s.Root != "" && lang != "en" {
			cands = append(cands, filepath.Join(s.Root, "content", "en", "includes", n))
		}
	}
	return firstWithin(cands, s.roots(page))
}

// FindExample resolves an example file (code_sample, codenew, code, and
// https://k8s.io/examples/ URLs): content/<lang>/examples/<file>, falling
// back to English. It returns "" and a nil error when none exists, and
// ErrOutside when the name leads outside the site's content/ (see Within).
// Runners map example URLs to local files through it too.
func (s *Site) FindExample(lang, file string) (string, error) {
	if s.Root == "" {
		return "", nil
	}
	file = strings.TrimPrefix(filepath.ToSlash(file), "/")
	if file == "" {
		return "", nil
	}
	cands := []string{filepath.Join(s.Root, "content", lang, "examples", filepath.FromSlash(file))}
	if lang != "en" {
		cands = append(cands, filepath.Join(s.Root, "content", "en", "examples", filepath.FromSlash(file)))
	}
	return firstWithin(cands, []string{s.ContentDir()})
}

// firstWithin returns the first candidate (cleaned, as named, so messages
// and file watchers see the site's own layout) that exists inside roots. When
// none does, a candidate that leads outside them makes the answer
// ErrOutside; then a symlink loop or an unreadable candidate is the error.
func firstWithin(cands, roots []string) (string, error) {
	var outside, other error
	for _, c := range cands {
		p, err := Within(c, roots...)
		switch {
		case err == ErrOutside:
			outside = err
		case err != nil:
			if other == nil {
				other = err
			}
		case p != "":
			return filepath.Clean(c), nil
		}
	}
	if outside != nil {
		return "", outside
	}
	return "", other
}

// T returns the translation of key for lang: the site's i18n/<lang> files,
// then docrun's built-in strings, then English. An unknown key returns "".
func (s *Site) T(lang, key string) string {
	for _, l := range []string{lang, "en"} {
		if v, ok := s.strings(l)[key]; ok {
			return v
		}
		if v, ok := builtinI18n[l][key]; ok {
			return v
		}
	}
	return ""
}

func (s *Site) strings(lang string) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := s.i18n[lang]; ok {
		return m
	}
	if s.i18n == nil {
		s.i18n = map[string]map[string]string{}
	}
	m := map[string]string{}
	s.i18n[lang] = m
	if s.Root == "" {
		return m
	}
	var files []string
	dir := filepath.Join(s.Root, "i18n", lang)
	if entries, err := os.ReadDir(dir); err == nil {
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".toml") {
				files = append(files, filepath.Join(dir, e.Name()))
			}
		}
	}
	files = append(files, filepath.Join(s.Root, "i18n", lang+".toml"))
	for _, f := range files {
		var raw map[string]any
		if _, err := toml.DecodeFile(f, &raw); err != nil {
			// A missing or broken translation file must not stop
			// parsing: the built-in strings stand in for it.
			continue
		}
		for k, v := range raw {
			switch t := v.(type) {
			case string:
				m[k] = t
			case map[string]any:
				if o, ok := t["other"].(string); ok {
					m[k] = o
				}
			}
		}
	}
	return m
}

// builtinI18n holds the strings docrun needs when a site has no i18n files
// (the project's own pages, a page outside a site).
var builtinI18n = map[string]map[string]string{
	"en": {
		"prerequisites_heading":       "Before you begin",
		"whatsnext_heading":           "What's next",
		"objectives_heading":          "Objectives",
		"cleanup_heading":             "Cleaning up",
		"synopsis_heading":            "Synopsis",
		"options_heading":             "Options",
		"seealso_heading":             "See Also",
		"note":                        "Note:",
		"caution":                     "Caution:",
		"warning":                     "Warning:",
		"version_check_mustbe":        "Your Kubernetes server must be version ",
		"version_check_mustbeorlater": "Your Kubernetes server must be at or later than version ",
		"version_check_tocheck":       "To check the version, enter ",
	},
	"ja": {
		"prerequisites_heading":       "始める前に",
		"whatsnext_heading":           "次の項目",
		"objectives_heading":          "目標",
		"cleanup_heading":             "クリーンアップ",
		"note":                        "備考:",
		"caution":                     "注意:",
		"warning":                     "警告:",
		"version_check_mustbe":        "作業するKubernetesサーバーは次のバージョンである必要があります: ",
		"version_check_mustbeorlater": "作業するKubernetesサーバーは次のバージョン以降のものである必要があります: ",
		"version_check_tocheck":       "バージョンを確認するには次のコマンドを実行してください: ",
	},
}

package drift

import (
	"errors"
	"path/filepath"
	"testing"
)

func TestSourcePath(t *testing.T) {
	for _, c := range []struct {
		page, want string
		err        error
	}{
		{"content/ja/docs/tasks/a.md", "content/en/docs/tasks/a.md", nil},
		{"site/content/zh-cn/docs/a.md", "site/content/en/docs/a.md", nil},
		{"/abs/content/ja/docs/content/ja/x.md", "/abs/content/ja/docs/content/en/x.md", nil},
		{"content/ja/a.md", "content/en/a.md", nil},
		{"content/en/docs/a.md", "", ErrEnglish},
		{"docs/a.md", "", errors.New("not under content/<lang>/: give its source with --source")},
		{"content/a.md", "", errors.New("not under content/<lang>/: give its source with --source")},
	} {
		got, err := SourcePath(filepath.FromSlash(c.page))
		if filepath.ToSlash(got) != c.want || (err == nil) != (c.err == nil) || err != nil && err.Error() != c.err.Error() {
			t.Errorf("SourcePath(%q) = %q, %v; want %q, %v", c.page, got, err, c.want, c.err)
		}
	}
}

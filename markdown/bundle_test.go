package markdown

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestResourceMatch(t *testing.T) {
	cases := []struct {
		rel, want string
		deep, ok  bool
	}{
		{"example1.md", "example1", true, true},
		{"sub/example1.md", "example1", true, true},
		{"fooexample1.md", "example1", true, true},
		{"example1/other.md", "example1", true, false},
		{"example1.d/example1.md", "example1", true, true},
		{"example2.md", "example1", true, false},
		{"example1.md", "example1", false, true},
		{"sub/example1.md", "example1", false, false},
		{"sub/example1.md", "sub/ex", false, true},
		{"a[1].md", "a[1]", false, true},
	}
	for _, c := range cases {
		if got := resourceMatch(c.rel, c.want, c.deep); got != c.ok {
			t.Errorf("resourceMatch(%q, %q, %v) = %v", c.rel, c.want, c.deep, got)
		}
	}
}

// TestBundleInclude checks that a tab's include= in a page bundle expands
// the bundle's markdown file with its shortcodes, and that a bundle file
// that is a symlink out of the bundle's folder is refused.
func TestBundleInclude(t *testing.T) {
	dir := t.TempDir()
	bundle := filepath.Join(dir, "content/en/docs/b")
	os.MkdirAll(bundle, 0o755)
	os.WriteFile(filepath.Join(bundle, "example1.md"), []byte("---\ntitle: e\n---\n\nInside the bundle.\n\n{{< note >}}\nA note.\n{{< /note >}}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "secret"), []byte("SECRET\n"), 0o644)
	os.Symlink(filepath.Join(dir, "secret"), filepath.Join(bundle, "leak.txt"))
	page := filepath.Join(bundle, "index.md")
	write := func(tab string) {
		os.WriteFile(page, []byte("---\ntitle: b\n---\n\n{{< tabs >}}\n"+tab+"\n{{< /tabs >}}\n"), 0o644)
	}
	write(`{{< tab name="one" include="example1" />}}`)
	p, err := ParsePage(page, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(p.Source), "Inside the bundle.") || len(p.Marks) != 3 || p.Marks[2].Name != "note" {
		t.Errorf("example1.md not expanded with its note: marks %v\n%s", p.Marks, p.Source)
	}
	write(`{{< tab name="one" include="leak" codelang="shell" />}}`)
	if _, err := ParsePage(page, Options{}); err == nil || !strings.Contains(err.Error(), `index.md:6: include "leak" is outside the site`) {
		t.Errorf("symlink out of the bundle: %v", err)
	}
	// Not a bundle: the name is a page beside it, as Hugo's GetPage
	// finds it (example1.md), and other files are not looked at.
	other := filepath.Join(bundle, "other.md")
	for include, want := range map[string]string{"example1": "", "leak": `include "leak" not found`} {
		os.WriteFile(other, []byte("{{< tabs >}}\n{{< tab name=\"one\" include=\""+include+"\" />}}\n{{< /tabs >}}\n"), 0o644)
		_, err := ParsePage(other, Options{})
		if (want == "" && err != nil) || (want != "" && (err == nil || !strings.Contains(err.Error(), want))) {
			t.Errorf("include %q from a page outside a bundle: %v", include, err)
		}
	}
}

package markdown

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// secret is the text of a file outside the site that no page may read.
const secret = "root:x:0:0:SECRET-OUTSIDE-THE-SITE\n"

// containSite lays out a site with a secret file beside it (outside
// content/) and symlinks that lead out of it, into it and round in a loop.
func containSite(t *testing.T) (dir, outside string) {
	t.Helper()
	dir = t.TempDir()
	outside = filepath.Join(dir, "outside")
	files := map[string]string{
		"outside/passwd":                       secret,
		"site/secret.txt":                      secret, // in the site's folder, not in content/
		"site/content/en/includes/ok.md":       "Included text.\n",
		"site/content/en/examples/pods/p.yaml": "apiVersion: v1\nkind: Pod\n",
		"site/content/en/docs/ok.md":           "---\ntitle: ok\n---\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		"site/content/en/includes/out.md":       filepath.Join(outside, "passwd"),
		"site/content/en/examples/out.yaml":     filepath.Join(outside, "passwd"),
		"site/content/en/examples/outdir":       outside,
		"site/content/en/examples/in.yaml":      "pods/p.yaml",
		"site/content/en/includes/loop.md":      "loop2.md",
		"site/content/en/includes/loop2.md":     "loop.md",
		"site/content/en/examples/loop.yaml":    "loop.yaml",
		"site/content/en/docs/bundle/passwd.md": filepath.Join(outside, "passwd"),
	}
	for name, target := range links {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	return dir, outside
}

// TestContainment gives each way a page can name a file (include, a tab's
// include=, code_sample/codenew/code, an example URL in a command) every
// path form that leads out of the site: relative "..", absolute, a symlink
// out, a percent-encoded URL. Each is a file:line error, and the secret
// text is never in the result.
func TestContainment(t *testing.T) {
	dir, _ := containSite(t)
	page := filepath.Join(dir, "site/content/en/docs/page.md")
	cases := []struct {
		name, body, want string
	}{
		{"include ..", `{{< include "../../../../outside/passwd" >}}`, `page.md:5: include "../../../../outside/passwd" is outside the site`},
		{"include .. to the site folder", `{{< include "../../../secret.txt" >}}`, `page.md:5: include "../../../secret.txt" is outside the site`},
		{"include absolute", `{{< include "` + dir + `/outside/passwd" >}}`, `is outside the site`},
		{"include /etc/passwd", `{{< include "/etc/passwd" >}}`, `page.md:5: include "/etc/passwd" is outside the site`},
		{"include symlink out", `{{< include "out.md" >}}`, `page.md:5: include "out.md" is outside the site`},
		{"include symlink loop", `{{< include "loop.md" >}}`, `page.md:5: include "loop.md": a symlink loop at `},
		{"tab include= ..", "{{< tabs >}}\n{{< tab name=\"x\" include=\"../../../../outside/passwd\" codelang=\"shell\" />}}\n{{< /tabs >}}", `page.md:6: include "../../../../outside/passwd" is outside the site`},
		{"tab include= symlink out", "{{< tabs >}}\n{{< tab name=\"x\" include=\"out.md\" />}}\n{{< /tabs >}}", `page.md:6: include "out.md" is outside the site`},
		{"code_sample ..", `{{% code_sample file="../../../../outside/passwd" %}}`, `page.md:5: example file "../../../../outside/passwd" is outside the site`},
		{"codenew ..", `{{< codenew file="../../../secret.txt" >}}`, `page.md:5: example file "../../../secret.txt" is outside the site`},
		{"code absolute", `{{< code file="` + dir + `/outside/passwd" >}}`, `not found under content/en/examples`},
		{"code_sample symlink out", `{{% code_sample file="out.yaml" %}}`, `page.md:5: example file "out.yaml" is outside the site`},
		{"code_sample symlinked folder out", `{{% code_sample file="outdir/passwd" %}}`, `page.md:5: example file "outdir/passwd" is outside the site`},
		{"code_sample symlink loop", `{{% code_sample file="loop.yaml" %}}`, `page.md:5: example file "loop.yaml": a symlink loop at `},
		{"example URL ..", "```shell\nkubectl apply -f https://k8s.io/examples/../../../outside/passwd\n```", `page.md:5: example URL "https://k8s.io/examples/../../../outside/passwd" is outside the site`},
		{"example URL %2e%2e", "```shell\nkubectl apply -f https://k8s.io/examples/%2e%2e/%2e%2e/%2E%2E/outside/passwd\n```", `page.md:5: example URL "https://k8s.io/examples/%2e%2e/%2e%2e/%2E%2E/outside/passwd" is outside the site`},
		{"example URL %2f", "```shell\ncurl -O https://kubernetes.io/examples/..%2f..%2f..%2fsecret.txt\n```", `is outside the site`},
		{"example URL symlink out", "```shell\nkubectl apply -f https://k8s.io/examples/out.yaml\n```", `page.md:5: example URL "https://k8s.io/examples/out.yaml" is outside the site`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := os.WriteFile(page, []byte("---\ntitle: x\n---\n\n"+c.body+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			p, err := ParsePage(page, Options{})
			if err == nil {
				if strings.Contains(string(p.Source), "SECRET") {
					t.Fatalf("the secret reached the page:\n%s", p.Source)
				}
				t.Fatalf("parsed; want an error with %q", c.want)
			}
			var pe *Error
			if !errors.As(err, &pe) || pe.Line == 0 || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q; want a positioned error containing %q", err, c.want)
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Fatalf("the error shows the secret: %v", err)
			}
		})
	}
}

// TestContainmentAllows checks that what stays inside content/ still
// resolves: a symlink within the site, ".." that stays under content/, an
// example named with a leading "/".
func TestContainmentAllows(t *testing.T) {
	dir, _ := containSite(t)
	page := filepath.Join(dir, "site/content/en/docs/page.md")
	body := "---\ntitle: x\n---\n\n{{% code_sample file=\"in.yaml\" %}}\n\n{{< include \"../includes/ok.md\" >}}\n\n" +
		"{{% code_sample file=\"/pods/p.yaml\" %}}\n\n{{< include \"../../../content/en/includes/ok.md\" >}}\n"
	if err := os.WriteFile(page, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := ParsePage(page, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(p.Source), "kind: Pod"); n != 2 {
		t.Errorf("%d example files embedded, want 2:\n%s", n, p.Source)
	}
	if n := strings.Count(string(p.Source), "Included text."); n != 2 {
		t.Errorf("%d includes expanded, want 2:\n%s", n, p.Source)
	}
}

// TestContainmentNoSite checks a page outside any site: its includes stay
// in its own folder.
func TestContainmentNoSite(t *testing.T) {
	dir, _ := containSite(t)
	page := filepath.Join(dir, "lonely", "page.md")
	if err := os.MkdirAll(filepath.Dir(page), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "lonely", "inc.md"), []byte("beside\n"), 0o644)
	for body, want := range map[string]string{
		`{{< include "../outside/passwd" >}}`: `include "../outside/passwd" is outside the site`,
		`{{< include "inc.md" >}}`:            "",
	} {
		os.WriteFile(page, []byte(body+"\n"), 0o644)
		_, err := ParsePage(page, Options{Site: &Site{}})
		switch {
		case want == "" && err != nil:
			t.Errorf("%s: %v", body, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%s: error %v, want %q", body, err, want)
		}
	}
}

// TestNamedFileLimits checks that example files and includes meet the
// limits of pages: UTF-8, at most MaxPageSize, a regular file.
func TestNamedFileLimits(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("content/en/examples/latin1.yaml", []byte("a: 1\nb: caf\xe9\n"))
	write("content/en/includes/latin1.md", []byte("ok\n\xff\n"))
	big := filepath.Join(dir, "content/en/examples/big.yaml")
	write("content/en/examples/big.yaml", nil)
	if err := os.Truncate(big, MaxPageSize+1); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "content/en/examples/folder.yaml"), 0o755)
	page := filepath.Join(dir, "content/en/docs/page.md")
	cases := map[string]string{
		`{{% code_sample file="latin1.yaml" %}}`: `page.md:1: example file "latin1.yaml": ` + filepath.Join(dir, "content/en/examples/latin1.yaml") + `:2: not valid UTF-8`,
		`{{< include "latin1.md" >}}`:            `include "latin1.md": ` + filepath.Join(dir, "content/en/includes/latin1.md") + `:2: not valid UTF-8`,
		`{{% code_sample file="big.yaml" %}}`:    `more than the 10 MB docrun reads`,
		`{{% code_sample file="folder.yaml" %}}`: `example file "folder.yaml": not a regular file`,
	}
	for body, want := range cases {
		write("content/en/docs/page.md", []byte(body+"\n"))
		_, err := ParsePage(page, Options{})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", body, err, want)
		}
	}
}

func TestWithin(t *testing.T) {
	dir, outside := containSite(t)
	content := filepath.Join(dir, "site/content")
	cases := []struct {
		path string
		want string // "" for not found, "outside", "loop", or a path suffix
	}{
		{filepath.Join(content, "en/examples/pods/p.yaml"), "en/examples/pods/p.yaml"},
		{filepath.Join(content, "en/examples/in.yaml"), "en/examples/pods/p.yaml"},
		{filepath.Join(content, "en/examples/none.yaml"), ""},
		{filepath.Join(content, "en/examples/pods/p.yaml/x"), ""},
		{filepath.Join(content, "../secret.txt"), "outside"},
		{filepath.Join(outside, "none"), "outside"},
		{filepath.Join(content, "en/examples/out.yaml"), "outside"},
		{filepath.Join(content, "en/examples/outdir/passwd"), "outside"},
		{filepath.Join(content, "en/examples/loop.yaml"), "loop"},
		{content + "x/y", "outside"},
	}
	for _, c := range cases {
		got, err := Within(c.path, content)
		var loop *SymlinkLoopError
		switch {
		case c.want == "outside" && err == ErrOutside,
			c.want == "loop" && errors.As(err, &loop),
			c.want == "" && err == nil && got == "":
		case c.want != "" && err == nil && strings.HasSuffix(got, c.want):
		default:
			t.Errorf("Within(%s) = %q, %v; want %s", c.path, got, err, c.want)
		}
	}
}

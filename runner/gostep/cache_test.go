package gostep

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestCacheKey(t *testing.T) {
	files := []file{{"main.go", "//line /p.md:3\npackage main\nfunc main() {}\n"}}
	mod, sum := []byte("module m\n"), []byte("a v1 h1:x\n")
	base := cacheKey(files, mod, sum, "go1.26.8", "linux/amd64")
	if base != cacheKey(files, mod, sum, "go1.26.8", "linux/amd64") {
		t.Fatal("the key is not stable")
	}
	for _, tc := range []struct {
		name string
		key  string
	}{
		{"source", cacheKey([]file{{"main.go", files[0].Text + " "}}, mod, sum, "go1.26.8", "linux/amd64")},
		{"page line", cacheKey([]file{{"main.go", "//line /p.md:4\npackage main\nfunc main() {}\n"}}, mod, sum, "go1.26.8", "linux/amd64")},
		{"file name", cacheKey([]file{{"other.go", files[0].Text}}, mod, sum, "go1.26.8", "linux/amd64")},
		{"extra file", cacheKey(append(files, file{"zz.go", "package main\n"}), mod, sum, "go1.26.8", "linux/amd64")},
		{"go.mod", cacheKey(files, []byte("module m\n\ngo 1.26\n"), sum, "go1.26.8", "linux/amd64")},
		{"go.sum", cacheKey(files, mod, []byte("a v1 h1:y\n"), "go1.26.8", "linux/amd64")},
		{"go.mod and go.sum boundary", cacheKey(files, append(mod, sum...), nil, "go1.26.8", "linux/amd64")},
		{"go version", cacheKey(files, mod, sum, "go1.26.9", "linux/amd64")},
		{"platform", cacheKey(files, mod, sum, "go1.26.8", "linux/arm64")},
	} {
		if tc.key == base {
			t.Errorf("%s: the key does not change", tc.name)
		}
	}
}

func TestLang(t *testing.T) {
	for in, want := range map[string]string{
		"go1.26.8": "1.26", "go1.26": "1.26", "go1.27rc1": "1.27", "go1.25.0-X:boringcrypto": "1.25", "devel": "devel",
	} {
		if got := lang(in); got != want {
			t.Errorf("lang(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMinorOf(t *testing.T) {
	for in, want := range map[string]int{"v0.37.2": 37, "v0.9.0": 9, "v1.37.2": -1, "v0.x.1": -1, "": -1} {
		if got := minorOf(in); got != want {
			t.Errorf("minorOf(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestRequired(t *testing.T) {
	gomod := `module docrun.local/steps

go 1.26.8

require k8s.io/api v0.37.2

require (
	k8s.io/apimachinery v0.37.2
	k8s.io/client-go v0.37.2 // indirect
)
`
	want := map[string]string{"k8s.io/api": "v0.37.2", "k8s.io/apimachinery": "v0.37.2", "k8s.io/client-go": "v0.37.2"}
	if got := required([]byte(gomod)); !reflect.DeepEqual(got, want) {
		t.Errorf("required = %v, want %v", got, want)
	}
}

func TestGoRootVersion(t *testing.T) {
	root := t.TempDir()
	bin := filepath.Join(root, "bin", "go")
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		t.Fatal(err)
	}
	if got := goRootVersion(bin); got != "" {
		t.Errorf("without VERSION: %q", got)
	}
	if err := os.WriteFile(filepath.Join(root, "VERSION"), []byte("go1.26.8\ntime 2026-01-01T00:00:00Z\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := goRootVersion(bin); got != "go1.26.8" {
		t.Errorf("goRootVersion = %q", got)
	}
}

func TestCleanBuildOutput(t *testing.T) {
	const abs = "/home/u/site/content/en/docs/page.md"
	for _, tc := range []struct {
		name, out, page, want string
	}{
		{"compiler, relative page",
			"# docrun.local/steps/s/0123456789abcdef0123\n" + abs + ":203: undefined: foo\n" + abs + ":205: declared and not used: x\n",
			"content/en/docs/page.md",
			"content/en/docs/page.md:203: undefined: foo\ncontent/en/docs/page.md:205: declared and not used: x\n"},
		{"compiler, absolute page",
			"# docrun.local/steps/s/0123\n" + abs + ":203: undefined: foo\n", abs, abs + ":203: undefined: foo\n"},
		{"go command import error",
			"go: finding module for package example.com/nope\n" + abs + ":186: module example.com/nope: 404 Not Found\n",
			"page.md",
			"go: finding module for package example.com/nope\npage.md:186: module example.com/nope: 404 Not Found\n"},
		{"vet-style header", "# [docrun.local/steps/s/01]\n" + abs + ":9: x\n", "p.md", "p.md:9: x\n"},
		{"path relative to the module",
			"# docrun.local/steps/s/01\n../../../site/content/en/docs/page.md:12: undefined: foo\n", abs,
			abs + ":12: undefined: foo\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cleanBuildOutput(tc.out, abs, tc.page, "/home/u/.cache/docrun/go"); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestModuleTrouble(t *testing.T) {
	for out, want := range map[string]bool{
		"main.go:5:2: missing go.sum entry for module providing package x":      true,
		"p.md:5: no required module provides package example.com/x; to add it:": true,
		"p.md:9: undefined: foo": false,
	} {
		if got := moduleTrouble(out); got != want {
			t.Errorf("moduleTrouble(%q) = %v", out, got)
		}
	}
}

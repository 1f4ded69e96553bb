package dispatch

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"path/filepath"
	"slices"
	"testing"

	"github.com/docrun/docrun/markdown"
)

// TestBundle: the pages of testdata/site, run from the site's content/,
// bring their include, the site's examples and i18n; the bundle's root
// holds them and the working folder, and its tar names them from there.
func TestBundle(t *testing.T) {
	site, _ := filepath.Abs("testdata/site")
	wd := filepath.Join(site, "content")
	b, err := NewBundle([]string{"en/docs/task.md", "en/docs/other.md"}, wd, markdown.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if b.Root != site || b.Workdir != wd {
		t.Errorf("root %s, workdir %s; want %s, %s", b.Root, b.Workdir, site, wd)
	}
	b.Made = map[string][]byte{filepath.Join(wd, MadeDir, "durations.json"): []byte("{}")}
	data, err := b.Pack()
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
	}
	want := []string{"content/en/docs/other.md", "content/en/docs/task.md", "content/en/examples/pods/pod.yaml",
		"content/en/includes/prereq.md", "i18n/en.toml", "content/" + MadeDir + "/durations.json"}
	if !slices.Equal(names, want) {
		t.Errorf("bundle holds\n%q\nwant\n%q", names, want)
	}
	again, _ := b.Pack()
	if !bytes.Equal(data, again) {
		t.Error("two packs of the same files differ")
	}
	b.Made = map[string][]byte{"/elsewhere/durations.json": nil}
	if _, err := b.Pack(); err == nil {
		t.Error("a made file outside the root was packed")
	}
}

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		data string
		size int
		want []string
	}{
		{"", 4, []string{""}},
		{"abcd", 4, []string{"abcd"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"abc", 0, []string{"abc"}},
	} {
		var got []string
		for _, c := range Split([]byte(tc.data), tc.size) {
			got = append(got, string(c))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Split(%q, %d) = %q, want %q", tc.data, tc.size, got, tc.want)
		}
	}
}

func TestCommonDir(t *testing.T) {
	for _, tc := range []struct{ a, b, want string }{
		{"/work/wt/dispatch", "/work/shared/corpus/content", "/work"},
		{"/work/site", "/work/site/content/en", "/work/site"},
		{"/a", "/b", "/"},
		{"/work/site", "/work/site2", "/work"},
	} {
		if got := commonDir(tc.a, tc.b); got != tc.want {
			t.Errorf("commonDir(%s, %s) = %s, want %s", tc.a, tc.b, got, tc.want)
		}
	}
}

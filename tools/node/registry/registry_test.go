package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/layout"
)

func TestFullName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"busybox", "docker.io/library/busybox:latest"},
		{"nginx:1.14.2", "docker.io/library/nginx:1.14.2"},
		{"bitnami/redis:7", "docker.io/bitnami/redis:7"},
		{"registry.k8s.io/pause:3.10.1", "registry.k8s.io/pause:3.10.1"},
		{"quay.io/a/b:c", "quay.io/a/b:c"},
	} {
		ref, err := name.ParseReference(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := fullName(ref); got != tc.want {
			t.Errorf("fullName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestPackTwice packs the same tree twice under two tags: one image, the
// same digest each time, listed under both full references.
func TestPackTwice(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "bin", "hello"), []byte("#!/bin/sh\necho hello\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("hello", filepath.Join(root, "bin", "hi")); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "oci")
	for i := 0; i < 2; i++ {
		if err := pack([]string{"-rootfs", root, "-layout", dir, "-entrypoint", "/bin/hello",
			"-tag", "hello:1", "-tag", "registry.k8s.io/hello:1"}); err != nil {
			t.Fatal(err)
		}
	}
	tagged, err := images(dir)
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	digests := map[string]bool{}
	for ref, img := range tagged {
		refs = append(refs, fullName(ref))
		d, err := img.Digest()
		if err != nil {
			t.Fatal(err)
		}
		digests[d.String()] = true
	}
	slices.Sort(refs)
	if want := []string{"docker.io/library/hello:1", "registry.k8s.io/hello:1"}; !slices.Equal(refs, want) {
		t.Errorf("tags %v, want %v", refs, want)
	}
	if len(digests) != 1 {
		t.Errorf("want one digest for the same tree, got %v", digests)
	}
	p, err := layout.FromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := p.ImageIndex()
	if err != nil {
		t.Fatal(err)
	}
	m, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Manifests) != 2 {
		t.Errorf("the layout's index has %d entries after packing twice, want 2 (one a tag)", len(m.Manifests))
	}
}

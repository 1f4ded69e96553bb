package main

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// TestPush pushes one of a layout's images into a running registry by
// its reference, under the path containerd asks a mirror for; an image
// the layout lacks is an error, and so is an address not on loopback.
func TestPush(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "hello"), []byte("hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "oci")
	for _, tag := range []string{"docrun.dev/docrun:v1", "other:1"} {
		if err := pack([]string{"-rootfs", root, "-layout", dir, "-tag", tag}); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: registry.New()}
	go srv.Serve(ln)
	defer srv.Close()
	addr := ln.Addr().String()
	if err := push([]string{"-layout", dir, "-addr", addr, "-tag", "docrun.dev/docrun:v1"}); err != nil {
		t.Fatal(err)
	}
	for ref, want := range map[string]bool{addr + "/docrun:v1": true, addr + "/library/other:1": false} {
		r, err := name.ParseReference(ref, name.Insecure)
		if err != nil {
			t.Fatal(err)
		}
		_, err = remote.Image(r)
		if got := err == nil; got != want {
			t.Errorf("%s served: %v, want %v (%v)", ref, got, want, err)
		}
	}
	if err := push([]string{"-layout", dir, "-addr", addr, "-tag", "missing:1"}); err == nil {
		t.Error("push of an image the layout lacks: no error")
	}
	if err := push([]string{"-layout", dir, "-addr", "192.0.2.1:5000", "-tag", "other:1"}); err == nil {
		t.Error("push to an address not on loopback: no error")
	}
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

func serve(args []string) error {
	fl := flag.NewFlagSet("serve", flag.ExitOnError)
	addr := fl.String("addr", "127.0.0.1:5000", "the loopback address to listen on")
	dir := fl.String("layout", "", "the OCI image layout whose images are served")
	blobs := fl.String("blobs", "", "where the registry keeps blobs (memory when empty)")
	addrFile := fl.String("addr-file", "", "a file to write the address listened on to, once the images are served")
	fl.Parse(args)
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-addr %s: the registry listens on a loopback address only", *addr)
	}
	blobHandler := registry.NewInMemoryBlobHandler()
	if *blobs != "" {
		if err := os.MkdirAll(*blobs, 0o755); err != nil {
			return err
		}
		blobHandler = registry.NewDiskBlobHandler(*blobs)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: registry.New(registry.WithBlobHandler(blobHandler),
		registry.Logger(log.New(os.Stderr, "", log.LstdFlags)))}
	go srv.Serve(ln)
	if *dir != "" {
		n, err := load(*dir, ln.Addr().String(), nil)
		if err != nil {
			return fmt.Errorf("loading %s: %w", *dir, err)
		}
		log.Printf("serving %d images on %s", n, ln.Addr())
	}
	if *addrFile != "" {
		if err := os.WriteFile(*addrFile, []byte(ln.Addr().String()+"\n"), 0o644); err != nil {
			return err
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return srv.Shutdown(context.Background())
}

// load pushes every tagged image of the layout (those of only, when it is
// not nil) into the registry at addr,
// under its repository without the registry host (docker.io/library/busybox
// is served as library/busybox): containerd asks the mirror for the path only.
func load(dir, addr string, only map[string]bool) (int, error) {
	tagged, err := images(dir)
	if err != nil {
		return 0, err
	}
	n := 0
	for ref, img := range tagged {
		if only != nil && !only[fullName(ref)] {
			continue
		}
		n++
		dst, err := name.ParseReference(addr+"/"+ref.Context().RepositoryStr()+tagOrDigest(ref), name.Insecure)
		if err != nil {
			return 0, err
		}
		if err := remote.Write(dst, img); err != nil {
			return 0, fmt.Errorf("%s: %w", ref, err)
		}
	}
	return n, nil
}

func tagOrDigest(ref name.Reference) string {
	if t, ok := ref.(name.Tag); ok {
		return ":" + t.TagStr()
	}
	return "@" + ref.Identifier()
}

// images reads the tagged images of an OCI layout.
func images(dir string) (map[name.Reference]v1.Image, error) {
	p, err := layout.FromPath(dir)
	if err != nil {
		return nil, err
	}
	idx, err := p.ImageIndex()
	if err != nil {
		return nil, err
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, err
	}
	out := map[name.Reference]v1.Image{}
	for _, d := range im.Manifests {
		t := d.Annotations[refAnnotation]
		if t == "" {
			continue
		}
		ref, err := name.ParseReference(t)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t, err)
		}
		img, err := idx.Image(d.Digest)
		if err != nil {
			return nil, err
		}
		out[ref] = img
	}
	if len(out) == 0 {
		return nil, errors.New("no tagged image")
	}
	return out, nil
}

func list(args []string) error {
	fl := flag.NewFlagSet("list", flag.ExitOnError)
	dir := fl.String("layout", "", "the OCI image layout")
	fl.Parse(args)
	tagged, err := images(*dir)
	if err != nil {
		return err
	}
	for ref := range tagged {
		fmt.Println(fullName(ref))
	}
	return nil
}

func push(args []string) error {
	fl := flag.NewFlagSet("push", flag.ExitOnError)
	dir := fl.String("layout", "", "the OCI image layout")
	addr := fl.String("addr", "", "the running registry's address (loopback)")
	var tags strs
	fl.Var(&tags, "tag", "a reference of the image to push (repeatable)")
	fl.Parse(args)
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %v", *addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-addr %s: the registry listens on a loopback address only", *addr)
	}
	if *dir == "" || len(tags) == 0 {
		return errors.New("push needs -layout, -addr and at least one -tag")
	}
	only := map[string]bool{}
	for _, t := range tags {
		ref, err := name.ParseReference(t)
		if err != nil {
			return fmt.Errorf("%s: %w", t, err)
		}
		only[fullName(ref)] = true
	}
	n, err := load(*dir, *addr, only)
	if err != nil {
		return err
	}
	if n != len(only) {
		return fmt.Errorf("the layout %s has %d of the %d images asked for", *dir, n, len(only))
	}
	return nil
}

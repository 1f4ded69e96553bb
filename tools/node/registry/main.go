// Command docrun-registry builds the local cluster's offline images and serves
// them: the registry containerd uses as its mirror of every registry
// (docker.io, registry.k8s.io, gcr.io, quay.io, ...), so pages' manifests run
// unchanged with their own image names, and nothing is pulled from the
// internet.
//
//	docrun-registry pack -rootfs DIR -layout DIR [-entrypoint ARG]... [-cmd ARG]... [-env K=V]... [-workdir DIR] [-port N/tcp]... -tag REF...
//	docrun-registry serve -addr 127.0.0.1:PORT -layout DIR [-blobs DIR] [-addr-file FILE]
//	docrun-registry list -layout DIR
//	docrun-registry push -layout DIR -addr 127.0.0.1:PORT -tag REF...
//
// pack turns a directory into a one-layer image (files owned by root) and
// records it in an OCI image layout under each tag. serve starts a registry on
// the address (loopback only), pushes every image of the layout into it, and
// serves until SIGTERM. list prints the tags of the layout, one a line. push
// pushes the images of the layout with the tags given into the running
// registry at the address (an image built after it started: make image).
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "pack":
		err = pack(os.Args[2:])
	case "serve":
		err = serve(os.Args[2:])
	case "list":
		err = list(os.Args[2:])
	case "push":
		err = push(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "docrun-registry: %v\n", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: docrun-registry pack|serve|list|push [flags] (see the package documentation)")
	os.Exit(2)
}

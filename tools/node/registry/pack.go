package main

import (
	"errors"
	"flag"
	"os"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/match"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// epoch is the time stamp of every image and file packed, so a rebuild of the
// same tree gives the same digests.
var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// refAnnotation names an image of an OCI layout, as crane, skopeo and
// containerd write it.
const refAnnotation = "org.opencontainers.image.ref.name"

type strs []string

func (s *strs) String() string     { return strings.Join(*s, ",") }
func (s *strs) Set(v string) error { *s = append(*s, v); return nil }

func pack(args []string) error {
	fl := flag.NewFlagSet("pack", flag.ExitOnError)
	rootfs := fl.String("rootfs", "", "the directory that becomes the image's only layer")
	dir := fl.String("layout", "", "the OCI image layout to add the image to (created if missing)")
	workdir := fl.String("workdir", "", "the image's working directory")
	var entry, cmd, env, ports, tags strs
	fl.Var(&entry, "entrypoint", "an argument of the entrypoint (repeat)")
	fl.Var(&cmd, "cmd", "an argument of the command (repeat)")
	fl.Var(&env, "env", "an environment variable K=V (repeat; PATH has a default)")
	fl.Var(&ports, "port", "an exposed port such as 80/tcp (repeat)")
	fl.Var(&tags, "tag", "a full image reference such as docker.io/library/busybox:1.36 (repeat)")
	fl.Parse(args)
	if *rootfs == "" || *dir == "" || len(tags) == 0 {
		return errors.New("pack needs -rootfs, -layout and at least one -tag")
	}
	layer, err := dirLayer(*rootfs)
	if err != nil {
		return err
	}
	img, err := mutate.Append(empty.Image, mutate.Addendum{Layer: layer})
	if err != nil {
		return err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return err
	}
	cf = cf.DeepCopy()
	cf.Architecture, cf.OS, cf.Created = "amd64", "linux", v1.Time{Time: epoch}
	cf.Config.Entrypoint, cf.Config.Cmd, cf.Config.WorkingDir = entry, cmd, *workdir
	cf.Config.Env = withPath(env)
	if len(ports) > 0 {
		cf.Config.ExposedPorts = map[string]struct{}{}
		for _, p := range ports {
			cf.Config.ExposedPorts[p] = struct{}{}
		}
	}
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		return err
	}
	p, err := openLayout(*dir)
	if err != nil {
		return err
	}
	for _, t := range tags {
		ref, err := name.ParseReference(t, name.WithDefaultRegistry("docker.io"))
		if err != nil {
			return err
		}
		full := fullName(ref)
		err = p.ReplaceImage(img, match.Annotation(refAnnotation, full),
			layout.WithAnnotations(map[string]string{refAnnotation: full}))
		if err != nil {
			return err
		}
	}
	return nil
}

// fullName is the reference with its registry, docker.io rather than
// go-containerregistry's index.docker.io, as containerd and kubectl show it.
func fullName(ref name.Reference) string {
	s := ref.Name()
	if rest, ok := strings.CutPrefix(s, name.DefaultRegistry+"/"); ok {
		return "docker.io/" + rest
	}
	return s
}

func withPath(env []string) []string {
	for _, e := range env {
		if strings.HasPrefix(e, "PATH=") {
			return env
		}
	}
	return append([]string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}, env...)
}

func openLayout(dir string) (layout.Path, error) {
	if p, err := layout.FromPath(dir); err == nil {
		return p, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	return layout.Write(dir, empty.Index)
}

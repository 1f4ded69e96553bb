package gostep

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"
)

// toolchain is the go command on PATH and the Go version it builds with.
type toolchain struct {
	// Go is the go command's path; "" when none is on PATH and Version is
	// the one recorded by the last build (lastToolchain).
	Go      string
	Version string // "go1.26.8"
}

// lang is the Go language version of a toolchain version: "go1.26.8" ->
// "1.26".
func lang(version string) string {
	v := strings.TrimPrefix(version, "go")
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return v
	}
	minor := parts[1]
	if i := strings.IndexAny(minor, "rcbeta-+ "); i > 0 {
		minor = minor[:i]
	}
	return parts[0] + "." + minor
}

// toolchains caches versions by the go command's path, size and mtime, so
// a cached step runs without invoking go (not even go version).
type toolchains struct {
	mu   sync.Mutex
	byID map[string]string
}

// find returns the go command on PATH and its version: GOROOT/VERSION next
// to the binary, else `go env GOVERSION` (cached on disk under dir by the
// binary's identity).
func (t *toolchains) find(dir string) (toolchain, error) {
	goPath, err := exec.LookPath("go")
	if err != nil {
		return toolchain{}, err
	}
	real, err := filepath.EvalSymlinks(goPath)
	if err != nil {
		return toolchain{}, err
	}
	fi, err := os.Stat(real)
	if err != nil {
		return toolchain{}, err
	}
	id := fmt.Sprintf("%s\x00%d\x00%d", real, fi.Size(), fi.ModTime().UnixNano())
	t.mu.Lock()
	defer t.mu.Unlock()
	if v := t.byID[id]; v != "" {
		return toolchain{Go: goPath, Version: v}, nil
	}
	v := goRootVersion(real)
	idFile := filepath.Join(dir, "toolchains", hashString(id))
	if v == "" {
		if b, err := os.ReadFile(idFile); err == nil {
			v = strings.TrimSpace(string(b))
		}
	}
	if v == "" {
		out, err := exec.Command(goPath, "env", "GOVERSION").Output()
		if err != nil {
			return toolchain{}, fmt.Errorf("go env GOVERSION: %w", err)
		}
		v = strings.TrimSpace(string(out))
		if v == "" {
			return toolchain{}, fmt.Errorf("go env GOVERSION printed nothing")
		}
		_ = writeFileAtomic(idFile, []byte(v+"\n"))
	}
	if t.byID == nil {
		t.byID = map[string]string{}
	}
	t.byID[id] = v
	return toolchain{Go: goPath, Version: v}, nil
}

// goRootVersion reads the VERSION file of the Go installation a go binary
// (GOROOT/bin/go) belongs to: its first line, "go1.26.8". "" when absent.
func goRootVersion(goBin string) string {
	f, err := os.Open(filepath.Join(filepath.Dir(filepath.Dir(goBin)), "VERSION"))
	if err != nil {
		return ""
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	if s.Scan() && strings.HasPrefix(s.Text(), "go") {
		return strings.TrimSpace(s.Text())
	}
	return ""
}

// platform is the target the binaries are built for, and the build
// settings from the environment that change a binary.
func platform() string {
	get := func(k, def string) string {
		if v := os.Getenv(k); v != "" {
			return v
		}
		return def
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s/%s", get("GOOS", runtime.GOOS), get("GOARCH", runtime.GOARCH))
	for _, k := range []string{"CGO_ENABLED", "GOAMD64", "GOARM64", "GOEXPERIMENT", "GOFLAGS", "CC"} {
		if v := os.Getenv(k); v != "" {
			fmt.Fprintf(&b, " %s=%s", k, v)
		}
	}
	return b.String()
}

// cacheKey is the name of a step's binary: a hash of its source files
// (after substitutions), the module's go.mod and go.sum, the Go version
// and the platform.
func cacheKey(files []file, goMod, goSum []byte, goVersion, platform string) string {
	h := sha256.New()
	fmt.Fprintf(h, "docrun go step 1\n%s\n%s\n", goVersion, platform)
	for _, f := range [][]byte{goMod, goSum} {
		fmt.Fprintf(h, "%d\n", len(f))
		h.Write(f)
	}
	for _, f := range files {
		fmt.Fprintf(h, "%s %d\n%s", f.Name, len(f.Text), f.Text)
	}
	return hex.EncodeToString(h.Sum(nil))[:40]
}

// sourceKey names a step's package folder in the module: a hash of its
// files only.
func sourceKey(files []file) string {
	return cacheKey(files, nil, nil, "", "")[:20]
}

func hashString(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])[:32]
}

// writeFileAtomic writes data to a temporary file beside path and renames
// it into place, so readers in other processes see the old file or the new
// one, never a part.
func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := tempName(path)
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// tempName is a unique name beside path, starting with ".tmp-".
func tempName(path string) string {
	var r [8]byte
	_, _ = rand.Read(r[:])
	return filepath.Join(filepath.Dir(path), ".tmp-"+hex.EncodeToString(r[:])+"-"+filepath.Base(path))
}

// lockFile takes an exclusive lock on path (created if needed), waiting
// until it is free or ctx ends. Unlock by closing the file.
func lockFile(ctx context.Context, path string) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return f, nil
		}
		if err != syscall.EWOULDBLOCK && err != syscall.EINTR {
			f.Close()
			return nil, err
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// prune removes binaries and step folders of dir unused for maxAge, and
// temporary files older than an hour, at most once a day.
func prune(dir string, maxAge time.Duration) {
	stamp := filepath.Join(dir, ".pruned")
	if fi, err := os.Stat(stamp); err == nil && time.Since(fi.ModTime()) < 24*time.Hour {
		return
	}
	_ = os.WriteFile(stamp, nil, 0o644)
	now := time.Now()
	for _, sub := range []string{"bin", "s"} {
		entries, _ := os.ReadDir(filepath.Join(dir, sub))
		for _, e := range entries {
			fi, err := e.Info()
			if err != nil {
				continue
			}
			age := now.Sub(fi.ModTime())
			if age > maxAge || (strings.HasPrefix(e.Name(), ".tmp-") && age > time.Hour) {
				os.RemoveAll(filepath.Join(dir, sub, e.Name()))
			}
		}
	}
}

// touch marks a cached file as used today, for prune.
func touch(path string, fi os.FileInfo) {
	if time.Since(fi.ModTime()) > 24*time.Hour {
		now := time.Now()
		_ = os.Chtimes(path, now, now)
	}
}

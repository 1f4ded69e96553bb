// Package gostep runs a page's Go programs (package main with func main)
// against the page's cluster.
//
// A step is compiled inside a cache module under the user's cache folder
// (CacheDir()/go): one module per Kubernetes release and Go version, shared
// by every step, so dependencies are resolved and compiled once. Each step
// is a main package of its own in the module (s/<hash>/main.go); its
// k8s.io release modules (client-go, api, apimachinery, ...) are required
// at the release matching the server's minor version, other imports are
// resolved by the go command (-mod=mod). A //line directive makes compile
// errors name the page's lines.
//
// The binary is cached under a key hashed from the source, the module's
// go.mod and go.sum, the Go version and the platform; running a step whose
// binary is cached does not invoke the go command at all. Builds hold a
// file lock on the module and binaries are renamed into place, so several
// docrun processes can share the cache.
package gostep

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/runner"
	"github.com/docrun/docrun/runner/clients"
)

// NoToolchain is why a Go step is skipped when go is not on PATH and no
// build of the step is cached.
const NoToolchain = "no Go toolchain with the Kubernetes client configured (go is not on PATH)"

// DefaultBuildTimeout bounds a build, the first of which compiles the
// Kubernetes client. It is not the step's timeout, which bounds the run.
const DefaultBuildTimeout = 15 * time.Minute

// maxAge is how long an unused binary stays cached.
const maxAge = 30 * 24 * time.Hour

// Executor runs Go steps. The zero value is not ready: use New.
type Executor struct {
	// CacheDir is the cache's root; "" means clients.CacheDir()/go.
	CacheDir string
	// BuildTimeout bounds each build; 0 means DefaultBuildTimeout.
	BuildTimeout time.Duration
	// Release is the version of the k8s.io release modules (v0.37.2) used
	// when the server's minor version is unknown or its release cannot be
	// found; "" means the k8s.io/client-go version docrun is built with.
	Release string

	tc       toolchains
	mu       sync.Mutex
	releases map[int]string
}

// New returns a Go executor using docrun's cache.
func New() *Executor { return &Executor{} }

// Name is "go".
func (*Executor) Name() string { return "go" }

func (e *Executor) dir() (string, error) {
	if e.CacheDir != "" {
		return e.CacheDir, nil
	}
	d, err := clients.CacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "go"), nil
}

// Available is "" when go is on PATH, or when a build of the step is
// cached (Run then needs no go command); otherwise NoToolchain.
func (e *Executor) Available(step *markdown.Step) string {
	dir, err := e.dir()
	if err != nil {
		return "no Go toolchain: " + err.Error()
	}
	if _, err := e.tc.find(dir); err == nil {
		return ""
	}
	if step != nil {
		if _, err := os.Stat(seenFile(dir, step.Code)); err == nil {
			return ""
		}
	}
	return NoToolchain
}

// seenFile marks that a step's code (as on the page) was built here once.
func seenFile(dir, code string) string {
	return filepath.Join(dir, "seen", hashString(code))
}

// lastToolchainFile records the Go version of the last build, the version
// cached binaries are looked up with when go is not on PATH.
func lastToolchainFile(dir string) string { return filepath.Join(dir, "toolchain") }

// Run builds the step's program, or finds its cached binary, and runs it
// with the session's environment and working directory, within timeout.
// A program that does not compile fails with the compiler's messages at
// the page's lines and exit code 1.
func (e *Executor) Run(ctx context.Context, x *runner.Exec, step *markdown.Step, code string, timeout time.Duration) (runner.Outcome, error) {
	dir, err := e.dir()
	if err != nil {
		return runner.Outcome{}, err
	}
	tc, err := e.tc.find(dir)
	if err != nil {
		b, _ := os.ReadFile(lastToolchainFile(dir))
		if tc.Version = strings.TrimSpace(string(b)); tc.Version == "" {
			return runner.Outcome{}, errors.New(NoToolchain)
		}
	}
	release, err := e.release(ctx, tc, x.ServerMinor)
	if err != nil {
		return runner.Outcome{}, err
	}
	mod := newModule(dir, release, tc.Version)
	page := x.Page
	absPage := page
	if page != "" {
		if a, err := filepath.Abs(page); err == nil {
			absPage = a
		}
	}
	var prog program
	bin, failedStable := "", ""
	for _, stable := range []bool{true, false} {
		prog = newProgram(code, absPage, x.Line, x.Kubeconfig, stable)
		key := mod.key(prog, tc.Version)
		if hit := mod.lookup(key); hit != "" {
			bin = hit
			break
		}
		if prog.Stable && failedBefore(mod, key) {
			continue
		}
		if tc.Go == "" {
			return runner.Outcome{}, errors.New(NoToolchain + "; the cached build of this step is out of date")
		}
		b, err := e.build(ctx, tc, mod, prog, x)
		switch {
		case err != nil:
			return runner.Outcome{}, err
		case ctx.Err() != nil:
			return runner.Outcome{ExitCode: 130, Canceled: true, Stderr: b.out}, nil
		case b.bin == "" && prog.Stable && !b.timedOut:
			// The kubeconfig literal may not work as a variable (a named
			// string type, say): try the code as it is.
			failedStable = key
			continue
		case b.bin == "":
			return runner.Outcome{ExitCode: 1, Stderr: cleanBuildOutput(b.out, absPage, page, mod.Dir)}, nil
		}
		bin = b.bin
		markSeen(dir, step, tc.Version)
		if failedStable != "" {
			markFailed(mod, failedStable)
		}
		break
	}
	if bin == "" {
		return runner.Outcome{}, errors.New("docrun: the Go program was not built")
	}
	env, wd, err := clients.SessionState(ctx, x)
	if err != nil {
		return runner.Outcome{}, err
	}
	if prog.Stable {
		env = clients.SetEnv(env, KubeconfigEnv, x.Kubeconfig)
	}
	return clients.Process{Path: bin, Env: env, Dir: wd, Live: x.Live, Timeout: timeout}.Run(ctx)
}

// release picks the version of the k8s.io release modules: the client-go
// release of the server's minor version, found once by the go command;
// the one docrun is built with when the minor is unknown or the go command
// cannot find it.
func (e *Executor) release(ctx context.Context, tc toolchain, minor int) (string, error) {
	builtin := e.Release
	if builtin == "" {
		builtin = builtinClientGo()
	}
	if minor <= 0 || minorOf(builtin) == minor {
		if builtin == "" {
			return "", errors.New("docrun: cannot tell which k8s.io/client-go release to build Go steps with")
		}
		return builtin, nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if v, ok := e.releases[minor]; ok {
		return v, nil
	}
	dir, err := e.dir()
	if err != nil {
		return "", err
	}
	v, err := resolveRelease(ctx, tc.Go, dir, minor)
	if err != nil || v == "" {
		v = builtin
	}
	if e.releases == nil {
		e.releases = map[int]string{}
	}
	e.releases[minor] = v
	if v == "" {
		return "", errors.New("docrun: cannot tell which k8s.io/client-go release to build Go steps with")
	}
	return v, nil
}

// key is the cache key of a program in the module as it is now.
func (m module) key(p program, goVersion string) string {
	goMod, goSum := m.sums()
	return cacheKey(p.Files, goMod, goSum, goVersion, platform())
}

// lookup returns the cached binary of key, or "".
func (m module) lookup(key string) string {
	bin := m.binary(key)
	fi, err := os.Stat(bin)
	if err != nil || !fi.Mode().IsRegular() {
		return ""
	}
	touch(bin, fi)
	return bin
}

func failedBefore(m module, key string) bool {
	_, err := os.Stat(m.binary(key) + ".failed")
	return err == nil
}

func markFailed(m module, key string) { _ = writeFileAtomic(m.binary(key)+".failed", nil) }

func markSeen(dir string, step *markdown.Step, goVersion string) {
	if step != nil {
		_ = writeFileAtomic(seenFile(dir, step.Code), nil)
	}
	_ = writeFileAtomic(lastToolchainFile(dir), []byte(goVersion+"\n"))
}

// built is the result of a build: the cached binary, or the go command's
// output when the program did not build.
type built struct {
	bin, out string
	timedOut bool
}

// build compiles a program in the module, with the module locked; err is
// for trouble with the cache itself.
func (e *Executor) build(ctx context.Context, tc toolchain, mod module, prog program, x *runner.Exec) (built, error) {
	timeout := e.BuildTimeout
	if timeout <= 0 {
		timeout = DefaultBuildTimeout
	}
	bctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	lock, err := lockFile(bctx, filepath.Join(mod.Dir, ".lock"))
	if err != nil {
		if ctx.Err() != nil {
			return built{}, nil
		}
		return built{}, fmt.Errorf("locking the Go step cache %s: %w", mod.Dir, err)
	}
	defer lock.Close()
	// Another docrun may have built it while this one waited.
	if hit := mod.lookup(mod.key(prog, tc.Version)); hit != "" {
		return built{bin: hit}, nil
	}
	prune(mod.Dir, maxAge)
	if x.Live.Stderr != nil {
		fmt.Fprintf(x.Live.Stderr, "docrun: building the program with %s and the k8s.io modules at %s; later runs use the cached binary\n", tc.Version, mod.Release)
	}
	if out, err := mod.ensure(bctx, tc.Go, tc.Version, requirements(prog.Imports, mod.Release)); err != nil {
		return buildFailure(bctx, out, err, timeout), nil
	}
	pkg := filepath.Join("s", sourceKey(prog.Files))
	for _, f := range prog.Files {
		if err := writeFileAtomic(filepath.Join(mod.Dir, pkg, f.Name), []byte(f.Text)); err != nil {
			return built{}, err
		}
	}
	tmp := tempName(mod.binary("step"))
	if err := os.MkdirAll(filepath.Dir(tmp), 0o755); err != nil {
		return built{}, err
	}
	defer os.Remove(tmp)
	args := []string{"build", "-o", tmp, "-ldflags=-s -w", "./" + filepath.ToSlash(pkg)}
	out, err := goCmd(bctx, tc.Go, mod.Dir, args...)
	if err != nil && bctx.Err() == nil && moduleTrouble(out) {
		if tidy, terr := goCmd(bctx, tc.Go, mod.Dir, "mod", "tidy", "-e"); terr != nil {
			out += tidy
		} else {
			out, err = goCmd(bctx, tc.Go, mod.Dir, args...)
		}
	}
	if err != nil {
		return buildFailure(bctx, out, err, timeout), nil
	}
	// -mod=mod may have added requirements: key the binary by the go.mod
	// and go.sum it was built with, which the next lookup reads.
	bin := mod.binary(mod.key(prog, tc.Version))
	if err := os.Rename(tmp, bin); err != nil {
		return built{}, err
	}
	return built{bin: bin}, nil
}

// buildFailure is the result of a failed go command, with the reason when
// the build ran out of time.
func buildFailure(ctx context.Context, out string, err error, timeout time.Duration) built {
	if ctx.Err() != nil {
		return built{out: out + fmt.Sprintf("docrun: the Go build did not finish within %s\n", timeout), timedOut: true}
	}
	if strings.TrimSpace(out) == "" {
		out = err.Error() + "\n"
	}
	return built{out: out}
}

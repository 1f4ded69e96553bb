package gostep

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// ModulePath is the module path of docrun's cache modules.
const ModulePath = "docrun.local/steps"

// builtinClientGo is the k8s.io/client-go version docrun is built with.
func builtinClientGo() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	for _, d := range bi.Deps {
		if d.Path == "k8s.io/client-go" {
			if d.Replace != nil && d.Replace.Version != "" {
				return d.Replace.Version
			}
			return d.Version
		}
	}
	return ""
}

// minorOf returns the minor of a v0.<minor>.<patch> version, or -1.
func minorOf(v string) int {
	parts := strings.Split(strings.TrimPrefix(v, "v"), ".")
	if len(parts) < 3 || parts[0] != "0" {
		return -1
	}
	n, err := strconv.Atoi(parts[1])
	if err != nil {
		return -1
	}
	return n
}

// goEnv is the environment of the go commands docrun runs in a cache
// module: the user's, with module mode on, go.mod updated as imports need
// (-mod=mod), the toolchain on PATH (no switching) and no workspace.
func goEnv() []string {
	var env []string
	flags := ""
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "GOFLAGS":
			for _, f := range strings.Fields(v) {
				if !strings.HasPrefix(f, "-mod=") && !strings.HasPrefix(f, "--mod=") {
					flags += " " + f
				}
			}
			continue
		case "GOTOOLCHAIN", "GOWORK", "GO111MODULE":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "GOFLAGS=-mod=mod"+flags, "GOTOOLCHAIN=local", "GOWORK=off", "GO111MODULE=on")
}

// goCmd runs the go command in dir and returns its combined output.
func goCmd(ctx context.Context, goPath, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, goPath, args...)
	cmd.Dir = dir
	cmd.Env = goEnv()
	cmd.WaitDelay = 5 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// resolveRelease returns the newest k8s.io/client-go release of a
// Kubernetes minor version (v0.<minor>.x), asking the go command once and
// remembering the answer in cacheDir/releases.
func resolveRelease(ctx context.Context, goPath, cacheDir string, minor int) (string, error) {
	file := filepath.Join(cacheDir, "releases", fmt.Sprintf("client-go-v0.%d", minor))
	if b, err := os.ReadFile(file); err == nil {
		if v := strings.TrimSpace(string(b)); minorOf(v) == minor {
			return v, nil
		}
	}
	if goPath == "" {
		return "", fmt.Errorf("no go command to find the client-go release of Kubernetes 1.%d", minor)
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	out, err := goCmd(ctx, goPath, filepath.Dir(file), "list", "-m", "-f", "{{.Version}}", fmt.Sprintf("k8s.io/client-go@v0.%d", minor))
	v := strings.TrimSpace(out)
	if err != nil || minorOf(v) != minor {
		return "", fmt.Errorf("finding k8s.io/client-go v0.%d: %v: %s", minor, err, v)
	}
	return v, writeFileAtomic(file, []byte(v+"\n"))
}

// module is one cache module: the steps built against one Kubernetes
// release with one Go language version.
type module struct {
	Dir string
	// Release is the version of the k8s.io release modules (v0.37.2).
	Release string
}

func newModule(cacheDir, release, goVersion string) module {
	return module{Dir: filepath.Join(cacheDir, "k8s-"+release+"_go"+lang(goVersion)), Release: release}
}

// sums returns the module's go.mod and go.sum (nil when absent).
func (m module) sums() (goMod, goSum []byte) {
	goMod, _ = os.ReadFile(filepath.Join(m.Dir, "go.mod"))
	goSum, _ = os.ReadFile(filepath.Join(m.Dir, "go.sum"))
	return goMod, goSum
}

// binary is the path of a cached binary.
func (m module) binary(key string) string { return filepath.Join(m.Dir, "bin", key) }

// ensure creates the module's go.mod and makes it require each of the
// release modules reqs ("k8s.io/client-go@v0.37.2") at that version; it
// runs go get only when one is missing. Call with the module locked.
func (m module) ensure(ctx context.Context, goPath, goVersion string, reqs []string) (string, error) {
	gomod := filepath.Join(m.Dir, "go.mod")
	if _, err := os.Stat(gomod); err != nil {
		text := fmt.Sprintf("module %s\n\ngo %s\n", ModulePath, strings.TrimPrefix(goVersion, "go"))
		if err := writeFileAtomic(gomod, []byte(text)); err != nil {
			return "", err
		}
	}
	b, err := os.ReadFile(gomod)
	if err != nil {
		return "", err
	}
	have := required(b)
	var missing []string
	for _, r := range reqs {
		path, version, _ := strings.Cut(r, "@")
		if have[path] != version {
			missing = append(missing, r)
		}
	}
	if len(missing) == 0 {
		return "", nil
	}
	return goCmd(ctx, goPath, m.Dir, append([]string{"get"}, missing...)...)
}

// required returns the module requirements of a go.mod: path -> version.
func required(gomod []byte) map[string]string {
	out := map[string]string{}
	inBlock := false
	for _, line := range strings.Split(string(gomod), "\n") {
		line, _, _ = strings.Cut(line, "//")
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
		case inBlock && f[0] == ")":
			inBlock = false
		case inBlock && len(f) >= 2:
			out[f[0]] = f[1]
		case f[0] == "require" && len(f) >= 2 && f[1] == "(":
			inBlock = true
		case f[0] == "require" && len(f) >= 3:
			out[f[1]] = f[2]
		}
	}
	return out
}

// moduleTrouble reports whether build output says the module's
// requirements are incomplete, which go mod tidy repairs.
func moduleTrouble(out string) bool {
	for _, s := range []string{"missing go.sum entry", "no required module provides package", "go mod tidy", "updates to go.mod needed"} {
		if strings.Contains(out, s) {
			return true
		}
	}
	return false
}

// cleanBuildOutput turns the go command's output for a failed build into
// what a reader needs: the package header lines go, and the page's path as
// the //line directive has it (absolute, or relative to dir, the folder go
// ran in, when go shortened it) is written as the runner names the page,
// so messages read "page.md:203: undefined: foo".
func cleanBuildOutput(out, absPage, page, dir string) string {
	forms := []string{absPage}
	if rel, err := filepath.Rel(dir, absPage); err == nil && dir != "" && filepath.IsAbs(absPage) {
		forms = append(forms, rel)
	}
	var b strings.Builder
	for _, line := range strings.SplitAfter(out, "\n") {
		if strings.HasPrefix(line, "# "+ModulePath+"/") || strings.HasPrefix(line, "# ["+ModulePath+"/") {
			continue
		}
		for _, f := range forms {
			if f != "" && f != page && strings.HasPrefix(line, f+":") {
				line = page + line[len(f):]
			} else if f != "" && f != page {
				line = strings.ReplaceAll(line, " "+f+":", " "+page+":")
			}
		}
		b.WriteString(line)
	}
	return b.String()
}

package clients

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/runner"
)

// NodeClient is the npm package of the JavaScript Kubernetes client and
// NodeClientVersion the version docrun setup javascript installs. 1.4.0 is
// the newest that runs on Node.js 20 (2.x needs Node.js 22.19).
const (
	NodeClient        = "@kubernetes/client-node"
	NodeClientVersion = "1.4.0"
)

// JavaScriptReason is why a JavaScript step is skipped before the client
// is installed.
const JavaScriptReason = "no JavaScript toolchain with the Kubernetes client configured (run: docrun setup javascript)"

// NodeDir is the docrun-managed folder the JavaScript client is installed
// in: CacheDir()/node.
func NodeDir() (string, error) {
	d, err := CacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "node"), nil
}

// JavaScript runs JavaScript steps with node, resolving the Kubernetes
// client from NodeDir. It never installs anything itself.
type JavaScript struct{}

// NewJavaScript returns the JavaScript executor.
func NewJavaScript() JavaScript { return JavaScript{} }

// Name is "javascript".
func (JavaScript) Name() string { return "javascript" }

// toolchain returns node's path and the node_modules folder holding the
// client, or the reason a step cannot run.
func (JavaScript) toolchain() (node, modules, why string) {
	node, err := exec.LookPath("node")
	if err != nil {
		return "", "", "no JavaScript toolchain with the Kubernetes client configured (node is not on PATH)"
	}
	dir, err := NodeDir()
	if err != nil {
		return "", "", JavaScriptReason
	}
	modules = filepath.Join(dir, "node_modules")
	if _, err := os.Stat(filepath.Join(modules, filepath.FromSlash(NodeClient), "package.json")); err != nil {
		return "", "", JavaScriptReason
	}
	return node, modules, ""
}

// Available says why a JavaScript step cannot run here, or "".
func (j JavaScript) Available(*markdown.Step) string {
	_, _, why := j.toolchain()
	return why
}

// Run writes the code to a file in the page's folder and runs it with node
// and the session's environment and working directory. The client resolves
// through NODE_PATH (require) and a node_modules link beside the file
// (import).
func (j JavaScript) Run(ctx context.Context, x *runner.Exec, _ *markdown.Step, code string, timeout time.Duration) (runner.Outcome, error) {
	node, modules, why := j.toolchain()
	if why != "" {
		return runner.Outcome{}, errString(why)
	}
	env, dir, err := SessionState(ctx, x)
	if err != nil {
		return runner.Outcome{}, err
	}
	file, tmp, err := writeScript(x, code, ".js")
	if err != nil {
		return runner.Outcome{}, err
	}
	defer os.RemoveAll(tmp)
	if err := os.Symlink(modules, filepath.Join(tmp, "node_modules")); err != nil {
		return runner.Outcome{}, err
	}
	np := modules
	if old, ok := LookEnv(env, "NODE_PATH"); ok && old != "" {
		np += string(os.PathListSeparator) + old
	}
	env = SetEnv(env, "NODE_PATH", np)
	return Process{Path: node, Args: []string{file}, Env: env, Dir: dir, Live: x.Live, Timeout: timeout}.Run(ctx)
}

// SetupJavaScript installs the JavaScript client into NodeDir with npm
// (npm install --prefix NodeDir NodeClient@NodeClientVersion), printing
// npm's output to out.
func SetupJavaScript(ctx context.Context, out io.Writer) error {
	npm, err := exec.LookPath("npm")
	if err != nil {
		return fmt.Errorf("npm is not on PATH: install Node.js and npm (Debian: apt-get install nodejs npm)")
	}
	if _, err := exec.LookPath("node"); err != nil {
		return fmt.Errorf("node is not on PATH: install Node.js (Debian: apt-get install nodejs)")
	}
	dir, err := NodeDir()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	pkg := NodeClient + "@" + NodeClientVersion
	args := []string{"install", "--prefix", dir, "--save-exact", "--no-audit", "--no-fund", pkg}
	fmt.Fprintf(out, "setup: npm %s\n", strings.Join(args, " "))
	cmd := exec.CommandContext(ctx, npm, args...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm install %s: %w", pkg, err)
	}
	if why := (JavaScript{}).Available(nil); why != "" {
		return fmt.Errorf("%s is installed in %s but does not resolve: %s", pkg, dir, why)
	}
	fmt.Fprintf(out, "setup: %s installed in %s; JavaScript steps run with node\n", pkg, dir)
	return nil
}

// Package clients runs the client-library programs of a page (Python,
// JavaScript) as processes with the page's environment, and installs the
// JavaScript client on request (docrun setup javascript). Its Process is
// also how the Go executor runs a compiled step.
package clients

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/docrun/docrun/runner"
	"github.com/docrun/docrun/runner/session"
)

// CacheEnv names the environment variable that moves docrun's cache
// (default: os.UserCacheDir()/docrun).
const CacheEnv = "DOCRUN_CACHE_DIR"

// CacheDir is the root of docrun's cache: $DOCRUN_CACHE_DIR, else
// os.UserCacheDir()/docrun.
func CacheDir() (string, error) {
	if d := os.Getenv(CacheEnv); d != "" {
		return filepath.Abs(d)
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "docrun"), nil
}

// killDelay is how long a process's output may stay open after it exited or
// was killed (a grandchild holding stdout) before docrun stops reading.
const killDelay = 2 * time.Second

// Process is one run of a client program.
type Process struct {
	// Path is the program, Args its arguments (without the program).
	Path string
	Args []string
	// Env and Dir are the environment and working directory: the page's
	// session at this point.
	Env []string
	Dir string
	// Live receives output as it is produced.
	Live session.Output
	// Timeout bounds the run; 0 means none besides ctx.
	Timeout time.Duration
}

// Run runs the program in a process group of its own with stdin from
// /dev/null, and kills the whole group when the timeout passes or ctx ends.
// A timed-out run has ExitCode 124, an interrupted one 130. The error is
// non-nil only when the program could not be started.
func (p Process) Run(ctx context.Context) (runner.Outcome, error) {
	tctx := ctx
	cancel := func() {}
	if p.Timeout > 0 {
		tctx, cancel = context.WithTimeout(ctx, p.Timeout)
	}
	defer cancel()
	cmd := exec.CommandContext(tctx, p.Path, p.Args...)
	cmd.Env, cmd.Dir = p.Env, p.Dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = killDelay
	var stdout, stderr bytes.Buffer
	cmd.Stdout = tee(&stdout, p.Live.Stdout)
	cmd.Stderr = tee(&stderr, p.Live.Stderr)
	err := cmd.Run()
	out := runner.Outcome{Stdout: stdout.String(), Stderr: stderr.String()}
	switch {
	case ctx.Err() != nil:
		out.Canceled, out.ExitCode = true, 130
	case tctx.Err() != nil:
		out.TimedOut, out.ExitCode = true, 124
	case err == nil, errors.Is(err, exec.ErrWaitDelay):
		out.ExitCode = cmd.ProcessState.ExitCode()
	default:
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			return out, err
		}
		out.ExitCode = ee.ExitCode()
		if out.ExitCode < 0 {
			// Killed by a signal: report it as a shell would (128+n).
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				out.ExitCode = 128 + int(ws.Signal())
			} else {
				out.ExitCode = 1
			}
		}
	}
	return out, nil
}

func tee(buf *bytes.Buffer, live io.Writer) io.Writer {
	if live == nil {
		return buf
	}
	return io.MultiWriter(buf, live)
}

// SessionState returns the environment and working directory a client
// program runs with: the page's shell at this point, or this process's
// environment and dir when there is no session.
func SessionState(ctx context.Context, x *runner.Exec) ([]string, string, error) {
	if x.Session == nil {
		env := os.Environ()
		if x.Kubeconfig != "" {
			env = SetEnv(env, "KUBECONFIG", x.Kubeconfig)
		}
		return env, x.Dir, nil
	}
	return x.Session.State(ctx)
}

// SetEnv returns env with name set to value, replacing earlier values.
func SetEnv(env []string, name, value string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k != name {
			out = append(out, kv)
		}
	}
	return append(out, name+"="+value)
}

// LookEnv returns the value of name in env.
func LookEnv(env []string, name string) (string, bool) {
	for i := len(env) - 1; i >= 0; i-- {
		if k, v, _ := strings.Cut(env[i], "="); k == name {
			return v, true
		}
	}
	return "", false
}

// writeScript writes a step's code to a file in a new folder in the page's
// folder, padded with blank lines so that the interpreter's line numbers are
// the page's: the code starts on the line after the step's fence. The file
// is named after the page, so tracebacks read
// "access-cluster-api.md.py", line 220. The caller removes dir.
func writeScript(x *runner.Exec, code, ext string) (path, dir string, err error) {
	base := x.Dir
	if base == "" {
		base = os.TempDir()
	}
	dir, err = os.MkdirTemp(base, "client-step-")
	if err != nil {
		return "", "", err
	}
	name := "step"
	if x.Page != "" {
		name = filepath.Base(x.Page)
	}
	path = filepath.Join(dir, name+ext)
	src := strings.Repeat("\n", max(x.Line, 0)) + code
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		os.RemoveAll(dir)
		return "", "", err
	}
	return path, dir, nil
}

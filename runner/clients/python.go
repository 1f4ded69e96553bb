package clients

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/runner"
)

// PythonReason is why a Python step is skipped when no interpreter has the
// Kubernetes client.
const PythonReason = "no Python toolchain with the Kubernetes client configured " +
	"(no python3 here can import kubernetes: install python3-kubernetes or pip install kubernetes)"

// DefaultPythons are the interpreters probed in order: python3 on PATH,
// then Debian's, for which python3-kubernetes installs the client.
var DefaultPythons = []string{"python3", "/usr/bin/python3"}

// probeTimeout bounds one `python3 -c 'import kubernetes'`.
const probeTimeout = 30 * time.Second

// Python runs Python steps with the first python3 that can import the
// Kubernetes client. The probe runs once per Python value.
type Python struct {
	// Candidates are the interpreters to probe, in order; nil means
	// DefaultPythons. A name without a slash is looked up on PATH.
	Candidates []string

	once sync.Once
	path string
}

// NewPython returns a Python executor probing DefaultPythons.
func NewPython() *Python { return &Python{} }

// Name is "python".
func (*Python) Name() string { return "python" }

// Interpreter returns the path of the python3 that can import kubernetes,
// or "" when none can.
func (p *Python) Interpreter() string {
	p.once.Do(func() {
		cands := p.Candidates
		if cands == nil {
			cands = DefaultPythons
		}
		p.path = probePython(cands)
	})
	return p.path
}

// probePython returns the first candidate that runs and imports kubernetes.
func probePython(cands []string) string {
	seen := map[string]bool{}
	for _, c := range cands {
		path, err := exec.LookPath(c)
		if err != nil {
			continue
		}
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		if seen[path] {
			continue
		}
		seen[path] = true
		ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
		err = exec.CommandContext(ctx, path, "-c", "import kubernetes").Run()
		cancel()
		if err == nil {
			return path
		}
	}
	return ""
}

// Available says why a Python step cannot run here, or "".
func (p *Python) Available(*markdown.Step) string {
	if p.Interpreter() == "" {
		return PythonReason
	}
	return ""
}

// Run writes the code to a file in the page's folder and runs it with the
// session's environment (the isolated KUBECONFIG, which the client's
// config.load_kube_config() reads) and working directory.
func (p *Python) Run(ctx context.Context, x *runner.Exec, _ *markdown.Step, code string, timeout time.Duration) (runner.Outcome, error) {
	py := p.Interpreter()
	if py == "" {
		return runner.Outcome{}, errString(PythonReason)
	}
	env, dir, err := SessionState(ctx, x)
	if err != nil {
		return runner.Outcome{}, err
	}
	file, tmp, err := writeScript(x, code, ".py")
	if err != nil {
		return runner.Outcome{}, err
	}
	defer os.RemoveAll(tmp)
	env = SetEnv(env, "PYTHONUNBUFFERED", "1")
	env = SetEnv(env, "PYTHONDONTWRITEBYTECODE", "1")
	return Process{Path: py, Args: []string{file}, Env: env, Dir: dir, Live: x.Live, Timeout: timeout}.Run(ctx)
}

type errString string

func (e errString) Error() string { return string(e) }

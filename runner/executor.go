package runner

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/runner/session"
)

// Exec is what an executor needs of the page being run.
type Exec struct {
	// Session is the page's bash: shell steps run in it, and other
	// executors read the environment and working directory from it.
	Session *session.Session
	// Dir is the page's working folder; Kubeconfig the isolated copy.
	Dir        string
	Kubeconfig string
	// Page is the page's path and Line the step's line, for messages.
	Page string
	Line int
	// Live receives output as it is produced.
	Live session.Output
	// ServerMinor is the cluster's Kubernetes minor version (37 for
	// v1.37.2), or 0 when unknown; the Go executor builds against the
	// matching client-go release.
	ServerMinor int
}

// Outcome is what running a step produced.
type Outcome struct {
	ExitCode int
	Stdout   string
	Stderr   string
	TimedOut bool
	Canceled bool
	// Ended says the shell session ended during the step.
	Ended bool
}

// Executor runs steps of some languages.
type Executor interface {
	// Name names the executor ("shell", "go", ...).
	Name() string
	// Available returns "" when the step can run here, else the reason it
	// cannot ("no Java toolchain with the Kubernetes client configured").
	Available(step *markdown.Step) string
	// Run runs code (the step's code after bindings and substitutions).
	Run(ctx context.Context, x *Exec, step *markdown.Step, code string, timeout time.Duration) (Outcome, error)
}

// Registry maps step languages to executors, with a fallback that reports
// a step as not runnable here instead of failing it.
type Registry struct {
	mu    sync.RWMutex
	byKey map[string]Executor
}

// NewRegistry returns a registry with the shell executor.
func NewRegistry() *Registry {
	r := &Registry{byKey: map[string]Executor{}}
	r.Register(ShellExecutor{}, "command")
	return r
}

// Register makes e run steps of the given keys: a step kind ("command",
// "go") or a client language ("python", "javascript").
func (r *Registry) Register(e Executor, keys ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, k := range keys {
		r.byKey[k] = e
	}
}

// Names lists the registered keys.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []string
	for k := range r.byKey {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Get returns the executor of a step, or the fallback.
func (r *Registry) Get(step *markdown.Step) Executor {
	r.mu.RLock()
	defer r.mu.RUnlock()
	key := string(step.Kind)
	if step.Kind == markdown.KindClient {
		key = ClientLanguage(step.Lang)
	}
	if e, ok := r.byKey[key]; ok {
		return e
	}
	return fallback{}
}

// ClientLanguage is the canonical name of a client program's fence
// language ("py" -> "python", "cs" -> "csharp").
func ClientLanguage(lang string) string {
	switch l := strings.ToLower(lang); l {
	case "py", "python3":
		return "python"
	case "js", "node":
		return "javascript"
	case "cs", "c#", "dotnet":
		return "csharp"
	case "hs":
		return "haskell"
	case "golang":
		return "go"
	default:
		return l
	}
}

// fallback is the executor of languages nothing else runs.
type fallback struct{}

func (fallback) Name() string { return "none" }

func (fallback) Available(step *markdown.Step) string {
	lang := ClientLanguage(step.Lang)
	if step.Kind == markdown.KindGo {
		lang = "go"
	}
	names := map[string]string{"java": "Java", "csharp": ".NET", "haskell": "Haskell", "go": "Go",
		"python": "Python", "javascript": "JavaScript", "typescript": "TypeScript", "ruby": "Ruby"}
	name := names[lang]
	if name == "" {
		name = lang
	}
	return fmt.Sprintf("no %s toolchain with the Kubernetes client configured", name)
}

func (fallback) Run(context.Context, *Exec, *markdown.Step, string, time.Duration) (Outcome, error) {
	return Outcome{}, fmt.Errorf("not runnable here")
}

// ShellExecutor runs command steps in the page's bash session.
type ShellExecutor struct{}

// Name is "shell".
func (ShellExecutor) Name() string { return "shell" }

// Available is always "": bash is checked when the session starts.
func (ShellExecutor) Available(*markdown.Step) string { return "" }

// Run evaluates the code in the session.
func (ShellExecutor) Run(ctx context.Context, x *Exec, _ *markdown.Step, code string, timeout time.Duration) (Outcome, error) {
	r, err := x.Session.Run(ctx, code, timeout, x.Live)
	if err != nil {
		return Outcome{Ended: true}, err
	}
	return Outcome{ExitCode: r.ExitCode, Stdout: r.Stdout, Stderr: r.Stderr, TimedOut: r.TimedOut, Canceled: r.Canceled, Ended: r.Ended}, nil
}

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/docrun/docrun/runner/clustertest"
)

// clientStep is the part of a step's result the client tests read.
type clientStep struct {
	Index      int    `json:"index"`
	Line       int    `json:"line"`
	Kind       string `json:"kind"`
	Lang       string `json:"lang"`
	Status     string `json:"status"`
	ExitCode   int    `json:"exit_code"`
	Stdout     string `json:"stdout"`
	Stderr     string `json:"stderr"`
	SkipReason string `json:"skip_reason"`
}

// clientSteps returns the steps of the single page of a run, by language.
func clientSteps(t *testing.T, o runOut) map[string]clientStep {
	t.Helper()
	var res struct {
		Pages []struct {
			Steps []clientStep `json:"steps"`
		} `json:"pages"`
	}
	if err := json.Unmarshal([]byte(o.stdout), &res); err != nil || len(res.Pages) != 1 {
		t.Fatalf("result: %v\n%s\nstderr:\n%s", err, o.stdout, o.stderr)
	}
	out := map[string]clientStep{}
	for _, s := range res.Pages[0].Steps {
		if s.Kind != "command" {
			out[strings.ToLower(s.Lang)] = s
		}
	}
	return out
}

// docrunCache gives the test a docrun cache of its own, so the first Go
// build starts from an empty cache (the Go build cache stays the user's).
func docrunCache(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("DOCRUN_CACHE_DIR", dir)
	return dir
}

// setupJavaScript runs docrun setup javascript; it returns why the client
// could not be installed, "" when it was.
func setupJavaScript(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("npm"); err != nil {
		return "npm is not on PATH (install Node.js and npm: apt-get install nodejs npm)"
	}
	out, err := exec.Command(docrunBinary(t), "setup", "javascript").CombinedOutput()
	if err != nil {
		t.Fatalf("docrun setup javascript: %v\n%s", err, out)
	}
	return ""
}

// pythonWithClient reports whether a python3 that docrun probes can import
// kubernetes.
func pythonWithClient() bool {
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(py, "-c", "import kubernetes").Run() == nil {
			return true
		}
	}
	return false
}

// pathWithoutGo returns a folder of links to the commands a run needs
// (bash and coreutils), without go.
func pathWithoutGo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, c := range []string{"bash", "sh", "env", "cat", "ls", "mkdir", "rm", "printf", "sleep", "grep", "sed", "head", "tail", "tr", "basename", "dirname", "kubectl"} {
		p, err := exec.LookPath(c)
		if err != nil {
			continue
		}
		if err := os.Symlink(p, filepath.Join(dir, c)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var podCount = regexp.MustCompile(`^There are \d+ pods in the cluster\n$`)

// TestClientPrograms runs the reference page (ja and en) with every client
// toolchain docrun supports: the Go, Python and JavaScript programs pass,
// Java, C# and Haskell are skipped with their reasons, and a second run of
// the Go step uses the cached binary without any go command on PATH.
func TestClientPrograms(t *testing.T) {
	env := clustertest.Require(t)
	docrunCache(t)
	jsMissing := setupJavaScript(t)
	hasPython := pythonWithClient()
	for _, lang := range []string{"ja", "en"} {
		t.Run(lang, func(t *testing.T) {
			page := corpusPage(t, "content/"+lang+"/docs/tasks/administer-cluster/access-cluster-api.md")
			before := mustRead(t, env.Kubeconfig)
			o := docrun(t, env, "--offline", "--yes", page)
			if o.code != 0 {
				t.Errorf("exit %d\n%s", o.code, o.stderr)
			}
			steps := clientSteps(t, o)
			t.Run("go", func(t *testing.T) {
				s := steps["golang"]
				if s.Status != "passed" || !podCount.MatchString(s.Stdout) {
					t.Errorf("go step: %s (exit %d)\nstdout %q\nstderr %s", s.Status, s.ExitCode, s.Stdout, s.Stderr)
				}
			})
			t.Run("python", func(t *testing.T) {
				s := steps["python"]
				if !hasPython {
					if s.Status != "skipped" || !strings.Contains(s.SkipReason, "no Python toolchain") {
						t.Errorf("python step without the client: %s %q", s.Status, s.SkipReason)
					}
					t.Skip("no python3 here can import kubernetes (apt-get install python3-kubernetes)")
				}
				if s.Status != "passed" || !strings.HasPrefix(s.Stdout, "Listing pods with their IPs:\n") {
					t.Errorf("python step: %s (exit %d)\nstdout %q\nstderr %s", s.Status, s.ExitCode, s.Stdout, s.Stderr)
				}
			})
			t.Run("javascript", func(t *testing.T) {
				s := steps["javascript"]
				if jsMissing != "" {
					if s.Status != "skipped" || !strings.Contains(s.SkipReason, "docrun setup javascript") {
						t.Errorf("javascript step without the client: %s %q", s.Status, s.SkipReason)
					}
					t.Skip("the JavaScript client could not be set up: " + jsMissing)
				}
				if s.Status != "passed" || !strings.Contains(s.Stdout, "PodList") {
					t.Errorf("javascript step: %s (exit %d)\nstdout %q\nstderr %s", s.Status, s.ExitCode, s.Stdout, s.Stderr)
				}
			})
			t.Run("skipped", func(t *testing.T) {
				for l, reason := range map[string]string{
					"java":    "no Java toolchain with the Kubernetes client configured",
					"csharp":  "no .NET toolchain with the Kubernetes client configured",
					"haskell": "fragment: no main",
				} {
					if s := steps[l]; s.Status != "skipped" || s.SkipReason != reason {
						t.Errorf("%s step: %s %q, want skipped %q", l, s.Status, s.SkipReason, reason)
					}
				}
			})
			checkClean(t, env, before)
			if lang != "en" {
				return
			}
			t.Run("cached without go", func(t *testing.T) {
				first := steps["golang"]
				t.Setenv("PATH", pathWithoutGo(t))
				if p, err := exec.LookPath("go"); err == nil {
					t.Fatalf("go is still on PATH: %s", p)
				}
				o := docrun(t, env, "--offline", "--yes", "--step", fmt.Sprint(first.Index), page)
				s := clientSteps(t, o)["golang"]
				if o.code != 0 || s.Status != "passed" || !podCount.MatchString(s.Stdout) {
					t.Errorf("cached run: exit %d, %s\nstdout %q\nstderr %s\n%s", o.code, s.Status, s.Stdout, s.Stderr, o.stderr)
				}
			})
		})
	}
}

// TestGoCompileError checks that a Go step that does not compile fails
// with the compiler's messages at the page's lines, and that a fragment is
// skipped, not failed.
func TestGoCompileError(t *testing.T) {
	env := clustertest.Require(t)
	docrunCache(t)
	page := pageOf(
		"Some text.\n\n",
		"```go\npackage main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(foo)\n}\n```\n\n",
		"```go\nfmt.Println(\"a fragment\")\n```\n\n",
	)
	dir := site(t, map[string]string{"content/en/docs/bad.md": page})
	path := filepath.Join(dir, "content/en/docs/bad.md")
	line := 0
	for i, l := range strings.Split(page, "\n") {
		if strings.Contains(l, "fmt.Println(foo)") {
			line = i + 1
		}
	}
	o := docrun(t, env, "--offline", "--yes", path)
	if o.code != 1 {
		t.Errorf("exit %d, want 1\n%s", o.code, o.stderr)
	}
	var steps []clientStep
	var res struct {
		Pages []struct{ Steps []clientStep } `json:"pages"`
	}
	if err := json.Unmarshal([]byte(o.stdout), &res); err != nil || len(res.Pages) != 1 {
		t.Fatalf("result: %v\n%s", err, o.stdout)
	}
	steps = res.Pages[0].Steps
	want := fmt.Sprintf("%s:%d: undefined: foo", path, line)
	if s := steps[0]; s.Status != "failed" || s.ExitCode != 1 || !strings.Contains(s.Stderr, want) {
		t.Errorf("compile error: %s (exit %d), stderr %q, want %q", s.Status, s.ExitCode, s.Stderr, want)
	}
	if s := steps[1]; s.Status != "skipped" || !strings.HasPrefix(s.SkipReason, "fragment:") {
		t.Errorf("fragment: %s %q", s.Status, s.SkipReason)
	}
	if bytes.Contains([]byte(steps[0].Stderr), []byte("docrun.local")) {
		t.Errorf("stderr names the cache module: %s", steps[0].Stderr)
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/docrun/docrun/runner/clustertest"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// docrunBinary builds docrun once per test process.
func docrunBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "docrun-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "docrun")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = &buildError{out: string(out), err: err}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return e.err.Error() + ": " + e.out }

// result is the part of the run result JSON the tests read.
type result struct {
	Pages []struct {
		Path    string   `json:"path"`
		Error   string   `json:"error"`
		Leaks   []string `json:"leaks"`
		Cluster struct {
			Namespace string `json:"namespace"`
			Version   string `json:"version"`
		} `json:"cluster"`
		Steps []struct {
			Index      int    `json:"index"`
			Kind       string `json:"kind"`
			Code       string `json:"code"`
			Status     string `json:"status"`
			ExitCode   int    `json:"exit_code"`
			Stdout     string `json:"stdout"`
			Stderr     string `json:"stderr"`
			Verdict    string `json:"verdict"`
			Diff       string `json:"diff"`
			SkipReason string `json:"skip_reason"`
			Note       string `json:"note"`
			Reason     string `json:"reason"`
			Setup      string `json:"setup"`
			Ran        string `json:"ran"`
			Network    bool   `json:"network"`
			Bindings   []struct {
				Name, Value, Source, Description string
				Secret                           bool
			} `json:"bindings"`
			Place []string `json:"placeholders"`
		} `json:"steps"`
	} `json:"pages"`
	Summary struct {
		Passed, Failed, Skipped, Timeout int
	} `json:"summary"`
	Leaks   []string `json:"leaks"`
	Deleted bool     `json:"leaks_deleted"`
}

type runOut struct {
	code           int
	stdout, stderr string
	res            result
}

// docrun runs the binary with the test's kubeconfig and -o json.
func docrun(t *testing.T, env *clustertest.Env, args ...string) runOut {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, docrunBinary(t), append([]string{"run", "-o", "json", "--kubeconfig", env.Kubeconfig}, args...)...)
	cmd.Env = append(os.Environ(), "PATH="+env.Bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	o := runOut{stdout: stdout.String(), stderr: stderr.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		o.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if o.stdout != "" {
		if err := json.Unmarshal(stdout.Bytes(), &o.res); err != nil {
			t.Fatalf("result is not JSON: %v\n%s\nstderr:\n%s", err, o.stdout, o.stderr)
		}
	}
	return o
}

func corpusPage(t *testing.T, rel string) string {
	p := filepath.Join("..", "..", "..", "shared", "corpus", rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("corpus page %s not found (../shared is absent): %v", rel, err)
	}
	return p
}

// checkClean checks that no docrun namespace and no process of a page is
// left, and that the kubeconfig is unchanged.
func checkClean(t *testing.T, env *clustertest.Env, kubeconfigBefore []byte) {
	t.Helper()
	after, err := os.ReadFile(env.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(after, kubeconfigBefore) {
		t.Errorf("the kubeconfig was changed")
	}
	// A namespace docrun deleted may still be Terminating when docrun
	// exits (it waits a bounded time, 5 s after an interrupt, and lists
	// the rest in the result's terminating): its deletion must finish.
	deadline := time.Now().Add(90 * time.Second)
	for {
		nss, err := env.Client.CoreV1().Namespaces().List(context.Background(), metav1.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var left []corev1.Namespace
		terminating := false
		for _, ns := range nss.Items {
			if strings.HasPrefix(ns.Name, "docrun-") && !strings.HasPrefix(ns.Name, "docrun-test-") {
				left = append(left, ns)
				terminating = terminating || ns.Status.Phase == corev1.NamespaceTerminating
			}
		}
		if !terminating || time.Now().After(deadline) {
			for _, ns := range left {
				t.Errorf("namespace %s left behind (%s)", ns.Name, ns.Status.Phase)
			}
			break
		}
		time.Sleep(time.Second)
	}
	// Only a page's proxies: other test packages run at the same time, and
	// one of them runs its own.
	for _, p := range processesWith("DOCRUN_SESSION=") {
		if strings.HasPrefix(p.cmdline, "kubectl proxy") {
			t.Errorf("kubectl proxy of a page left running: %d %s", p.pid, p.cmdline)
		}
	}
}

// TestReferencePage runs the reference page (ja and en) as CI would.
func TestReferencePage(t *testing.T) {
	env := clustertest.Require(t)
	for _, lang := range []string{"ja", "en"} {
		t.Run(lang, func(t *testing.T) {
			page := corpusPage(t, "content/"+lang+"/docs/tasks/administer-cluster/access-cluster-api.md")
			before, _ := os.ReadFile(env.Kubeconfig)
			o := docrun(t, env, "--offline", "--yes", page)
			if o.code != 0 {
				t.Errorf("exit %d\n%s", o.code, o.stderr)
			}
			if len(o.res.Pages) != 1 {
				t.Fatalf("pages: %+v", o.res.Pages)
			}
			p := o.res.Pages[0]
			apis := 0
			for _, s := range p.Steps {
				if s.Kind != "command" {
					continue
				}
				if strings.Contains(s.Code, "git clone") {
					if s.Status != "skipped" || !strings.Contains(s.SkipReason, "internet") {
						t.Errorf("java clone: %s %q", s.Status, s.SkipReason)
					}
					continue
				}
				if s.Status != "passed" {
					t.Errorf("step %d %s (exit %d): %q\nstdout %s\nstderr %s", s.Index, s.Status, s.ExitCode, s.Code, s.Stdout, s.Stderr)
				}
				if strings.Contains(s.Code, "/api") && strings.Contains(s.Code, "curl") {
					apis++
					if s.Verdict != "similar" {
						t.Errorf("step %d verdict %s, want similar\n%s\nstdout %s", s.Index, s.Verdict, s.Diff, s.Stdout)
					}
				}
			}
			if apis != 2 {
				t.Errorf("found %d /api steps, want 2", apis)
			}
			checkClean(t, env, before)
		})
	}
}

// process is a running process.
type process struct {
	pid     int
	cmdline string
}

// processesWith returns the processes whose environment has a variable
// starting with prefix (NAME= or NAME=value).
func processesWith(prefix string) []process {
	var out []process
	procs, _ := filepath.Glob("/proc/[0-9]*/environ")
	for _, p := range procs {
		env, err := os.ReadFile(p)
		if err != nil || !bytes.Contains(append([]byte{0}, env...), append([]byte{0}, prefix...)) {
			continue
		}
		pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(p)))
		if pid == os.Getpid() {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join(filepath.Dir(p), "cmdline"))
		out = append(out, process{pid: pid, cmdline: strings.TrimSpace(string(bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '})))})
	}
	return out
}

package gostep

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/runner"
	"github.com/docrun/docrun/runner/clients"
	"github.com/docrun/docrun/runner/clustertest"
	"github.com/docrun/docrun/runner/session"
)

// referencePage is the page whose Go step the benchmark runs.
const referencePage = "../../../shared/corpus/content/en/docs/tasks/administer-cluster/access-cluster-api.md"

var podCount = regexp.MustCompile(`^There are \d+ pods in the cluster\n$`)

// BenchmarkReferenceGoStep runs the reference page's Go step against the
// local cluster, re-run from docrun's warm cache (the Executor, with the
// page's shell session) and with `go run .` in a warm module holding the
// same file and requirements. It reports the milliseconds of each per
// run, the speedup, and the seconds of the first build with an empty
// docrun cache (the Go build cache is the user's, as it is for a reader
// who built docrun). The cluster is needed: DOCRUN_E2E=1 (make bench).
func BenchmarkReferenceGoStep(b *testing.B) {
	env := clustertest.Require(b)
	page, err := markdown.ParsePage(referencePage, markdown.Options{})
	if err != nil {
		b.Skipf("reference page: %v", err)
	}
	var step *markdown.Step
	for i := range page.Doc.Steps {
		if s := &page.Doc.Steps[i]; s.Kind == markdown.KindGo && s.Runnable {
			step = s
			break
		}
	}
	if step == nil {
		b.Fatal("the reference page has no runnable Go step")
	}
	code := strings.ReplaceAll(step.Code, "<path-to-kubeconfig>", env.Kubeconfig)

	dir := b.TempDir()
	sess, err := session.Start(session.Options{Dir: dir, Env: clients.SetEnv(os.Environ(), "KUBECONFIG", env.Kubeconfig)})
	if err != nil {
		b.Fatal(err)
	}
	defer sess.Close()
	e := &Executor{CacheDir: b.TempDir(), Release: moduleRelease(b)}
	x := &runner.Exec{Session: sess, Dir: dir, Kubeconfig: env.Kubeconfig, Page: referencePage, Line: step.Line}
	ctx := context.Background()
	runStep := func() {
		out, err := e.Run(ctx, x, step, code, time.Minute)
		if err != nil || out.ExitCode != 0 || !podCount.MatchString(out.Stdout) {
			b.Fatalf("go step: %v exit %d\nstdout %q\nstderr %s", err, out.ExitCode, out.Stdout, out.Stderr)
		}
	}
	start := time.Now()
	runStep()
	firstBuild := time.Since(start)

	// The same file in a module of its own with the same requirements,
	// warmed by one go run.
	mod := filepath.Join(b.TempDir(), "podcount")
	cached, _ := filepath.Glob(filepath.Join(e.CacheDir, "k8s-*", "go.*"))
	if err := os.MkdirAll(mod, 0o755); err != nil {
		b.Fatal(err)
	}
	for _, f := range cached {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(mod, filepath.Base(f)), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(mod, "main.go"), []byte(code), 0o644); err != nil {
		b.Fatal(err)
	}
	goRun := func() {
		cmd := exec.Command("go", "run", ".")
		cmd.Dir = mod
		out, err := cmd.CombinedOutput()
		if err != nil || !podCount.Match(out) {
			b.Fatalf("go run: %v\n%s", err, out)
		}
	}
	goRun()
	runStep()

	var cachedTime, goRunTime time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		runStep()
		t1 := time.Now()
		goRun()
		cachedTime += t1.Sub(t0)
		goRunTime += time.Since(t1)
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(float64(cachedTime.Milliseconds())/n, "cached-ms")
	b.ReportMetric(float64(goRunTime.Milliseconds())/n, "go-run-ms")
	b.ReportMetric(float64(goRunTime)/float64(cachedTime), "speedup")
	b.ReportMetric(firstBuild.Seconds(), "first-build-s")
}

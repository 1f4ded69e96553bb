package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/docrun/docrun/runner/clustertest"
)

// TestWalkTmux walks the project's own content page in a detached tmux
// session of 80x24: runs three steps, skips one, quits, and checks the
// screen and that nothing of the page is left.
func TestWalkTmux(t *testing.T) {
	env := clustertest.Require(t)
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (Debian package tmux)")
	}
	bin := docrunBinary(t)
	page, err := filepath.Abs(filepath.Join("..", "..", "content", "en", "docs", "tasks", "access-cluster", "access-api-with-docrun.md"))
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(env.Kubeconfig)
	sock := fmt.Sprintf("docrun-walk-%d", os.Getpid())
	tmux := func(args ...string) (string, error) {
		out, err := exec.Command("tmux", append([]string{"-L", sock}, args...)...).CombinedOutput()
		return string(out), err
	}
	script := fmt.Sprintf("PATH=%s:$PATH NO_COLOR=1 %s walk --offline --kubeconfig %s %s; echo walk-exit=$?; sleep 600",
		shellQuote(env.Bin), shellQuote(bin), shellQuote(env.Kubeconfig), shellQuote(page))
	if out, err := tmux("new-session", "-d", "-x", "80", "-y", "24", "-s", "walk", "sh -c "+shellQuote(script)); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	t.Cleanup(func() { tmux("kill-server") })
	screen := func() string {
		out, _ := tmux("capture-pane", "-p", "-J", "-S", "-1000", "-t", "walk")
		return out
	}
	wait := func(what string, ok func(string) bool) string {
		t.Helper()
		deadline := time.Now().Add(90 * time.Second)
		for time.Now().Before(deadline) {
			if s := screen(); ok(s) {
				return s
			}
			time.Sleep(200 * time.Millisecond)
		}
		t.Fatalf("timed out waiting for %s; screen:\n%s", what, screen())
		return ""
	}
	prompts := func(n int) func(string) bool {
		return func(s string) bool { return strings.Count(s, "[Enter] run") >= n }
	}
	send := func(keys ...string) {
		t.Helper()
		if out, err := tmux(append([]string{"send-keys", "-t", "walk"}, keys...)...); err != nil {
			t.Fatalf("send-keys: %v: %s", err, out)
		}
	}
	sid, err := tmux("display-message", "-p", "-t", "walk", "#{pane_pid}")
	if err != nil {
		t.Fatalf("pane pid: %v: %s", err, sid)
	}
	sid = strings.TrimSpace(sid)
	// The page's processes are in the pane's session (docrun makes process
	// groups, not sessions): other tests' proxies do not count.
	proxies := func() string {
		out, _ := exec.Command("pgrep", "-s", sid, "-af", "kubectl proxy").Output()
		return strings.TrimSpace(string(out))
	}
	wait("the first step", prompts(1))
	for i := 2; i <= 4; i++ {
		send("Enter")
		wait(fmt.Sprintf("prompt %d", i), prompts(i))
	}
	if proxies() == "" {
		t.Errorf("the proxy step did not leave kubectl proxy running in the pane's session")
	}
	// On a terminal a key needs no Enter.
	send("s")
	wait("prompt 5", prompts(5))
	send("q")
	s := wait("the end", func(s string) bool { return strings.Contains(s, "walk-exit=") })
	t.Log(s)
	for _, want := range []string{
		"Access the Kubernetes API",
		"## View your kubeconfig",
		"Print the configuration that kubectl is currently using:",
		"    kubectl config view",
		"## Send requests through kubectl proxy",
		"    kubectl proxy --port=8080 &",
		"    curl http://localhost:8080/api/",
		`"kind": "APIVersions"`,
		"## Authenticate with a bearer token",
		"  skipped",
		"summary: 7 steps: 3 passed, 0 failed, 1 skipped, 0 timeout, 3 not reached",
		"walk-exit=0",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q", want)
		}
	}
	if n := strings.Count(s, "=> passed"); n != 3 {
		t.Errorf("%d steps passed on screen, want 3", n)
	}
	if p := proxies(); p != "" {
		t.Errorf("kubectl proxy left running after q: %s", p)
	}
	m := regexp.MustCompile(`namespace: (docrun-[0-9a-f]+)`).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no namespace on screen")
	}
	if ns, err := env.Client.CoreV1().Namespaces().Get(context.Background(), m[1], metav1.GetOptions{}); err == nil {
		t.Errorf("namespace %s left behind (%s)", m[1], ns.Status.Phase)
	} else if !apierrors.IsNotFound(err) {
		t.Error(err)
	}
	// checkClean looks at the whole cluster and machine: meaningful when no
	// other docrun runs at the same time.
	if os.Getenv("DOCRUN_WALK_CHECK_CLEAN") != "" {
		checkClean(t, env, before)
	} else if after, _ := os.ReadFile(env.Kubeconfig); string(after) != string(before) {
		t.Errorf("the kubeconfig was changed")
	}
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	docresult "github.com/docrun/docrun/result"
	"github.com/docrun/docrun/runner/clustertest"
)

// podServer is where the real node's Pods reach the API server: the
// node's docrun-apiforward (tools/node.sh api_forward).
const podServer = "10.244.0.1:6443"

// TestDispatch runs docrun dispatch --shards 2 over the project's own
// content/ on the real node, with docrun's image built from this tree
// (tools/cluster.sh image), and checks that every step has the status
// docrun run gives it over the same pages here, and that nothing dispatch
// made is left: its namespace, ClusterRole and bindings, its pods, and
// the pages' namespaces. Go and client steps are left out of the
// comparison: the image carries no Go toolchain or client libraries.
func TestDispatch(t *testing.T) {
	env, image := dispatchSetup(t)
	nsBefore := docrunNamespaces(t, env)
	out, err := filepath.Abs(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, docrunBinary(t), "dispatch", "--shards", "2", "--kubeconfig", env.Kubeconfig,
		"--image", image, "--pod-server", "https://"+podServer,
		"--node-selector", clustertest.RealNodeLabel+"=true", "--offline", "--timeout", "60s", "content", "-o", out)
	cmd.Dir = env.Root
	cmd.Env = append(os.Environ(), "PATH="+env.Bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("docrun dispatch: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	for _, want := range []string{"part 1/2: done: ", "part 2/2: done: ", "report: "} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("dispatch printed no %q line:\n%s", want, stdout.String())
		}
	}
	data, err := os.ReadFile(filepath.Join(out, "result.json"))
	if err != nil {
		t.Fatal(err)
	}
	var dispatched result
	if err := json.Unmarshal(data, &dispatched); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "index.html")); err != nil {
		t.Errorf("no report: %v", err)
	}
	// dispatch checks the cluster-scoped objects once for the whole Job
	var whole docresult.Result
	if err := json.Unmarshal(data, &whole); err != nil {
		t.Fatal(err)
	}
	noted := func(prefix string) bool {
		return slices.ContainsFunc(whole.Notes, func(n string) bool { return strings.HasPrefix(n, prefix) })
	}
	if len(whole.Leaks) > 0 || !noted("cluster-scoped objects the pages left are checked once") || noted("could not check") {
		t.Errorf("leaks %q, notes %q", whole.Leaks, whole.Notes)
	}

	wd, _ := os.Getwd()
	if err := os.Chdir(env.Root); err != nil {
		t.Fatal(err)
	}
	local := docrun(t, env, "--offline", "--yes", "--timeout", "60s", "content")
	os.Chdir(wd)
	statuses := func(r result) map[string]string {
		m := map[string]string{}
		for _, p := range r.Pages {
			for _, s := range p.Steps {
				if s.Kind == "go" || s.Kind == "client" {
					continue
				}
				m[fmt.Sprintf("%s #%d", p.Path, s.Index)] = s.Status
			}
		}
		return m
	}
	got, want := statuses(dispatched), statuses(local.res)
	if len(want) == 0 {
		t.Fatalf("docrun run gave no steps:\n%s", local.stderr)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %q dispatched, %q run here", k, got[k], w)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: dispatched, not in docrun run's result", k)
		}
	}

	// Left behind: the dispatch's objects (by its label), and the pages'
	// namespaces made since (other tests' may be there too: only those
	// of the dispatched pages are looked for).
	checkDispatchGone(t, env)
	after := docrunNamespaces(t, env)
	for _, p := range dispatched.Pages {
		if ns := p.Cluster.Namespace; ns != "" && after[ns] && !nsBefore[ns] {
			t.Errorf("namespace %s of %s (run in a pod) is left", ns, p.Path)
		}
	}
}

var (
	imageOnce sync.Once
	imageErr  error
)

// dispatchSetup skips without the real node or a way for its Pods to the
// API server, and builds docrun's image from this tree once (one tag for
// every run: the Job pulls Always, and the layout keeps one image
// under it).
func dispatchSetup(t *testing.T) (*clustertest.Env, string) {
	t.Helper()
	env, _ := clustertest.RequireRealNode(t)
	if c, err := net.DialTimeout("tcp", podServer, 2*time.Second); err != nil {
		if os.Getenv("DOCRUN_REQUIRE_REAL_NODE") == "1" {
			t.Fatalf("Pods cannot reach the API server: nothing listens on %s (%v), and make test-real-node requires it", podServer, err)
		}
		t.Skipf("Pods cannot reach the API server: nothing listens on %s (%v): the real node was started before docrun-apiforward was part of it; tools/cluster.sh node-down && tools/cluster.sh node-up", podServer, err)
	} else {
		c.Close()
	}
	const tag = "e2e"
	imageOnce.Do(func() {
		out, err := exec.Command("bash", filepath.Join(env.Root, "tools", "cluster.sh"), "image", tag).CombinedOutput()
		if err != nil {
			imageErr = fmt.Errorf("make the image: %v\n%s", err, out)
		}
	})
	if imageErr != nil {
		t.Fatal(imageErr)
	}
	return env, "docrun.dev/docrun:" + tag
}

// checkDispatchGone checks that no object of a dispatch (by its label)
// is left: namespaces, ClusterRoles and bindings, pods.
func checkDispatchGone(t *testing.T, env *clustertest.Env) {
	t.Helper()
	bg := context.Background()
	sel := metav1.ListOptions{LabelSelector: "docrun.dev/dispatch"}
	count := func(what string, n int, err error) {
		if err != nil || n > 0 {
			t.Errorf("%s of a dispatch left: %d (%v)", what, n, err)
		}
	}
	nss, err := env.Client.CoreV1().Namespaces().List(bg, sel)
	if err == nil {
		count("namespaces", len(nss.Items), nil)
	} else {
		count("namespaces", 0, err)
	}
	crs, err := env.Client.RbacV1().ClusterRoles().List(bg, sel)
	if err == nil {
		count("clusterroles", len(crs.Items), nil)
	} else {
		count("clusterroles", 0, err)
	}
	crbs, err := env.Client.RbacV1().ClusterRoleBindings().List(bg, sel)
	if err == nil {
		count("clusterrolebindings", len(crbs.Items), nil)
	} else {
		count("clusterrolebindings", 0, err)
	}
	pods, err := env.Client.CoreV1().Pods("").List(bg, sel)
	if err == nil {
		count("pods", len(pods.Items), nil)
	} else {
		count("pods", 0, err)
	}
}

// TestDispatchInterrupt: Ctrl-C while the parts run ends dispatch with
// 130 after it deleted what it made, and the pods' docrun, ended with
// SIGTERM, deleted its pages' namespaces.
func TestDispatchInterrupt(t *testing.T) {
	env, image := dispatchSetup(t)
	marker := fmt.Sprintf("dispatch-interrupt-%d", time.Now().UnixNano())
	dir := site(t, map[string]string{
		"content/en/docs/a.md": pageOf(fence("kubectl create configmap " + marker + " && sleep 120")),
		"content/en/docs/b.md": pageOf(fence("kubectl create configmap " + marker + " && sleep 120")),
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, docrunBinary(t), "dispatch", "--shards", "2", "--kubeconfig", env.Kubeconfig,
		"--image", image, "--pod-server", "https://"+podServer,
		"--node-selector", clustertest.RealNodeLabel+"=true", "content", "-o", filepath.Join(dir, "out"))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+env.Bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	var stderr bytes.Buffer
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Interrupt once both pages made their ConfigMap.
	var printed strings.Builder
	go io.Copy(&printed, stdout)
	deadline := time.Now().Add(3 * time.Minute)
	for {
		l, err := env.Client.CoreV1().ConfigMaps("").List(context.Background(), metav1.ListOptions{FieldSelector: "metadata.name=" + marker})
		if err == nil && len(l.Items) == 2 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the pages did not start within 3 minutes:\n%s\n%s", printed.String(), stderr.String())
		}
		time.Sleep(time.Second)
	}
	cmd.Process.Signal(os.Interrupt)
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Errorf("dispatch ended with %v, want exit 130\nstderr:\n%s", err, stderr.String())
	}
	checkDispatchGone(t, env)
	l, err := env.Client.CoreV1().ConfigMaps("").List(context.Background(), metav1.ListOptions{FieldSelector: "metadata.name=" + marker})
	if err != nil {
		t.Fatal(err)
	}
	for _, cm := range l.Items {
		ns, err := env.Client.CoreV1().Namespaces().Get(context.Background(), cm.Namespace, metav1.GetOptions{})
		if err == nil && ns.DeletionTimestamp == nil {
			t.Errorf("the namespace %s of a page run in a pod is left", cm.Namespace)
		}
	}
}

// docrunNamespaces are the namespaces named docrun-… there are now, but
// those terminating.
func docrunNamespaces(t *testing.T, env *clustertest.Env) map[string]bool {
	t.Helper()
	l, err := env.Client.CoreV1().Namespaces().List(context.Background(), metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]bool{}
	for _, ns := range l.Items {
		if strings.HasPrefix(ns.Name, "docrun-") && ns.DeletionTimestamp == nil {
			m[ns.Name] = true
		}
	}
	return m
}

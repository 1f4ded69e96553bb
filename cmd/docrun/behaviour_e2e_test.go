package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/docrun/docrun/runner/clustertest"
)

// site writes files into a temporary website folder and returns it.
func site(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func fence(code string) string { return "```shell\n" + code + "\n```\n\n" }

func pageOf(blocks ...string) string {
	return "---\ntitle: Test page\n---\n\n" + strings.Join(blocks, "")
}

// TestContentPages runs the project's own pages, en and ja.
func TestContentPages(t *testing.T) {
	env := clustertest.Require(t)
	before, _ := os.ReadFile(env.Kubeconfig)
	o := docrun(t, env, "--offline", "--yes", filepath.Join("..", "..", "content"))
	if o.code != 0 {
		t.Errorf("exit %d\n%s", o.code, o.stderr)
	}
	if len(o.res.Pages) != 4 {
		t.Errorf("%d pages, want 4", len(o.res.Pages))
	}
	for _, p := range o.res.Pages {
		for _, s := range p.Steps {
			if s.Status == "failed" || s.Status == "timeout" {
				t.Errorf("%s step %d %s: %s\n%s", p.Path, s.Index, s.Status, s.Stdout, s.Stderr)
			}
		}
	}
	checkClean(t, env, before)
}

// TestShellBehaviour checks state across steps, closed stdin, a background
// listener and its readiness, and that the page's processes end.
func TestShellBehaviour(t *testing.T) {
	env := clustertest.Require(t)
	dir := site(t, map[string]string{"content/en/docs/b.md": pageOf(
		fence("export GREETING=hello; COUNT=3; mkdir -p work && cd work; shout() { echo \"$1!\"; }; alias l='echo aliased'"),
		fence("echo \"$GREETING $COUNT $(basename $PWD)\"; shout hi; l"),
		fence("read -r line || echo stdin-closed"),
		fence("kubectl proxy --port=18473 &"),
		fence("curl -s http://127.0.0.1:18473/api/ | grep -c APIVersions"),
		fence("sleep 301 &"),
	)})
	o := docrun(t, env, "--offline", "--yes", filepath.Join(dir, "content/en/docs/b.md"))
	if o.code != 0 {
		t.Fatalf("exit %d\n%s", o.code, o.stderr)
	}
	st := o.res.Pages[0].Steps
	want := map[int]string{1: "hello 3 work\nhi!\naliased\n", 2: "stdin-closed\n", 4: "1\n"}
	for i, w := range want {
		if st[i].Status != "passed" || st[i].Stdout != w {
			t.Errorf("step %d: %s %q, want %q (stderr %q)", i, st[i].Status, st[i].Stdout, w, st[i].Stderr)
		}
	}
	if out, _ := exec.Command("pgrep", "-f", "sleep 301").Output(); len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("background sleep left running: %s", out)
	}
	checkClean(t, env, mustRead(t, env.Kubeconfig))
}

func mustRead(t *testing.T, p string) []byte {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTimeoutKillsTree checks that a timed-out step is reported as timeout,
// its process tree is killed, and the page goes on in the same shell.
func TestTimeoutKillsTree(t *testing.T) {
	env := clustertest.Require(t)
	dir := site(t, map[string]string{"content/en/docs/t.md": pageOf(
		fence("KEPT=yes"),
		"<!-- docrun timeout=1s -->\n",
		fence("bash -c 'sleep 302 & sleep 303'"),
		fence("echo $KEPT"),
	)})
	o := docrun(t, env, "--offline", "--yes", filepath.Join(dir, "content/en/docs/t.md"))
	if o.code != 1 {
		t.Errorf("exit %d, want 1", o.code)
	}
	st := o.res.Pages[0].Steps
	if st[1].Status != "timeout" || st[2].Status != "passed" || st[2].Stdout != "yes\n" {
		t.Errorf("steps: %+v", st)
	}
	if out, _ := exec.Command("pgrep", "-f", "sleep 30[23]").Output(); len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("processes of the timed-out step left: %s", out)
	}
}

// TestEscapedProcessesEnd runs two pages side by side whose steps leave
// the shell every way they can: when docrun exits, none of their processes
// is left, and the run is not held by one that kept the output open.
func TestEscapedProcessesEnd(t *testing.T) {
	env := clustertest.Require(t)
	escapes := []string{
		"setsid -f env -i sleep %d1",
		"setsid -f env -i sleep %d2 >/dev/null 2>&1",
		"(sleep %d3 &)",
		"nohup sleep %d4 &",
		"sleep %d5 & disown",
		"trap '' TERM; sleep %d6 &",
	}
	files := map[string]string{}
	for i, n := range []int{3081, 3082} {
		var blocks []string
		for _, e := range escapes {
			blocks = append(blocks, fence(fmt.Sprintf(e, n)))
		}
		files[fmt.Sprintf("content/en/docs/e%d.md", i)] = pageOf(blocks...)
	}
	dir := site(t, files)
	start := time.Now()
	o := docrun(t, env, "--offline", "--yes", "-j", "2", filepath.Join(dir, "content/en/docs"))
	t.Logf("docrun run took %v", time.Since(start).Round(time.Millisecond))
	if o.code != 0 {
		t.Errorf("exit %d, want 0\n%s", o.code, o.stderr)
	}
	if out, _ := exec.Command("pgrep", "-f", "sleep 308[12][1-6]").Output(); len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("processes left: %s", out)
	}
}

// TestInterrupt sends SIGINT to docrun while a step runs: the page's
// processes and namespace must still be cleaned up.
func TestInterrupt(t *testing.T) {
	env := clustertest.Require(t)
	dir := site(t, map[string]string{"content/en/docs/i.md": pageOf(
		fence("sleep 304 &"),
		fence("sleep 305"),
		fence("echo never"),
	)})
	cmd := exec.Command(docrunBinary(t), "run", "--offline", "--yes", "--kubeconfig", env.Kubeconfig, "-o", "json", filepath.Join(dir, "content/en/docs/i.md"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		out, _ := exec.Command("pgrep", "-f", "sleep 305").Output()
		if len(bytes.TrimSpace(out)) > 0 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the step never started\n%s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 130 {
		t.Errorf("exit: %v, want 130\n%s", err, stderr.String())
	}
	if out, _ := exec.Command("pgrep", "-f", "sleep 30[45]").Output(); len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("processes left after SIGINT: %s", out)
	}
	if !strings.Contains(stdout.String(), "interrupted") {
		t.Errorf("result does not say the run was interrupted:\n%s", stdout.String())
	}
	checkClean(t, env, mustRead(t, env.Kubeconfig))
}

// TestClosedOutput closes docrun's output while a page runs (docrun run
// … | head): docrun stops as when interrupted, cleans up and exits 141.
func TestClosedOutput(t *testing.T) {
	env := clustertest.Require(t)
	dir := site(t, map[string]string{"content/en/docs/c.md": pageOf(
		fence("echo first-line"),
		fence("sleep 3"),
		fence("sleep 307"),
		fence("echo never"),
	)})
	cmd := exec.Command(docrunBinary(t), "run", "--live", "--offline", "--yes", "--kubeconfig", env.Kubeconfig, filepath.Join(dir, "content/en/docs/c.md"))
	cmd.Env = append(os.Environ(), "PATH="+env.Bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Read up to the first step's output, then close the pipe, as head does.
	sc := bufio.NewScanner(out)
	for sc.Scan() && !strings.Contains(sc.Text(), "first-line") {
	}
	out.Close()
	err = cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 141 {
		t.Errorf("exit: %v, want 141\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "the output was closed") {
		t.Errorf("stderr does not say why it stopped: %s", stderr.String())
	}
	if out, _ := exec.Command("pgrep", "-f", "sleep 307").Output(); len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("processes left after the output closed: %s", out)
	}
	checkClean(t, env, mustRead(t, env.Kubeconfig))
}

// TestPlaceholders checks automatic bindings, --set, --set-from and the
// skip of an unbound placeholder.
func TestPlaceholders(t *testing.T) {
	env := clustertest.Require(t)
	dir := site(t, map[string]string{"content/en/docs/p.md": pageOf(
		fence("kubectl get namespace <namespace> -o name"),
		fence("kubectl get node <node-name> -o name"),
		fence("test -f <path-to-kubeconfig> && echo kubeconfig-ok"),
		fence("echo <pod-name>"),
		fence("echo <greeting>"),
		fence("echo <unbound-thing>"),
	)})
	o := docrun(t, env, "--offline", "--yes", "--set", "pod-name=web-0", "--set-from", "greeting=echo hi-from-command",
		filepath.Join(dir, "content/en/docs/p.md"))
	st := o.res.Pages[0].Steps
	ns := o.res.Pages[0].Cluster.Namespace
	checks := []struct {
		status, stdout string
	}{
		{"passed", "namespace/" + ns + "\n"},
		{"passed", "node/"},
		{"passed", "kubeconfig-ok\n"},
		{"passed", "web-0\n"},
		{"passed", "hi-from-command\n"},
		{"skipped", ""},
	}
	for i, c := range checks {
		if st[i].Status != c.status || !strings.HasPrefix(st[i].Stdout, c.stdout) {
			t.Errorf("step %d: %s %q, want %s %q (%s %s)", i, st[i].Status, st[i].Stdout, c.status, c.stdout, st[i].SkipReason, st[i].Stderr)
		}
	}
	if !strings.Contains(st[5].SkipReason, "needs a value for <unbound-thing>") {
		t.Errorf("skip reason %q", st[5].SkipReason)
	}
	if len(st[0].Bindings) != 1 || st[0].Ran == "" {
		t.Errorf("bindings not reported: %+v %q", st[0].Bindings, st[0].Ran)
	}
	if o.code != 0 {
		t.Errorf("exit %d\n%s", o.code, o.stderr)
	}
}

// TestRunNamespaceInOutput checks that output naming the run's own
// namespace where the page shows `default` does not differ.
func TestRunNamespaceInOutput(t *testing.T) {
	env := clustertest.Require(t)
	dir := site(t, map[string]string{"content/en/docs/ns.md": pageOf(
		fence("kubectl get pods"),
		"The output is similar to:\n\n```\nNo resources found in default namespace.\n```\n\n",
		fence("kubectl config view --minify -o jsonpath='{..namespace}'"),
		"The output is similar to:\n\n```\ndefault\n```\n\n",
	)})
	o := docrun(t, env, "--offline", "--yes", filepath.Join(dir, "content/en/docs/ns.md"))
	for _, st := range o.res.Pages[0].Steps {
		if st.Status != "passed" || st.Verdict != "similar" {
			t.Errorf("step %d: %s, verdict %s, want passed and similar\n%s%s\n%s", st.Index, st.Status, st.Verdict, st.Stdout, st.Stderr, st.Diff)
		}
	}
}

// TestExampleURLs checks that https://k8s.io/examples/ URLs read the
// site's own files, and that a file only in content/ja/examples is
// reported, not silently used.
func TestExampleURLs(t *testing.T) {
	env := clustertest.Require(t)
	cm := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-site\ndata:\n  k: v\n"
	dir := site(t, map[string]string{
		"content/en/examples/cm/site.yaml":    cm,
		"content/ja/examples/cm/ja-only.yaml": cm,
		"content/ja/docs/e.md": pageOf(
			fence("kubectl apply -f https://k8s.io/examples/cm/site.yaml"),
			fence("kubectl get configmap from-site -o jsonpath='{.data.k}'"),
			fence("kubectl apply -f https://kubernetes.io/examples/cm/ja-only.yaml"),
		),
	})
	o := docrun(t, env, "--offline", "--yes", filepath.Join(dir, "content/ja/docs/e.md"))
	st := o.res.Pages[0].Steps
	if st[0].Status != "passed" || !strings.Contains(st[0].Ran, filepath.Join(dir, "content/en/examples/cm/site.yaml")) {
		t.Errorf("step 0: %s ran %q (%s)", st[0].Status, st[0].Ran, st[0].Stderr)
	}
	if st[1].Stdout != "v" {
		t.Errorf("step 1: %q", st[1].Stdout)
	}
	if st[2].Status != "skipped" || !strings.Contains(st[2].SkipReason, "only under content/ja/examples") {
		t.Errorf("step 2: %s %q", st[2].Status, st[2].SkipReason)
	}
}

// TestLeakReport checks that cluster-scoped objects a page creates are
// reported, and deleted with --cleanup-cluster-scoped, also when pages run
// in parallel.
func TestLeakReport(t *testing.T) {
	env := clustertest.Require(t)
	name := fmt.Sprintf("docrun-leak-%d", time.Now().UnixNano())
	dir := site(t, map[string]string{"content/en/docs/l.md": pageOf(
		fence("kubectl create clusterrole " + name + " --verb=get --resource=pods"),
	)})
	page := filepath.Join(dir, "content/en/docs/l.md")
	o := docrun(t, env, "--offline", "--yes", page)
	if leaks := o.res.Pages[0].Leaks; len(leaks) != 1 || leaks[0] != "clusterrole/"+name {
		t.Errorf("leaks = %v", leaks)
	}
	if !strings.Contains(o.stderr, "left behind: clusterrole/"+name) {
		t.Errorf("leak not reported on the terminal:\n%s", o.stderr)
	}
	exec.Command(filepath.Join(env.Bin, "kubectl"), "--kubeconfig", env.Kubeconfig, "delete", "clusterrole", name).Run()
	o = docrun(t, env, "--offline", "--yes", "--cleanup-cluster-scoped", page)
	if leaks := o.res.Pages[0].Leaks; len(leaks) != 1 {
		t.Errorf("leaks = %v", leaks)
	}
	if err := exec.Command(filepath.Join(env.Bin, "kubectl"), "--kubeconfig", env.Kubeconfig, "get", "clusterrole", name).Run(); err == nil {
		t.Errorf("clusterrole %s still exists after --cleanup-cluster-scoped", name)
	}
	// Pages run in parallel: the run reports and deletes what they left.
	other := filepath.Join(dir, "content/en/docs/m.md")
	os.WriteFile(other, []byte(pageOf(fence("kubectl create clusterrole "+name+"-m --verb=get --resource=pods"))), 0o644)
	o = docrun(t, env, "--offline", "--yes", "--cleanup-cluster-scoped", "-j", "2", page, other)
	if want := []string{"clusterrole/" + name, "clusterrole/" + name + "-m"}; strings.Join(o.res.Leaks, " ") != strings.Join(want, " ") || !o.res.Deleted {
		t.Errorf("-j 2: run leaks %v (deleted %v), want %v deleted", o.res.Leaks, o.res.Deleted, want)
	}
	if !strings.Contains(o.stderr, "deleted (by the pages run in parallel): clusterrole/"+name+"-m") {
		t.Errorf("-j 2: leak not reported on the terminal:\n%s", o.stderr)
	}
	for _, n := range []string{name, name + "-m"} {
		if err := exec.Command(filepath.Join(env.Bin, "kubectl"), "--kubeconfig", env.Kubeconfig, "get", "clusterrole", n).Run(); err == nil {
			t.Errorf("-j 2: clusterrole %s still exists after --cleanup-cluster-scoped", n)
		}
	}
}

// TestSafetyPrompt checks that a cluster that is not on this machine is
// not touched without --yes, and that a terminal is asked. The server
// address is never contacted: docrun refuses before connecting.
func TestSafetyPrompt(t *testing.T) {
	env := clustertest.Require(t)
	cfg, err := clientcmd.LoadFromFile(env.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cfg.Clusters {
		c.Server = "https://192.0.2.10:6443" // TEST-NET-1: documentation only
	}
	remote := filepath.Join(t.TempDir(), "remote")
	if err := clientcmd.WriteToFile(*cfg, remote); err != nil {
		t.Fatal(err)
	}
	dir := site(t, map[string]string{"content/en/docs/s.md": pageOf(fence("echo hi"))})
	page := filepath.Join(dir, "content/en/docs/s.md")

	cmd := exec.Command(docrunBinary(t), "run", "--kubeconfig", remote, page)
	cmd.Stdin = nil
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "pass --yes") {
		t.Errorf("without a terminal: %v\n%s", err, out)
	}

	cmd = exec.Command(docrunBinary(t), "run", "--kubeconfig", remote, page)
	f, err := pty.Start(cmd)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var screen bytes.Buffer
	buf := make([]byte, 4096)
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(screen.String(), "[y/N]") && time.Now().Before(deadline) {
		f.SetReadDeadline(time.Now().Add(time.Second))
		n, _ := f.Read(buf)
		screen.Write(buf[:n])
	}
	if !strings.Contains(screen.String(), "192.0.2.10") {
		t.Errorf("the prompt does not show the server:\n%s", screen.String())
	}
	f.Write([]byte("n\n"))
	err = cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("answer n: %v", err)
	}
	_ = context.Background
}

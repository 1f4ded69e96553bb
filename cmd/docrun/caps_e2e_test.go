package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	docresult "github.com/docrun/docrun/result"
	"github.com/docrun/docrun/runner/clustertest"
)

// fullResult reads a run's JSON result into the result model.
func fullResult(t *testing.T, o runOut) *docresult.Result {
	t.Helper()
	var res docresult.Result
	if err := json.Unmarshal([]byte(o.stdout), &res); err != nil {
		t.Fatalf("result: %v\n%s", err, o.stderr)
	}
	return &res
}

// TestClusterCapabilities runs a page whose steps need what docrun's local
// cluster lacks (running containers, metrics-server, a default
// StorageClass, a served API version) and a page for a newer server: the
// steps are skipped with the lack as the reason, the steps that use what a
// skipped step would have made too, and the page's missing lists them, in
// the result and in the report's header. A node step runs with
// --allow-host, on docrun's own local cluster.
func TestClusterCapabilities(t *testing.T) {
	env := clustertest.Require(t)
	page := filepath.Join("testdata", "caps", "cluster.md")
	html := t.TempDir()
	o := docrun(t, env, "--offline", "--yes", "--html", html, page, filepath.Join("testdata", "caps", "newer.md"))
	if o.code != 0 {
		t.Errorf("exit %d\n%s", o.code, o.stderr)
	}
	res := fullResult(t, o)
	if len(res.Pages) != 2 {
		t.Fatalf("%d pages", len(res.Pages))
	}
	p := res.Pages[0]
	if c := p.Cluster.Capabilities; c == nil || c.Containers || c.Metrics || c.DefaultStorageClass != "" || !c.Local || c.SchedulableNodes < 1 {
		t.Errorf("capabilities of the local cluster: %+v", c)
	}
	checks := []stepCheck{
		{"passed", ""},
		{"skipped", "the cluster's nodes are simulated (kwok): no container runs: kubectl logs needs a running container"},
		{"skipped", "no metrics-server: kubectl top has no data"},
		{"skipped", "interactive"},
		{"skipped", "the cluster's nodes are simulated (kwok): no container runs: runs inside Pod deployment/web"},
		{"skipped", "runs on a node of the cluster (it uses a node's own files); with --allow-host"},
		{"passed", ""},
		{"skipped", "follows step 6: the cluster lacks a default StorageClass, so the Pods of StatefulSet db stay Pending"},
		{"skipped", "the server does not serve Deployment in extensions/v1beta1"},
		{"passed", ""},
	}
	checkSteps(t, p.Steps, checks)
	var missing []string
	for _, m := range p.Missing {
		missing = append(missing, m.String())
	}
	want := []string{
		"running containers: the cluster's nodes are simulated (kwok): no container runs; skipped steps 1, 4",
		"metrics-server: no metrics-server: kubectl top has no data (the metrics.k8s.io API is not available); skipped step 2",
		"a default StorageClass: no default StorageClass: StatefulSet db's claim template data names no storageClassName, so its claims and Pods would stay Pending; skipped step 7",
	}
	if len(missing) != 4 || strings.Join(missing[:3], "\n") != strings.Join(want, "\n") || !strings.HasPrefix(missing[3], "API extensions/v1beta1 Deployment: ") {
		t.Errorf("missing:\n%s\nwant\n%s\n(and the API)", strings.Join(missing, "\n"), strings.Join(want, "\n"))
	}
	newer := res.Pages[1]
	if st := newer.Steps[0]; st.Status != docresult.Skipped || !strings.HasPrefix(st.SkipReason, "server v1.") ||
		!strings.HasSuffix(st.SkipReason, "is below the page's min-kubernetes-server-version v1.99") {
		t.Errorf("newer page: %s %q", st.Status, st.SkipReason)
	}
	report, err := os.ReadFile(filepath.Join(html, "cluster.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(report), `<h2>What the cluster lacks</h2>`) || !strings.Contains(string(report), "metrics-server: no metrics-server") {
		t.Error("the report's header does not list what the cluster lacks")
	}

	o = docrun(t, env, "--offline", "--yes", "--allow-host", "--step", "5", page)
	if st := o.res.Pages[0].Steps[0]; st.Status != "passed" || st.Stdout != "on the node\n" {
		t.Errorf("node step with --allow-host on the local cluster: %s %q %q", st.Status, st.Stdout, st.SkipReason)
	}
}

// TestFollowUpsOfRemadeObject runs a page that makes a custom object
// before its kind is defined, then defines the kind and makes the object
// again: the first making and its follow-up are skipped, the steps after
// the second making run and pass.
func TestFollowUpsOfRemadeObject(t *testing.T) {
	env := clustertest.Require(t)
	p := capsPage(t, env, "remade.md")
	checks := map[int]struct{ status, reason string }{
		1: {"skipped", "the server does not serve Gadget in remade.docrun.example/v1"},
		2: {"skipped", "follows step 1, skipped because the cluster lacks API remade.docrun.example/v1 Gadget"},
		4: {"passed", ""},
		5: {"passed", ""},
		6: {"passed", ""},
		7: {"passed", ""},
	}
	steps := p.Steps
	for i, c := range checks {
		st := steps[i]
		if string(st.Status) != c.status || !strings.HasPrefix(st.SkipReason, c.reason) {
			t.Errorf("step %d: %s %q, want %s %q; stderr %s", i, st.Status, st.SkipReason, c.status, c.reason, st.Stderr)
		}
	}
}

// TestMachineLacks runs a page whose steps call a program this machine
// does not have and use a kubeconfig context of a cluster the page would
// have made: both are skipped with that reason before they run, and a
// context an earlier step made is used.
func TestMachineLacks(t *testing.T) {
	env := clustertest.Require(t)
	p := capsPage(t, env, "machine.md")
	steps := p.Steps
	checks := []stepCheck{
		{"skipped", "needs the program docrun-no-such-program-4711, which is not installed here"},
		{"skipped", "uses the kubeconfig context kind-docrun-nowhere, which this run's kubeconfig does not have"},
		{"passed", ""},
		{"passed", ""},
		{"skipped", "names the node docrun-sample-node-4711, which neither this cluster nor the page has: a sample name"},
		{"passed", ""},
		{"passed", ""},
		{"skipped", "names the configmap docrun-sample-cm-4711, which neither this cluster nor the page has: a sample name"},
		{"passed", ""},
	}
	checkSteps(t, steps, checks)
}

// TestPortForwardFollowUp runs a page that forwards a port to a Pod and
// reads it with curl: on simulated nodes the port-forward is skipped, and
// the curl that connects to its port follows it.
func TestPortForwardFollowUp(t *testing.T) {
	env := clustertest.Require(t)
	o := docrun(t, env, "--offline", "--yes", filepath.Join("testdata", "caps", "forward.md"))
	steps := fullResult(t, o).Pages[0].Steps
	if len(steps) != 3 {
		t.Fatalf("%d steps\n%s", len(steps), o.stderr)
	}
	if caps := fullResult(t, o).Pages[0].Cluster.Capabilities; caps != nil && caps.Containers {
		t.Skip("the cluster runs containers: the port-forward runs")
	}
	if st := steps[1]; st.Status != "skipped" || !strings.HasPrefix(st.SkipReason, "the cluster's nodes are simulated") {
		t.Errorf("port-forward: %s %q", st.Status, st.SkipReason)
	}
	if st := steps[2]; st.Status != "skipped" || !strings.HasPrefix(st.SkipReason, "follows step 1: its server on port 8089 did not start") {
		t.Errorf("curl: %s %q (stderr %q)", st.Status, st.SkipReason, st.Stderr)
	}
	if o.code != 0 {
		t.Errorf("exit %d\n%s", o.code, o.stderr)
	}
}

// TestOfflineImages runs a page with a Pod from an image the real node's
// registry serves and one from an image it does not serve: the first runs
// and its logs are read, the second is skipped with the image, and so is
// the step that uses its Pod. It needs the real node (tools/cluster.sh
// node-up), whose ConfigMap lists the images served.
func TestOfflineImages(t *testing.T) {
	env, _ := clustertest.RequireRealNode(t)
	p := capsPage(t, env, "images.md")
	if c := p.Cluster.Capabilities; c == nil || !c.Containers || len(c.OfflineImages) == 0 {
		t.Fatalf("capabilities: %+v", c)
	}
	checks := []stepCheck{
		{"passed", ""},
		{"passed", ""},
		{"passed", ""},
		{"skipped", "image registry.example/not-served:1.0 is not available offline (Pod unserved;"},
		{"skipped", "follows step 3, skipped because the cluster lacks offline image registry.example/not-served:1.0: Pod unserved was not made"},
		{"passed", ""},
	}
	checkSteps(t, p.Steps, checks)
	if p.Steps[2].Verdict != "match" {
		t.Errorf("kubectl logs: verdict %q, output %q", p.Steps[2].Verdict, p.Steps[2].Stdout)
	}
	if len(p.Missing) != 1 || p.Missing[0].What != "offline image registry.example/not-served:1.0" || len(p.Missing[0].Steps) != 2 {
		t.Errorf("missing: %+v", p.Missing)
	}
}

// TestUnwrittenFiles runs a page whose download step is skipped: the steps
// that read the files it would have written follow it, as does a step
// that sources a file this machine lacks, while the steps that read files
// the page made, or remove files with -f, run.
func TestUnwrittenFiles(t *testing.T) {
	env := clustertest.Require(t)
	p := capsPage(t, env, "unwritten.md")
	steps := p.Steps
	checks := []stepCheck{
		{"skipped", "skipped by a docrun directive"},
		{"passed", ""},
		{"skipped", "follows step 0, which would have written tool.sha256: skipped by a docrun directive: stands for a download"},
		{"passed", ""},
		{"skipped", "needs the file your-data.txt, which no step of the page makes: a file of the reader's"},
		{"skipped", "needs the file /docrun-no-such-folder/bash_completion, which is not on this machine"},
		{"skipped", "follows step 0, which would have written tool: "},
		{"passed", ""},
	}
	checkSteps(t, steps, checks)
}

// TestSteeredPod runs a page with a hostNetwork Pod on the cluster with the
// real node: the cluster puts the Pod on a simulated node, where it is
// Running, and docrun skips the step that needs its container.
func TestSteeredPod(t *testing.T) {
	env, _ := clustertest.RequireRealNode(t)
	p := capsPage(t, env, "steered.md")
	checks := []stepCheck{
		{"passed", ""},
		{"passed", ""},
		{"skipped", "Pod hostnet is on node docrun-node-"},
		{"passed", ""},
	}
	checkSteps(t, p.Steps, checks)
}

// stepCheck is the status a step of a page must end with and the start of
// its skip reason.
type stepCheck struct{ status, reason string }

// checkSteps compares a page's steps with checks, one each.
func checkSteps(t *testing.T, steps []*docresult.StepResult, checks []stepCheck) {
	t.Helper()
	if len(steps) != len(checks) {
		t.Fatalf("%d steps, want %d", len(steps), len(checks))
	}
	for i, c := range checks {
		st := steps[i]
		if string(st.Status) != c.status || !strings.HasPrefix(st.SkipReason, c.reason) {
			t.Errorf("step %d: %s %q, want %s %q; stderr %s", i, st.Status, st.SkipReason, c.status, c.reason, st.Stderr)
		}
	}
}

// capsPage runs a page of testdata/caps offline and returns its result;
// an exit status other than 0 is an error.
func capsPage(t *testing.T, env *clustertest.Env, name string) *docresult.PageResult {
	t.Helper()
	o := docrun(t, env, "--offline", "--yes", filepath.Join("testdata", "caps", name))
	if o.code != 0 {
		t.Errorf("exit %d\n%s", o.code, o.stderr)
	}
	return fullResult(t, o).Pages[0]
}

// TestSkippedMade runs a page whose step that makes an object (a
// here-document a cat pipes into kubectl apply) is skipped for a program
// this machine lacks: the step that uses the object follows it, and one
// that uses an object of a skipped step that another step made runs. So
// does a step that uses a context whose user's credentials a skipped
// step would have set.
func TestSkippedMade(t *testing.T) {
	env := clustertest.Require(t)
	p := capsPage(t, env, "skipmade.md")
	checkSteps(t, p.Steps, []stepCheck{
		{"skipped", "needs the program docrun-no-such-program-4711, which is not installed here"},
		{"skipped", "follows step 0, which would have made ConfigMap request: needs the program docrun-no-such-program-4711"},
		{"passed", ""},
		{"skipped", "needs the program docrun-no-such-program-4711"},
		{"passed", ""},
		{"skipped", "needs the program docrun-no-such-program-4711"},
		{"passed", ""},
		{"skipped", "follows step 5, which would have set the credentials of the kubeconfig user docrun-user that context docrun-user uses: needs the program"},
	})
}

// TestTunnelFollowUp runs a page that opens an ssh SOCKS tunnel (skipped:
// it changes this machine) and sends kubectl's requests through it: the
// steps whose proxy is the tunnel's port follow the tunnel's step, the
// export of the proxy variable runs, and a step after the variable is
// unset runs.
func TestTunnelFollowUp(t *testing.T) {
	env := clustertest.Require(t)
	p := capsPage(t, env, "tunnel.md")
	checkSteps(t, p.Steps, []stepCheck{
		{"skipped", "changes this machine"},
		{"passed", ""},
		{"skipped", "follows step 0: its server on port 1080 did not start: changes this machine"},
		{"skipped", "follows step 0: its server on port 1080 did not start: changes this machine"},
		{"passed", ""},
		{"passed", ""},
	})
	if !strings.HasSuffix(p.Steps[2].SkipReason, "HTTPS_PROXY sends this step's requests to it") {
		t.Errorf("step 2: %q", p.Steps[2].SkipReason)
	}
}

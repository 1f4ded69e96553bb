package clustertest_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/docrun/docrun/runner/clustertest"
)

// The smoke tests run, by hand through os/exec, the commands of the page
// content/ja/docs/tasks/administer-cluster/access-cluster-api.md of the
// Kubernetes documentation against the local cluster, and check what they
// print. They prove the cluster offers what the runner will be asked to run.

const kubeVersion = "v1.37.2"

// apiVersions is the answer of GET /api.
type apiVersions struct {
	Kind     string   `json:"kind"`
	Versions []string `json:"versions"`
}

func checkAPIVersions(t *testing.T, body string) {
	t.Helper()
	var v apiVersions
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("GET /api: not JSON: %v\n%s", err, body)
	}
	if v.Kind != "APIVersions" || !slices.Contains(v.Versions, "v1") {
		t.Fatalf("GET /api: want kind APIVersions with versions [v1], got %s", body)
	}
}

func TestNodesReady(t *testing.T) {
	t.Parallel()
	e := clustertest.Require(t)
	out := e.Run(t, "", "kubectl", "get", "nodes", "-l", "type=kwok", "-o",
		`jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}`)
	lines := strings.Fields(out)
	if len(lines) != 2 {
		t.Fatalf("want 2 simulated nodes, got %q", out)
	}
	for _, l := range lines {
		if !strings.HasSuffix(l, "=True") {
			t.Errorf("node not Ready: %s", l)
		}
	}
}

func TestKubectlVersion(t *testing.T) {
	t.Parallel()
	e := clustertest.Require(t)
	out := e.Run(t, "", "kubectl", "version", "-o", "json")
	var v struct {
		Client struct{ GitVersion string } `json:"clientVersion"`
		Server struct{ GitVersion string } `json:"serverVersion"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("kubectl version -o json: %v\n%s", err, out)
	}
	if v.Client.GitVersion != kubeVersion || v.Server.GitVersion != kubeVersion {
		t.Errorf("want client and server %s, got client %q, server %q", kubeVersion, v.Client.GitVersion, v.Server.GitVersion)
	}
}

// TestConfigView runs `kubectl config view`.
func TestConfigView(t *testing.T) {
	t.Parallel()
	e := clustertest.Require(t)
	out := e.Run(t, "", "kubectl", "config", "view")
	for _, want := range []string{
		"server: " + e.Config.Host,
		"namespace: " + e.Namespace,
		"current-context: ",
		"client-certificate-data: DATA+OMITTED",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("kubectl config view: no %q in\n%s", want, out)
		}
	}
}

// TestProxy runs `kubectl proxy --port=8080 &` then `curl
// http://localhost:8080/api/`, on a free port instead of 8080.
func TestProxy(t *testing.T) {
	t.Parallel()
	e := clustertest.Require(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	proxy := e.Cmd(ctx, "kubectl", "proxy", "--port=0")
	stdout, err := proxy.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := proxy.Start(); err != nil {
		t.Fatalf("kubectl proxy: %v", err)
	}
	pid := proxy.Process.Pid
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		_ = proxy.Wait()
	}
	defer stop()

	addr := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(stdout)
		re := regexp.MustCompile(`Starting to serve on (\S+:\d+)`)
		for s.Scan() {
			if m := re.FindStringSubmatch(s.Text()); m != nil {
				addr <- m[1]
				break
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	var hostport string
	select {
	case hostport = <-addr:
	case <-time.After(30 * time.Second):
		t.Fatal("kubectl proxy did not print `Starting to serve on ADDR` within 30s")
	}

	_, port, err := net.SplitHostPort(hostport)
	if err != nil {
		t.Fatal(err)
	}
	body := e.Run(t, "", "curl", "--silent", "--show-error", "--fail", "http://localhost:"+port+"/api/")
	checkAPIVersions(t, body)

	stop()
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("kubectl proxy (pid %d) still running after it was stopped: kill -0: %v", pid, err)
	}
	if c, err := net.DialTimeout("tcp", hostport, time.Second); err == nil {
		c.Close()
		t.Errorf("%s still accepts connections after kubectl proxy was stopped", hostport)
	}
}

// TestBearerToken runs the page's "without kubectl proxy" script: the API
// server's address from the kubeconfig, a token Secret of the default
// ServiceAccount, and curl with that token.
func TestBearerToken(t *testing.T) {
	t.Parallel()
	e := clustertest.Require(t)

	clusters := e.Run(t, "", "kubectl", "config", "view", "-o",
		`jsonpath={"Cluster name\tServer\n"}{range .clusters[*]}{.name}{"\t"}{.cluster.server}{"\n"}{end}`)
	lines := strings.Split(strings.TrimSpace(clusters), "\n")
	if len(lines) != 2 || lines[0] != "Cluster name\tServer" {
		t.Fatalf("want a header and one cluster, got\n%s", clusters)
	}
	clusterName, _, _ := strings.Cut(lines[1], "\t")

	apiserver := e.Run(t, "", "kubectl", "config", "view", "-o",
		fmt.Sprintf(`jsonpath={.clusters[?(@.name=="%s")].cluster.server}`, clusterName))
	if apiserver != e.Config.Host {
		t.Fatalf("APISERVER=%q, want %q", apiserver, e.Config.Host)
	}

	out := e.Run(t, `apiVersion: v1
kind: Secret
metadata:
  name: default-token
  annotations:
    kubernetes.io/service-account.name: default
type: kubernetes.io/service-account-token
`, "kubectl", "apply", "-f", "-")
	if !strings.Contains(out, "secret/default-token created") {
		t.Errorf("kubectl apply: got %q", out)
	}

	var token string
	deadline := time.Now().Add(60 * time.Second)
	for {
		b64 := e.Run(t, "", "kubectl", "get", "secret", "default-token", "-o", "jsonpath={.data.token}")
		if b64 != "" {
			raw, err := base64.StdEncoding.DecodeString(b64)
			if err != nil {
				t.Fatalf("token: %v", err)
			}
			token = string(raw)
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the token controller did not fill Secret default-token within 60s")
		}
		time.Sleep(time.Second)
	}

	body := e.Run(t, "", "curl", "--silent", "--show-error", "--fail",
		"-X", "GET", apiserver+"/api", "--header", "Authorization: Bearer "+token, "--insecure")
	checkAPIVersions(t, body)

	// Without the token the request is not served, so the token above is
	// what authenticated it.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code, _ := e.Cmd(ctx, "curl", "--silent", "--output", "/dev/null", "--write-out", "%{http_code}",
		"-X", "GET", apiserver+"/api", "--insecure").Output()
	if string(code) != "401" && string(code) != "403" {
		t.Errorf("GET /api without a token: HTTP %q, want 401 or 403", code)
	}
}

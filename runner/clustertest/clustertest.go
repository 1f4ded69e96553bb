// Package clustertest gives end-to-end tests a real Kubernetes cluster: the
// local cluster "docrun" of tools/cluster.sh, a real control plane started by
// kwokctl with two nodes simulated by kwok.
//
// End-to-end tests call Require first. Unless DOCRUN_E2E=1 (which `make test`
// sets) the test is skipped, so plain `go test ./...` stays quick. Otherwise
// the cluster is brought up once per test process (or a healthy one is
// reused), and the test gets its own namespace and kubeconfig, both removed
// when it ends.
package clustertest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// EnvVar is the environment variable that enables end-to-end tests when set
// to "1".
const EnvVar = "DOCRUN_E2E"

// Module is the path of docrun's main module; the repository root is the
// directory of the go.mod that declares it.
const Module = "github.com/docrun/docrun"

// NamespacePrefix starts the name of every namespace Require creates.
const NamespacePrefix = "docrun-test-"

const (
	upTimeout       = 10 * time.Minute
	namespaceWait   = 60 * time.Second
	namespaceDelete = 2 * time.Minute
	runTimeout      = 2 * time.Minute
)

// Env is what an end-to-end test gets from Require.
type Env struct {
	// Root is the repository root.
	Root string
	// Bin is the folder of the cluster's binaries (kubectl among them),
	// put first on PATH by Cmd.
	Bin string
	// Namespace is the test's own namespace, deleted when the test ends.
	Namespace string
	// Kubeconfig is the test's own kubeconfig file, a copy of the cluster's
	// whose current context uses Namespace.
	Kubeconfig string
	// Config is the client configuration read from Kubeconfig.
	Config *rest.Config
	// Client is a clientset for Config.
	Client kubernetes.Interface
}

// cluster is the result of bringing the cluster up, shared by the tests of
// one process.
type cluster struct {
	root, bin, kubeconfig string
}

var (
	upOnce sync.Once
	up     cluster
	upErr  error
)

// Enabled reports whether end-to-end tests run: EnvVar is "1".
func Enabled() bool { return os.Getenv(EnvVar) == "1" }

// Require skips t unless end-to-end tests are enabled. Otherwise it makes sure
// the local cluster is up (once per test process: tools/cluster.sh up starts
// it or reuses a healthy one), creates a namespace for t and waits for its
// default ServiceAccount, writes a kubeconfig for t into t.TempDir(), and
// registers a cleanup that deletes the namespace and waits until it is gone.
// Any failure to do so fails t.
func Require(t testing.TB) *Env {
	t.Helper()
	if !Enabled() {
		t.Skipf("end-to-end test skipped: set %s=1 to run it against the local cluster (make test does)", EnvVar)
	}
	upOnce.Do(func() { up, upErr = bringUp() })
	if upErr != nil {
		t.Fatalf("local cluster: %v", upErr)
	}

	shared, err := clientcmd.LoadFromFile(up.kubeconfig)
	if err != nil {
		t.Fatalf("local cluster: %v", err)
	}
	if err := clientcmdapi.FlattenConfig(shared); err != nil {
		t.Fatalf("local cluster: flatten %s: %v", up.kubeconfig, err)
	}
	cfg, err := restConfig(shared)
	if err != nil {
		t.Fatalf("local cluster: %s: %v", up.kubeconfig, err)
	}
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatalf("local cluster: %v", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), namespaceWait)
	defer cancel()
	ns, err := client.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{
		ObjectMeta: metav1.ObjectMeta{
			GenerateName: NamespacePrefix,
			Labels:       map[string]string{"app.kubernetes.io/managed-by": "docrun-clustertest"},
		},
	}, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("create test namespace: %v", err)
	}
	name := ns.Name
	t.Cleanup(func() { deleteNamespace(t, client, name) })

	err = wait.PollUntilContextCancel(ctx, 200*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		_, err := client.CoreV1().ServiceAccounts(name).Get(ctx, "default", metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return false, nil
		}
		return err == nil, err
	})
	if err != nil {
		t.Fatalf("namespace %s: default ServiceAccount not created within %v: %v", name, namespaceWait, err)
	}

	// The copy names the namespace in its current context, so kubectl run by
	// the test works in it without -n; the shared file is never written.
	kc := shared.DeepCopy()
	kctx, ok := kc.Contexts[kc.CurrentContext]
	if !ok {
		t.Fatalf("%s: current context %q not found", up.kubeconfig, kc.CurrentContext)
	}
	kctx.Namespace = name
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := clientcmd.WriteToFile(*kc, path); err != nil {
		t.Fatalf("write test kubeconfig: %v", err)
	}
	nsCfg, err := restConfig(kc)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	nsClient, err := kubernetes.NewForConfig(nsCfg)
	if err != nil {
		t.Fatalf("local cluster: %v", err)
	}
	return &Env{
		Root:       up.root,
		Bin:        up.bin,
		Namespace:  name,
		Kubeconfig: path,
		Config:     nsCfg,
		Client:     nsClient,
	}
}

// restConfig returns the client configuration of kc's current context,
// without client-side throttling and without printing the server's warnings.
func restConfig(kc *clientcmdapi.Config) (*rest.Config, error) {
	cfg, err := clientcmd.NewDefaultClientConfig(*kc, nil).ClientConfig()
	if err != nil {
		return nil, err
	}
	cfg.QPS, cfg.Burst = 100, 200
	cfg.WarningHandler = rest.NoWarnings{}
	return cfg, nil
}

func deleteNamespace(t testing.TB, client kubernetes.Interface, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), namespaceDelete)
	defer cancel()
	err := client.CoreV1().Namespaces().Delete(ctx, name, metav1.DeleteOptions{})
	if apierrors.IsNotFound(err) {
		return
	}
	if err != nil {
		t.Errorf("delete test namespace %s: %v", name, err)
		return
	}
	err = wait.PollUntilContextCancel(ctx, 250*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		_, err := client.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return true, nil
		}
		return false, err
	})
	if err != nil {
		t.Errorf("test namespace %s not gone within %v: %v", name, namespaceDelete, err)
	}
}

// bringUp runs tools/cluster.sh up, which starts the cluster or reuses a
// healthy one; the script's lock makes concurrent test processes safe.
func bringUp() (cluster, error) {
	root, err := RepoRoot()
	if err != nil {
		return cluster{}, err
	}
	c := cluster{
		root:       root,
		bin:        filepath.Join(root, "bin"),
		kubeconfig: filepath.Join(root, ".cluster", "kubeconfig"),
	}
	ctx, cancel := context.WithTimeout(context.Background(), upTimeout)
	defer cancel()
	script := filepath.Join(root, "tools", "cluster.sh")
	cmd := exec.CommandContext(ctx, "bash", script, "up")
	cmd.Dir = root
	cmd.Env = withPath(os.Environ(), c.bin)
	// On timeout the script's whole process group is killed; the cluster's
	// processes run in sessions of their own and outlive it. WaitDelay keeps
	// a pipe one of them might hold from blocking Wait.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return cluster{}, fmt.Errorf("%s up: %v\n%s", script, err, out.String())
	}
	if _, err := os.Stat(c.kubeconfig); err != nil {
		return cluster{}, fmt.Errorf("%s up succeeded but wrote no kubeconfig: %v\n%s", script, err, out.String())
	}
	return c, nil
}

// RepoRoot returns the root of docrun's repository: the nearest directory at
// or above the working directory (a package's directory under go test) whose
// go.mod declares Module.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if isMainModule(filepath.Join(dir, "go.mod")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod of module " + Module + " at or above the working directory")
		}
		dir = parent
	}
}

func isMainModule(gomod string) bool {
	f, err := os.Open(gomod)
	if err != nil {
		return false
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if fields := strings.Fields(s.Text()); len(fields) == 2 && fields[0] == "module" {
			return strings.Trim(fields[1], `"`) == Module
		}
	}
	return false
}

// Cmd returns a command that runs name in Root with the test's kubeconfig
// (KUBECONFIG) and Bin first on PATH; a bare name found in Bin runs from
// there. The command runs in its own process group, and the whole group is
// killed when ctx is done.
func (e *Env) Cmd(ctx context.Context, name string, args ...string) *exec.Cmd {
	path := name
	if !strings.Contains(name, "/") {
		if p := filepath.Join(e.Bin, name); isExecutable(p) {
			path = p
		}
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Args[0] = name
	cmd.Dir = e.Root
	cmd.Env = append(withPath(os.Environ(), e.Bin),
		"KUBECONFIG="+e.Kubeconfig,
		// kubectl's discovery cache goes to the state folder, not ~/.kube.
		"KUBECACHEDIR="+filepath.Join(e.Root, ".cluster", "kubectl-cache"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// Run runs name with args as Cmd does, with stdin as its standard input,
// and returns its standard output. It fails t, showing both outputs, if the
// command fails or takes longer than two minutes.
func (e *Env) Run(t testing.TB, stdin, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := e.Cmd(ctx, name, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\nstdout:\n%s\nstderr:\n%s", name, strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// withPath returns env without KUBECONFIG and KUBECACHEDIR, and with bin
// first on PATH.
func withPath(env []string, bin string) []string {
	out := make([]string, 0, len(env)+1)
	path := bin
	for _, kv := range env {
		switch {
		case strings.HasPrefix(kv, "PATH="):
			if old := strings.TrimPrefix(kv, "PATH="); old != "" {
				path += string(os.PathListSeparator) + old
			}
		case strings.HasPrefix(kv, "KUBECONFIG="), strings.HasPrefix(kv, "KUBECACHEDIR="):
		default:
			out = append(out, kv)
		}
	}
	return append(out, "PATH="+path)
}

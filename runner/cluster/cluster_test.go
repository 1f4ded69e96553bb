package cluster

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/docrun/docrun/runner/clustertest"
)

func TestIsLoopback(t *testing.T) {
	for server, want := range map[string]bool{
		"https://127.0.0.1:6443":     true,
		"https://localhost:6443":     true,
		"https://[::1]:6443":         true,
		"https://127.0.0.2":          true,
		"https://10.0.0.1:6443":      false,
		"https://192.0.2.10":         false,
		"https://k8s.example.com":    false,
		"https://localhost.evil.com": false,
		"::not a url":                false,
	} {
		if got := IsLoopback(server); got != want {
			t.Errorf("IsLoopback(%q) = %v", server, got)
		}
	}
}

// TestKubeconfigCopyKeepsRelativePaths checks that a kubeconfig whose
// certificates are given relative to its own folder still works when
// docrun writes its copy elsewhere, and that the original is not written.
func TestKubeconfigCopyKeepsRelativePaths(t *testing.T) {
	env := clustertest.Require(t)
	cfg, err := clientcmd.LoadFromFile(env.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	certs := filepath.Join(home, "certs")
	os.MkdirAll(certs, 0o700)
	// Write every certificate and key to a file beside the kubeconfig and
	// refer to it by a relative path.
	move := func(p *string, data *[]byte, name string) {
		if len(*data) == 0 && *p != "" {
			b, err := os.ReadFile(*p)
			if err != nil {
				t.Fatal(err)
			}
			*data = b
		}
		if len(*data) == 0 {
			return
		}
		os.WriteFile(filepath.Join(certs, name), *data, 0o600)
		*p, *data = filepath.Join("certs", name), nil
	}
	for _, c := range cfg.Clusters {
		move(&c.CertificateAuthority, &c.CertificateAuthorityData, "ca.crt")
	}
	for _, a := range cfg.AuthInfos {
		move(&a.ClientCertificate, &a.ClientCertificateData, "client.crt")
		move(&a.ClientKey, &a.ClientKeyData, "client.key")
	}
	kc := filepath.Join(home, "config")
	if err := clientcmd.WriteToFile(*cfg, kc); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(kc)
	if !strings.Contains(string(before), "certificate-authority: certs/ca.crt") {
		t.Fatalf("test kubeconfig does not use relative paths")
	}

	flags := genericclioptions.NewConfigFlags(true)
	flags.KubeConfig = &kc
	c, err := Connect(context.Background(), flags)
	if err != nil {
		t.Fatal(err)
	}
	if c.Version == "" || c.Minor == 0 {
		t.Errorf("version %q minor %d", c.Version, c.Minor)
	}
	out := t.TempDir()
	copyPath, err := c.WriteKubeconfig(out, env.Namespace)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(env.Bin, "kubectl"), "--kubeconfig", copyPath, "get", "serviceaccount", "default", "-o", "name")
	cmd.Dir = out
	if b, err := cmd.CombinedOutput(); err != nil || strings.TrimSpace(string(b)) != "serviceaccount/default" {
		t.Errorf("kubectl with the copy: %v: %s", err, b)
	}
	// The copy answers to kubeadm's cluster name, as pages write it.
	cmd = exec.Command(filepath.Join(env.Bin, "kubectl"), "--kubeconfig", copyPath, "config", "set-context", "reader", "--cluster=kubernetes")
	cmd.Dir = out
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("set-context: %v: %s", err, b)
	}
	copied, _ := clientcmd.LoadFromFile(copyPath)
	if copied == nil || copied.Clusters["kubernetes"] == nil || copied.Clusters["kubernetes"].Server != c.Config.Host {
		t.Errorf("no cluster %q in the copy, or another server", "kubernetes")
	}
	after, _ := os.ReadFile(kc)
	if string(after) != string(before) {
		t.Errorf("the original kubeconfig was changed")
	}
	if fi, _ := os.Stat(copyPath); fi.Mode().Perm() != 0o600 {
		t.Errorf("copy mode %v", fi.Mode())
	}
}

// TestConnectErrors checks the one-line errors of an unreachable cluster
// and of rejected credentials.
func TestConnectErrors(t *testing.T) {
	env := clustertest.Require(t)
	cfg, err := clientcmd.LoadFromFile(env.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	down := cfg.DeepCopy()
	for _, c := range down.Clusters {
		c.Server = "https://127.0.0.1:1" // nothing listens on port 1
	}
	p := filepath.Join(dir, "down")
	clientcmd.WriteToFile(*down, p)
	flags := genericclioptions.NewConfigFlags(true)
	flags.KubeConfig = &p
	_, err = Connect(context.Background(), flags)
	if err == nil || !strings.Contains(err.Error(), "cannot reach the cluster") || strings.Contains(err.Error(), "\n") {
		t.Errorf("unreachable: %v", err)
	}
	bad := cfg.DeepCopy()
	for _, a := range bad.AuthInfos {
		a.ClientCertificate, a.ClientKey, a.ClientCertificateData, a.ClientKeyData = "", "", nil, nil
		a.Token = "not-a-valid-token"
	}
	p2 := filepath.Join(dir, "bad")
	clientcmd.WriteToFile(*bad, p2)
	flags = genericclioptions.NewConfigFlags(true)
	flags.KubeConfig = &p2
	_, err = Connect(context.Background(), flags)
	if err == nil || !strings.Contains(err.Error(), "rejected the credentials") {
		t.Errorf("bad credentials: %v", err)
	}
}

// TestLeaks checks that the objects new in after are leaks, sorted, except
// the namespaces docrun makes (its pages', its tests'), the parts of the
// local cluster and the objects being deleted; an object made again
// under the name of one still terminating in before is a leak.
func TestLeaks(t *testing.T) {
	obj := func(kind, name string) Object { return Object{Kind: kind, Name: name} }
	before := map[string]Object{
		"ns/default":     obj("Namespace", "default"),
		"ns/development": {Kind: "Namespace", Name: "development", UID: "earlier-run", Deleting: true},
		"ns/staging":     {Kind: "Namespace", Name: "staging", UID: "u1"},
	}
	after := map[string]Object{
		"ns/default":           obj("Namespace", "default"),
		"ns/development":       {Kind: "Namespace", Name: "development", UID: "this-run"},
		"ns/staging":           {Kind: "Namespace", Name: "staging", UID: "u1"},
		"ns/example":           {Kind: "Namespace", Name: "example", UID: "u2", Deleting: true},
		"ns/production":        obj("Namespace", "production"),
		"ns/docrun-1a2b3c4d":   obj("Namespace", "docrun-1a2b3c4d"),
		"ns/docrun-test-x7k2p": obj("Namespace", "docrun-test-x7k2p"),
		"crd/crontabs":         obj("CustomResourceDefinition", "crontabs.stable.example.com"),
		"crb/docrun-reader":    obj("ClusterRoleBinding", "docrun-reader"),
		"vap/docrun-real-node": {Kind: "ValidatingAdmissionPolicy", Name: "docrun-real-node-network", Part: true},
	}
	var got []string
	for _, o := range Leaks(before, after) {
		got = append(got, o.String())
	}
	want := "clusterrolebinding/docrun-reader customresourcedefinition/crontabs.stable.example.com namespace/development namespace/production"
	if strings.Join(got, " ") != want {
		t.Errorf("Leaks = %v, want %s", got, want)
	}
}

// TestWaitGone checks that an object is gone when it is not found or when
// one of the same name with another UID took its place, and that an
// object still there is returned once the bound runs out.
func TestWaitGone(t *testing.T) {
	ns := func(name, uid string) *unstructured.Unstructured {
		u := &unstructured.Unstructured{}
		u.SetAPIVersion("v1")
		u.SetKind("Namespace")
		u.SetName(name)
		u.SetUID(types.UID(uid))
		return u
	}
	gvr := schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}
	dyn := dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(),
		map[schema.GroupVersionResource]string{gvr: "NamespaceList"}, ns("again", "new"), ns("stuck", "s1"))
	c := &Cluster{Dynamic: dyn}
	objs := []Object{
		{Resource: gvr, Kind: "Namespace", Name: "gone", UID: "g1"},
		{Resource: gvr, Kind: "Namespace", Name: "again", UID: "old"},
		{Resource: gvr, Kind: "Namespace", Name: "stuck", UID: "s1"},
	}
	left := c.WaitGone(context.Background(), objs, 500*time.Millisecond)
	if len(left) != 1 || left[0].Name != "stuck" {
		t.Errorf("WaitGone left %v, want only namespace/stuck", left)
	}
}

// Package cluster is docrun's view of the cluster a page runs against,
// through client-go: the preflight check, the isolated namespace and
// kubeconfig copy each page runs with, and the report of cluster-scoped
// objects a run left behind.
package cluster

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/docrun/docrun/result"
)

// Cluster is a connected cluster.
type Cluster struct {
	result.ClusterInfo
	// Capabilities are what the cluster offers; ClusterInfo.Capabilities
	// is their data, in the run result.
	Capabilities *Capabilities
	// Raw is the merged kubeconfig, with the chosen context current and
	// file paths made absolute; it is the base of every kubeconfig copy.
	Raw       clientcmdapi.Config
	Config    *rest.Config
	Client    kubernetes.Interface
	Dynamic   dynamic.Interface
	Discovery discovery.DiscoveryInterface
	// Minor is the server's minor version (37 for v1.37.2), 0 if unknown.
	Minor int
}

// Connect loads the kubeconfig the flags select (--kubeconfig, --context,
// KUBECONFIG, ...) and checks that the server answers and accepts the
// credentials. Errors are one line a user can act on.
func Connect(ctx context.Context, flags *genericclioptions.ConfigFlags) (*Cluster, error) {
	loader := flags.ToRawKubeConfigLoader()
	raw, err := loader.RawConfig()
	if err != nil {
		return nil, fmt.Errorf("kubeconfig: %v", err)
	}
	ctxName := raw.CurrentContext
	if flags.Context != nil && *flags.Context != "" {
		ctxName = *flags.Context
	}
	kctx, ok := raw.Contexts[ctxName]
	if !ok || ctxName == "" {
		if ctxName == "" {
			return nil, errors.New("kubeconfig: no current context (set one with kubectl config use-context, or pass --context)")
		}
		return nil, fmt.Errorf("kubeconfig: context %q not found", ctxName)
	}
	cfg, err := loader.ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("kubeconfig: %v", err)
	}
	cfg.Timeout = 15 * time.Second
	// Snapshots list every cluster-scoped resource at once; the default
	// client-side limit (5 requests a second) would make them take seconds.
	cfg.QPS, cfg.Burst = 200, 400
	cfg.WarningHandler = rest.NoWarnings{}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("kubeconfig: %v", err)
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("kubeconfig: %v", err)
	}
	c := &Cluster{Config: cfg, Client: cs, Dynamic: dyn, Discovery: cs.Discovery()}
	c.Context, c.Cluster, c.Server = ctxName, kctx.Cluster, cfg.Host
	ns, _, _ := loader.Namespace()
	c.Namespace = ns

	v, err := c.Discovery.ServerVersion()
	if apierrors.IsUnauthorized(err) {
		return nil, fmt.Errorf("the cluster at %s rejected the credentials of context %q (401 Unauthorized)", cfg.Host, ctxName)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot reach the cluster of context %q at %s: %s", ctxName, cfg.Host, shortError(err))
	}
	c.Version = v.GitVersion
	fmt.Sscanf(strings.TrimSuffix(v.Minor, "+"), "%d", &c.Minor)
	// Reading the version may be allowed anonymously: check that the
	// credentials work too.
	if _, err := cs.CoreV1().Namespaces().List(ctx, metav1.ListOptions{Limit: 1}); err != nil {
		switch {
		case apierrors.IsUnauthorized(err):
			return nil, fmt.Errorf("the cluster at %s rejected the credentials of context %q (401 Unauthorized)", cfg.Host, ctxName)
		case apierrors.IsForbidden(err):
			// Listing namespaces may be forbidden to a namespaced user;
			// that is not a failed login.
		default:
			return nil, fmt.Errorf("cannot use the cluster of context %q at %s: %s", ctxName, cfg.Host, shortError(err))
		}
	}

	c.Capabilities = Detect(ctx, cs, dyn)
	c.Capabilities.Local = c.Cluster == LocalClusterName && IsLoopback(cfg.Host)
	c.ClusterInfo.Capabilities = &c.Capabilities.Capabilities
	c.SimulatedNodes = !c.Capabilities.Containers

	raw.CurrentContext = ctxName
	if err := absolutize(&raw, loader.ConfigAccess().GetLoadingPrecedence()); err != nil {
		return nil, err
	}
	c.Raw = raw
	return c, nil
}

// shortError trims client-go's wrapped errors to their useful end.
func shortError(err error) string {
	msg := err.Error()
	var uerr *url.Error
	if errors.As(err, &uerr) {
		var op *net.OpError
		if errors.As(uerr.Err, &op) {
			return op.Err.Error()
		}
		return uerr.Err.Error()
	}
	if len(msg) > 300 {
		msg = msg[:300] + "…"
	}
	return msg
}

// absolutize makes the file paths of a merged kubeconfig absolute, so a copy
// written elsewhere still finds certificates given as relative paths.
// client-go resolves relative paths against the file each entry came from
// (LocationOfOrigin).
func absolutize(cfg *clientcmdapi.Config, files []string) error {
	base := func(origin string) string {
		if origin == "" {
			if len(files) > 0 {
				origin = files[0]
			} else {
				wd, _ := os.Getwd()
				return wd
			}
		}
		abs, err := filepath.Abs(origin)
		if err != nil {
			return filepath.Dir(origin)
		}
		return filepath.Dir(abs)
	}
	fix := func(p *string, dir string) {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
	for _, c := range cfg.Clusters {
		fix(&c.CertificateAuthority, base(c.LocationOfOrigin))
	}
	for _, a := range cfg.AuthInfos {
		d := base(a.LocationOfOrigin)
		fix(&a.ClientCertificate, d)
		fix(&a.ClientKey, d)
		fix(&a.TokenFile, d)
		if a.Exec != nil && strings.Contains(a.Exec.Command, "/") {
			fix(&a.Exec.Command, d)
		}
	}
	return nil
}

// DefaultClusterName is the name kubeadm gives the cluster in the
// kubeconfigs it writes, which pages use as the reader's cluster.
const DefaultClusterName = "kubernetes"

// WriteKubeconfig writes a copy of the kubeconfig into dir whose current
// context uses namespace, and returns its path. When the kubeconfig has no
// cluster named DefaultClusterName, the copy has the current context's
// cluster under that name too. The user's files are only read.
func (c *Cluster) WriteKubeconfig(dir, namespace string) (string, error) {
	cfg := c.Raw.DeepCopy()
	kctx := cfg.Contexts[cfg.CurrentContext].DeepCopy()
	kctx.Namespace = namespace
	kctx.LocationOfOrigin = ""
	cfg.Contexts[cfg.CurrentContext] = kctx
	if _, ok := cfg.Clusters[DefaultClusterName]; !ok && cfg.Clusters[kctx.Cluster] != nil {
		// Pages write kubeadm's name of the cluster (kubectl config
		// set-context x --cluster=kubernetes): the copy answers to it too.
		alias := cfg.Clusters[kctx.Cluster].DeepCopy()
		alias.LocationOfOrigin = ""
		cfg.Clusters[DefaultClusterName] = alias
	}
	path := filepath.Join(dir, "kubeconfig")
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		return "", fmt.Errorf("write kubeconfig copy: %v", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return "", err
	}
	return path, nil
}

// namespacePrefix starts the names of the namespaces docrun makes.
const namespacePrefix = "docrun-"

// NewNamespaceName returns "docrun-" and a random suffix.
func NewNamespaceName() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return namespacePrefix + hex.EncodeToString(b[:])
}

// CreateNamespace creates a namespace for a page and waits until its
// default ServiceAccount exists (pods cannot be created before).
func (c *Cluster) CreateNamespace(ctx context.Context, name string) error {
	ns := &metav1.ObjectMeta{Name: name, Labels: map[string]string{"app.kubernetes.io/managed-by": "docrun"}}
	_, err := c.Client.CoreV1().Namespaces().Create(ctx, namespaceObject(ns), metav1.CreateOptions{})
	if err != nil {
		return fmt.Errorf("create namespace %s: %v", name, shortError(err))
	}
	err = wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, 60*time.Second, true, func(ctx context.Context) (bool, error) {
		_, err := c.Client.CoreV1().ServiceAccounts(name).Get(ctx, "default", metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return false, nil
		}
		return err == nil, err
	})
	if err != nil {
		return fmt.Errorf("namespace %s: default ServiceAccount did not appear: %v", name, shortError(err))
	}
	return nil
}

// DeleteNamespace deletes a namespace and waits until it is gone, at most
// timeout.
func (c *Cluster) DeleteNamespace(ctx context.Context, name string, timeout time.Duration) error {
	if err := c.StartDeleteNamespace(ctx, name); err != nil {
		return err
	}
	if left := c.WaitNamespacesGone(ctx, []string{name}, timeout); len(left) > 0 {
		return fmt.Errorf("namespace %s is still terminating after %s", name, timeout)
	}
	return nil
}

// StartDeleteNamespace asks for a namespace's deletion and returns without
// waiting: the namespace controller deletes its objects in the background
// (seconds for an empty namespace), and WaitNamespacesGone waits for it.
// A namespace already gone is not an error.
func (c *Cluster) StartDeleteNamespace(ctx context.Context, name string) error {
	fg := metav1.DeletePropagationForeground
	err := c.Client.CoreV1().Namespaces().Delete(ctx, name, metav1.DeleteOptions{PropagationPolicy: &fg})
	if err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("delete namespace %s: %v", name, shortError(err))
	}
	return nil
}

// WaitNamespacesGone waits until none of the namespaces exists, at most
// timeout (or until ctx ends), and returns those still there, in the
// order given. It lists the namespaces once per poll, whatever their
// number.
func (c *Cluster) WaitNamespacesGone(ctx context.Context, names []string, timeout time.Duration) []string {
	left := names
	_ = wait.PollUntilContextTimeout(ctx, 200*time.Millisecond, timeout, true, func(ctx context.Context) (bool, error) {
		list, err := c.Client.CoreV1().Namespaces().List(ctx, metav1.ListOptions{})
		if err != nil {
			return false, nil
		}
		there := map[string]bool{}
		for _, ns := range list.Items {
			there[ns.Name] = true
		}
		var still []string
		for _, n := range left {
			if there[n] {
				still = append(still, n)
			}
		}
		left = still
		return len(left) == 0, nil
	})
	return left
}

// IsLoopback reports whether a server URL points at this machine.
func IsLoopback(server string) bool {
	u, err := url.Parse(server)
	if err != nil {
		return false
	}
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

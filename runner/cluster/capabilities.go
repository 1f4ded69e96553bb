package cluster

import (
	"bufio"
	"bytes"
	"context"
	"regexp"
	"strings"
	"sync"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"

	"github.com/docrun/docrun/result"
)

// Capabilities are what the cluster offers that pages rely on, found once
// per run with a few cheap requests (discovery and short lists). A
// capability that could not be read (a forbidden list, say) counts as
// present, so that docrun never skips a step on a guess.
type Capabilities struct {
	// Capabilities is what the run result shows of them.
	result.Capabilities

	// served maps "group/version" to the kinds the server serves there;
	// nil when discovery failed.
	served map[string]map[string]bool
	// kinds maps the names kubectl takes for a resource (plural, singular,
	// short names, lower case) to its kind.
	kinds map[string]string
	disc  discovery.DiscoveryInterface
	mu    sync.Mutex
	gates map[string]bool
	gated bool
	// offline are the images served offline, normalized (NormalizeImage);
	// nil when the cluster does not list them.
	offline map[string]bool
	// simulated are the names of the simulated nodes (kwok's annotation).
	simulated map[string]bool
}

// LocalClusterName is the kubeconfig cluster name of docrun's local
// cluster (kwokctl names it kwok-<name>; tools/cluster.sh uses "docrun").
const LocalClusterName = "kwok-docrun"

// Detect reads what the cluster offers. It never fails: what cannot be
// read is taken to be there.
func Detect(ctx context.Context, cs kubernetes.Interface, dyn dynamic.Interface) *Capabilities {
	c := &Capabilities{Capabilities: result.Capabilities{Containers: true, Metrics: true}, disc: cs.Discovery()}
	c.nodes(ctx, cs)
	c.discover()
	c.Metrics = c.metrics(ctx, dyn)
	c.storage(ctx, cs)
	c.dns(ctx, cs)
	c.loadBalancer(ctx, cs)
	c.offlineImages(ctx, cs)
	return c
}

// nodes counts nodes and schedulable ones and finds whether all are
// simulated (kwok's node annotation).
func (c *Capabilities) nodes(ctx context.Context, cs kubernetes.Interface) {
	list, err := cs.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		c.SchedulableNodes, c.Nodes = -1, -1
		return
	}
	c.simulated = map[string]bool{}
	for _, n := range list.Items {
		c.Nodes++
		if n.Annotations["kwok.x-k8s.io/node"] == "fake" {
			c.simulated[n.Name] = true
		}
		if schedulable(&n) {
			c.SchedulableNodes++
		}
	}
	c.Containers = c.Nodes == 0 || len(c.simulated) < c.Nodes
}

// Simulated reports whether the node of that name is simulated (kwok): no
// container runs there.
func (c *Capabilities) Simulated(node string) bool {
	return c != nil && c.simulated[node]
}

// SomeSimulated reports whether some nodes are simulated while others run
// containers: a Pod may then land where its containers do not run.
func (c *Capabilities) SomeSimulated() bool {
	return c != nil && c.Containers && len(c.simulated) > 0
}

func schedulable(n *corev1.Node) bool {
	if n.Spec.Unschedulable {
		return false
	}
	for _, t := range n.Spec.Taints {
		if t.Effect == corev1.TaintEffectNoSchedule || t.Effect == corev1.TaintEffectNoExecute {
			return false
		}
	}
	for _, cond := range n.Status.Conditions {
		if cond.Type == corev1.NodeReady {
			return cond.Status == corev1.ConditionTrue
		}
	}
	return false
}

// discover reads the kinds the server serves in each group version.
// Groups an aggregated server failed to answer for are left out.
func (c *Capabilities) discover() {
	_, lists, err := c.disc.ServerGroupsAndResources()
	if err != nil && len(lists) == 0 {
		return
	}
	c.served = map[string]map[string]bool{}
	c.kinds = map[string]string{}
	for _, l := range lists {
		kinds := map[string]bool{}
		for _, r := range l.APIResources {
			if strings.Contains(r.Name, "/") {
				continue
			}
			kinds[r.Kind] = true
			for _, n := range append([]string{r.Name, r.SingularName, strings.ToLower(r.Kind)}, r.ShortNames...) {
				if _, ok := c.kinds[n]; n != "" && !ok {
					c.kinds[n] = r.Kind
				}
			}
		}
		c.served[l.GroupVersion] = kinds
	}
}

// Serves reports whether the server serves kind in apiVersion ("apps/v1",
// "v1"). The run's discovery answers first; a kind it lacks is asked for
// again, so that a CustomResourceDefinition the page made counts. It is
// true when discovery failed.
func (c *Capabilities) Serves(apiVersion, kind string) bool {
	if c == nil || c.served == nil {
		return true
	}
	c.mu.Lock()
	kinds, ok := c.served[apiVersion]
	c.mu.Unlock()
	if ok && kinds[kind] {
		return true
	}
	l, err := c.disc.ServerResourcesForGroupVersion(apiVersion)
	if err != nil {
		return !apierrors.IsNotFound(err)
	}
	for _, r := range l.APIResources {
		if r.Kind == kind {
			return true
		}
	}
	return false
}

// KindFor returns the kind of a resource as kubectl's arguments name it
// ("sts", "pods", "deployment.apps", "Service"), or "" when the server
// does not say.
func (c *Capabilities) KindFor(resource string) string {
	if c == nil {
		return ""
	}
	r, _, _ := strings.Cut(strings.ToLower(resource), ".")
	return c.kinds[r]
}

// ServesGroup reports whether the server serves any version of the API
// group of apiVersion.
func (c *Capabilities) ServesGroup(apiVersion string) bool {
	if c == nil || c.served == nil {
		return true
	}
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil {
		return true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.served {
		if g, err := schema.ParseGroupVersion(k); err == nil && g.Group == gv.Group {
			return true
		}
	}
	return false
}

// metrics reports whether the resource metrics API is available: its
// APIService (v1beta1.metrics.k8s.io) has Available=True. Without that
// API in discovery it is missing; an APIService that cannot be read
// counts as available.
func (c *Capabilities) metrics(ctx context.Context, dyn dynamic.Interface) bool {
	if c.served != nil {
		found := false
		for gv := range c.served {
			if strings.HasPrefix(gv, "metrics.k8s.io/") {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	if dyn == nil {
		return true
	}
	gvr := schema.GroupVersionResource{Group: "apiregistration.k8s.io", Version: "v1", Resource: "apiservices"}
	svc, err := dyn.Resource(gvr).Get(ctx, "v1beta1.metrics.k8s.io", metav1.GetOptions{})
	if err != nil {
		return c.served != nil
	}
	conds, _, _ := unstructuredSlice(svc.Object, "status", "conditions")
	for _, x := range conds {
		m, _ := x.(map[string]any)
		if m["type"] == "Available" {
			return m["status"] == "True"
		}
	}
	return false
}

func unstructuredSlice(obj map[string]any, fields ...string) ([]any, bool, error) {
	var cur any = obj
	for _, f := range fields {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false, nil
		}
		cur = m[f]
	}
	s, ok := cur.([]any)
	return s, ok, nil
}

// storage finds the default StorageClass (either of the annotations
// Kubernetes reads).
func (c *Capabilities) storage(ctx context.Context, cs kubernetes.Interface) {
	list, err := cs.StorageV1().StorageClasses().List(ctx, metav1.ListOptions{})
	if err != nil {
		c.DefaultStorageClass = "(unknown)"
		return
	}
	for _, sc := range list.Items {
		for _, a := range []string{"storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class"} {
			if sc.Annotations[a] == "true" {
				c.DefaultStorageClass = sc.Name
				return
			}
		}
	}
}

// dns finds the cluster DNS Service in kube-system: the one labelled
// k8s-app=kube-dns (kube-dns and CoreDNS both keep that label), or one
// named kube-dns or coredns.
func (c *Capabilities) dns(ctx context.Context, cs kubernetes.Interface) {
	list, err := cs.CoreV1().Services("kube-system").List(ctx, metav1.ListOptions{})
	if err != nil {
		c.DNS = "(unknown)"
		return
	}
	for _, s := range list.Items {
		if s.Labels["k8s-app"] == "kube-dns" || s.Name == "kube-dns" || s.Name == "coredns" {
			c.DNS = "kube-system/" + s.Name
			return
		}
	}
}

// lbGroups are API groups of controllers that give LoadBalancer Services
// an address on clusters without a cloud provider.
var lbGroups = []string{"metallb.io", "cilium.io", "kube-vip.io", "loxilb.io", "purelb.io"}

// noCloud are node providerID schemes of clusters with no cloud load
// balancer.
var noCloud = regexp.MustCompile(`^(kind|kwok|k3s|minikube|docker|fake)://`)

// loadBalancer decides, best effort, whether Services of type
// LoadBalancer get an address: the nodes belong to a cloud provider (a
// providerID such as aws:// or gce://), a load-balancer controller's API
// is served (MetalLB, Cilium, kube-vip, ...), or a LoadBalancer Service
// already has an address. Otherwise they keep EXTERNAL-IP <pending>.
func (c *Capabilities) loadBalancer(ctx context.Context, cs kubernetes.Interface) {
	if nodes, err := cs.CoreV1().Nodes().List(ctx, metav1.ListOptions{Limit: 1}); err == nil && len(nodes.Items) > 0 {
		if p := nodes.Items[0].Spec.ProviderID; p != "" && !noCloud.MatchString(p) {
			c.LoadBalancer, c.LoadBalancerWhy = true, "the nodes belong to a cloud provider ("+strings.SplitN(p, ":", 2)[0]+")"
			return
		}
	}
	for gv := range c.served {
		for _, g := range lbGroups {
			if strings.HasPrefix(gv, g+"/") {
				c.LoadBalancer, c.LoadBalancerWhy = true, "a load-balancer controller's API is served ("+g+")"
				return
			}
		}
	}
	svcs, err := cs.CoreV1().Services("").List(ctx, metav1.ListOptions{Limit: 500})
	if err != nil {
		c.LoadBalancer, c.LoadBalancerWhy = true, "unknown: Services cannot be listed"
		return
	}
	for _, s := range svcs.Items {
		if s.Spec.Type == corev1.ServiceTypeLoadBalancer && len(s.Status.LoadBalancer.Ingress) > 0 {
			c.LoadBalancer, c.LoadBalancerWhy = true, "Service "+s.Namespace+"/"+s.Name+" has a load-balancer address"
			return
		}
	}
	c.LoadBalancerWhy = "no cloud provider, load-balancer controller or LoadBalancer Service with an address"
}

// FeatureGates returns the server's feature gates and whether each is
// on, read once (when a page first asks) from the API server's
// kubernetes_feature_enabled metric; nil when /metrics cannot be read.
func (c *Capabilities) FeatureGates(ctx context.Context) map[string]bool {
	if c == nil || c.disc == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gated {
		return c.gates
	}
	c.gated = true
	rc := c.disc.RESTClient()
	if rc == nil {
		return nil
	}
	raw, err := rc.Get().AbsPath("/metrics").DoRaw(ctx)
	if err != nil {
		return nil
	}
	c.gates = parseFeatureGates(raw)
	return c.gates
}

var featureLine = regexp.MustCompile(`^kubernetes_feature_enabled\{[^}]*name="([^"]+)"[^}]*\} ([01])`)

// parseFeatureGates reads kubernetes_feature_enabled{name="X",stage="BETA"} 1
// lines of a Prometheus text exposition.
func parseFeatureGates(raw []byte) map[string]bool {
	gates := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		if m := featureLine.FindSubmatch(sc.Bytes()); m != nil {
			gates[string(m[1])] = m[2][0] == '1'
		}
	}
	if len(gates) == 0 {
		return nil
	}
	return gates
}

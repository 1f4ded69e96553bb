package cluster

import (
	"context"
	"encoding/json"
	"testing"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/docrun/docrun/result"
)

func node(name string, kwok bool, mod func(*corev1.Node)) *corev1.Node {
	n := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Annotations: map[string]string{}}}
	if kwok {
		n.Annotations["kwok.x-k8s.io/node"] = "fake"
	}
	n.Status.Conditions = []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue}}
	if mod != nil {
		mod(n)
	}
	return n
}

var (
	coreV1 = &metav1.APIResourceList{GroupVersion: "v1", APIResources: []metav1.APIResource{
		{Name: "pods", Kind: "Pod"}, {Name: "pods/log", Kind: "Pod"}, {Name: "services", Kind: "Service"}}}
	appsV1 = &metav1.APIResourceList{GroupVersion: "apps/v1", APIResources: []metav1.APIResource{
		{Name: "deployments", Kind: "Deployment"}}}
	metricsV1 = &metav1.APIResourceList{GroupVersion: "metrics.k8s.io/v1beta1", APIResources: []metav1.APIResource{
		{Name: "pods", Kind: "PodMetrics"}}}
	metallb = &metav1.APIResourceList{GroupVersion: "metallb.io/v1beta1", APIResources: []metav1.APIResource{
		{Name: "ipaddresspools", Kind: "IPAddressPool"}}}
)

func apiService(available string) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "apiregistration.k8s.io/v1", "kind": "APIService",
		"metadata": map[string]any{"name": "v1beta1.metrics.k8s.io"},
		"status":   map[string]any{"conditions": []any{map[string]any{"type": "Available", "status": available}}},
	}}
}

func TestDetect(t *testing.T) {
	kubeDNS := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "kube-dns", Namespace: "kube-system", Labels: map[string]string{"k8s-app": "kube-dns"}}}
	coreDNS := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "coredns", Namespace: "kube-system"}}
	defaultSC := &storagev1.StorageClass{ObjectMeta: metav1.ObjectMeta{Name: "standard",
		Annotations: map[string]string{"storageclass.kubernetes.io/is-default-class": "true"}}}
	otherSC := &storagev1.StorageClass{ObjectMeta: metav1.ObjectMeta{Name: "slow"}}
	lbSvc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "shop"},
		Spec:   corev1.ServiceSpec{Type: corev1.ServiceTypeLoadBalancer},
		Status: corev1.ServiceStatus{LoadBalancer: corev1.LoadBalancerStatus{Ingress: []corev1.LoadBalancerIngress{{IP: "10.1.2.3"}}}}}
	cordoned := func(n *corev1.Node) { n.Spec.Unschedulable = true }
	controlPlane := func(n *corev1.Node) {
		n.Spec.Taints = []corev1.Taint{{Key: "node-role.kubernetes.io/control-plane", Effect: corev1.TaintEffectNoSchedule}}
	}
	notReady := func(n *corev1.Node) { n.Status.Conditions[0].Status = corev1.ConditionFalse }
	aws := func(n *corev1.Node) { n.Spec.ProviderID = "aws:///eu-west-1a/i-0123" }
	kind := func(n *corev1.Node) { n.Spec.ProviderID = "kind://docker/kind/kind-control-plane" }

	tests := []struct {
		name      string
		objs      []runtime.Object
		resources []*metav1.APIResourceList
		apiSvc    *unstructured.Unstructured
		want      *Capabilities
	}{
		{
			name:      "kwok nodes, nothing installed",
			objs:      []runtime.Object{node("a", true, nil), node("b", true, nil)},
			resources: []*metav1.APIResourceList{coreV1, appsV1},
			want: &Capabilities{Capabilities: result.Capabilities{Containers: false, Nodes: 2, SchedulableNodes: 2,
				LoadBalancerWhy: "no cloud provider, load-balancer controller or LoadBalancer Service with an address"}},
		},
		{
			name:      "one real node among simulated ones, kube-dns, default class, metrics available",
			objs:      []runtime.Object{node("a", true, nil), node("b", false, nil), kubeDNS, defaultSC, otherSC},
			resources: []*metav1.APIResourceList{coreV1, metricsV1},
			apiSvc:    apiService("True"),
			want: &Capabilities{Capabilities: result.Capabilities{Containers: true, Nodes: 2, SchedulableNodes: 2, Metrics: true, DNS: "kube-system/kube-dns",
				DefaultStorageClass: "standard",
				LoadBalancerWhy:     "no cloud provider, load-balancer controller or LoadBalancer Service with an address"}},
		},
		{
			name:      "metrics API registered but not available; coredns; a cloud provider",
			objs:      []runtime.Object{node("a", false, aws), coreDNS, otherSC},
			resources: []*metav1.APIResourceList{coreV1, metricsV1},
			apiSvc:    apiService("False"),
			want: &Capabilities{Capabilities: result.Capabilities{Containers: true, Nodes: 1, SchedulableNodes: 1, DNS: "kube-system/coredns",
				LoadBalancer: true, LoadBalancerWhy: "the nodes belong to a cloud provider (aws)"}},
		},
		{
			name:      "cordoned, tainted and not-ready nodes are not schedulable; MetalLB",
			objs:      []runtime.Object{node("a", false, cordoned), node("b", false, controlPlane), node("c", false, notReady), node("d", false, kind)},
			resources: []*metav1.APIResourceList{coreV1, metallb},
			want: &Capabilities{Capabilities: result.Capabilities{Containers: true, Nodes: 4, SchedulableNodes: 1,
				LoadBalancer: true, LoadBalancerWhy: "a load-balancer controller's API is served (metallb.io)"}},
		},
		{
			name:      "a LoadBalancer Service with an address",
			objs:      []runtime.Object{node("a", false, nil), lbSvc},
			resources: []*metav1.APIResourceList{coreV1},
			want: &Capabilities{Capabilities: result.Capabilities{Containers: true, Nodes: 1, SchedulableNodes: 1,
				LoadBalancer: true, LoadBalancerWhy: "Service shop/web has a load-balancer address"}},
		},
		{
			name: "no nodes: containers are not ruled out",
			want: &Capabilities{Capabilities: result.Capabilities{Containers: true,
				LoadBalancerWhy: "no cloud provider, load-balancer controller or LoadBalancer Service with an address"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cs := fake.NewClientset(tc.objs...)
			cs.Resources = tc.resources
			var dynObjs []runtime.Object
			if tc.apiSvc != nil {
				dynObjs = append(dynObjs, tc.apiSvc)
			}
			dyn := dynamicfake.NewSimpleDynamicClient(runtime.NewScheme(), dynObjs...)
			got := Detect(context.Background(), cs, dyn)
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(tc.want)
			if string(g) != string(w) {
				t.Errorf("Detect:\n got %s\nwant %s", g, w)
			}
		})
	}
}

func TestServes(t *testing.T) {
	cs := fake.NewClientset()
	cs.Resources = []*metav1.APIResourceList{coreV1, appsV1}
	c := Detect(context.Background(), cs, nil)
	// A CustomResourceDefinition made after detection is found on a
	// second look.
	cs.Resources = append(cs.Resources, &metav1.APIResourceList{GroupVersion: "stable.example.com/v1",
		APIResources: []metav1.APIResource{{Name: "crontabs", Kind: "CronTab"}}})
	tests := []struct {
		apiVersion, kind string
		serves, group    bool
	}{
		{"v1", "Pod", true, true},
		{"apps/v1", "Deployment", true, true},
		{"apps/v1", "DaemonSet", false, true},
		{"extensions/v1beta1", "Deployment", false, false},
		{"apps/v1beta2", "Deployment", false, true},
		{"stable.example.com/v1", "CronTab", true, false},
	}
	for _, tc := range tests {
		if got := c.Serves(tc.apiVersion, tc.kind); got != tc.serves {
			t.Errorf("Serves(%s, %s) = %v, want %v", tc.apiVersion, tc.kind, got, tc.serves)
		}
		if got := c.ServesGroup(tc.apiVersion); got != tc.group {
			t.Errorf("ServesGroup(%s) = %v, want %v", tc.apiVersion, got, tc.group)
		}
	}
	var none *Capabilities
	if !none.Serves("x/v1", "X") || !none.ServesGroup("x/v1") {
		t.Error("without capabilities every kind counts as served")
	}
}

func TestParseFeatureGates(t *testing.T) {
	raw := []byte(`# HELP kubernetes_feature_enabled [BETA] This metric records the data about the stage and enablement of a k8s feature.
# TYPE kubernetes_feature_enabled gauge
kubernetes_feature_enabled{name="APIResponseCompression",stage="BETA"} 1
kubernetes_feature_enabled{name="InPlacePodVerticalScaling",stage="ALPHA"} 0
kubernetes_feature_enabled{stage="",name="AllAlpha"} 0
apiserver_request_total{code="200"} 12
`)
	got := parseFeatureGates(raw)
	want := map[string]bool{"APIResponseCompression": true, "InPlacePodVerticalScaling": false, "AllAlpha": false}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if parseFeatureGates([]byte("up 1\n")) != nil {
		t.Error("no feature metric: want nil")
	}
}

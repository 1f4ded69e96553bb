package runner

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	fakediscovery "k8s.io/client-go/discovery/fake"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/docrun/docrun/result"
	"github.com/docrun/docrun/runner/cluster"
)

// fakeCluster is a cluster of client-go's fakes holding the namespaces
// and the ClusterRoles named.
func fakeCluster(namespaces, clusterRoles []string) *cluster.Cluster {
	var objs []runtime.Object
	for _, n := range namespaces {
		objs = append(objs, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: n}})
	}
	cs := fake.NewClientset(objs...)
	cs.Resources = []*metav1.APIResourceList{{GroupVersion: "rbac.authorization.k8s.io/v1", APIResources: []metav1.APIResource{
		{Name: "clusterroles", Kind: "ClusterRole", Verbs: metav1.Verbs{"list", "delete"}}}}}
	gvr := schema.GroupVersionResource{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "clusterroles"}
	var dyn []runtime.Object
	for _, n := range clusterRoles {
		u := &unstructured.Unstructured{}
		u.SetAPIVersion("rbac.authorization.k8s.io/v1")
		u.SetKind("ClusterRole")
		u.SetName(n)
		dyn = append(dyn, u)
	}
	d := dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(), map[schema.GroupVersionResource]string{gvr: "ClusterRoleList"}, dyn...)
	return &cluster.Cluster{Client: cs, Dynamic: d, Discovery: preferred{cs.Discovery().(*fakediscovery.FakeDiscovery)}}
}

// preferred is client-go's fake discovery, whose ServerPreferredResources
// (which Snapshot reads) returns its resources instead of nothing.
type preferred struct{ *fakediscovery.FakeDiscovery }

func (d preferred) ServerPreferredResources() ([]*metav1.APIResourceList, error) {
	return d.Resources, nil
}

// TestAwaitDeletions checks that the namespaces still there when the wait
// ends are returned and noted on their pages, and the others are not.
func TestAwaitDeletions(t *testing.T) {
	r := &Runner{Cluster: fakeCluster([]string{"docrun-stuck"}, nil)}
	gone := &pageRun{r: r, res: &result.PageResult{}, deleting: "docrun-gone"}
	stuck := &pageRun{r: r, res: &result.PageResult{}, deleting: "docrun-stuck"}
	kept := &pageRun{r: r, res: &result.PageResult{}}
	var d deletions
	for _, pr := range []*pageRun{gone, stuck, kept} {
		d.add(pr)
	}
	if n := len(d.all()); n != 2 {
		t.Fatalf("%d pages recorded, want the 2 whose namespace is being deleted", n)
	}
	left := r.awaitDeletions(context.Background(), d.all(), 300*time.Millisecond)
	if strings.Join(left, " ") != "docrun-stuck" {
		t.Errorf("still terminating: %v, want [docrun-stuck]", left)
	}
	if len(gone.res.Notes) != 0 || len(stuck.res.Notes) != 1 || !strings.Contains(stuck.res.Notes[0], "namespace docrun-stuck is still terminating after 300ms") {
		t.Errorf("notes: gone %q, stuck %q", gone.res.Notes, stuck.res.Notes)
	}
	if gone.deleting != "" || stuck.deleting != "" {
		t.Error("deleting not cleared after the wait")
	}
	// Ctrl-C shortens the bound.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if w := (&Runner{}).deleteWait(ctx); w != interruptedDeleteWait {
		t.Errorf("deleteWait after Ctrl-C = %s", w)
	}
	if w := (&Runner{}).deleteWait(context.Background()); w != DefaultDeleteWait {
		t.Errorf("deleteWait = %s", w)
	}
}

// TestRecheckLeaks checks that a leak found right after a page, while its
// namespace was terminating, is dropped (with a note) when the object went
// away with the namespace, and kept when it is still there or docrun
// deleted it.
func TestRecheckLeaks(t *testing.T) {
	r := &Runner{Cluster: fakeCluster(nil, []string{"left"})}
	p := &result.PageResult{Leaks: []string{"clusterrole/left", "persistentvolume/pvc-1"}}
	deleted := &result.PageResult{Leaks: []string{"clusterrole/gone"}, Deleted: true}
	r.recheckLeaks(context.Background(), []*result.PageResult{p, deleted})
	if strings.Join(p.Leaks, " ") != "clusterrole/left" {
		t.Errorf("leaks %v, want [clusterrole/left]", p.Leaks)
	}
	if len(p.Notes) != 1 || !strings.Contains(p.Notes[0], "persistentvolume/pvc-1 went away once the page's namespace was deleted") {
		t.Errorf("notes %q", p.Notes)
	}
	if len(deleted.Leaks) != 1 || len(deleted.Notes) != 0 {
		t.Errorf("deleted leaks changed: %v %q", deleted.Leaks, deleted.Notes)
	}
}

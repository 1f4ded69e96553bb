package cluster

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"
)

func namespaceObject(m *metav1.ObjectMeta) *corev1.Namespace {
	return &corev1.Namespace{ObjectMeta: *m}
}

// Object is a cluster-scoped object.
type Object struct {
	Resource schema.GroupVersionResource `json:"-"`
	Kind     string                      `json:"kind"`
	Name     string                      `json:"name"`
	// UID tells this object from an earlier one of the same name (one
	// deleted, still terminating when a snapshot was taken, and made
	// again since).
	UID types.UID `json:"-"`
	// Deleting is set when the object is being deleted (terminating).
	Deleting bool `json:"-"`
	// Part is set for a part of the local cluster itself (PartLabel).
	Part bool `json:"-"`
}

// PartLabel marks, with the value "true", the objects that are part of
// the local cluster itself (the real node's admission policies,
// tools/node.sh): made while a page runs, they are not its leaks, and
// --cleanup-cluster-scoped never deletes them.
const PartLabel = "docrun.dev/cluster-part"

// String is "kind/name".
func (o Object) String() string { return strings.ToLower(o.Kind) + "/" + o.Name }

// skipResources are cluster-scoped resources that change on their own or
// cannot be listed: they are not leaks of a page.
var skipResources = map[string]bool{
	"nodes": true, "events": true, "componentstatuses": true, "leases": true,
	"tokenreviews": true, "selfsubjectreviews": true, "selfsubjectaccessreviews": true,
	"selfsubjectrulesreviews": true, "subjectaccessreviews": true, "localsubjectaccessreviews": true,
	"bindings": true, "apiservices": true, "flowschemas": true, "prioritylevelconfigurations": true,
	"certificatesigningrequests": false,
}

// Snapshot lists the cluster-scoped objects there are now.
func (c *Cluster) Snapshot(ctx context.Context) (map[string]Object, error) {
	lists, err := c.Discovery.ServerPreferredResources()
	if err != nil && len(lists) == 0 {
		return nil, fmt.Errorf("discover resources: %v", shortError(err))
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	out := map[string]Object{}
	for _, l := range lists {
		gv, err := schema.ParseGroupVersion(l.GroupVersion)
		if err != nil {
			continue
		}
		for _, r := range l.APIResources {
			if r.Namespaced || strings.Contains(r.Name, "/") || skipResources[r.Name] || !hasVerb(r.Verbs, "list") {
				continue
			}
			gvr := gv.WithResource(r.Name)
			kind := r.Kind
			wg.Add(1)
			go func() {
				defer wg.Done()
				list, err := c.Dynamic.Resource(gvr).List(ctx, metav1.ListOptions{})
				if err != nil {
					return
				}
				mu.Lock()
				defer mu.Unlock()
				for _, it := range list.Items {
					o := Object{Resource: gvr, Kind: kind, Name: it.GetName(), UID: it.GetUID(),
						Deleting: it.GetDeletionTimestamp() != nil, Part: it.GetLabels()[PartLabel] == "true"}
					out[gvr.String()+"/"+o.Name] = o
				}
			}()
		}
	}
	wg.Wait()
	return out, nil
}

func hasVerb(verbs []string, v string) bool {
	for _, x := range verbs {
		if x == v {
			return true
		}
	}
	return false
}

// Leaks returns the objects of after that were not in before, except the
// namespaces docrun makes (named NewNamespaceName's way: a page's kept with
// --keep, those of other runs and tests on the same cluster), the parts
// of the local cluster (PartLabel), which are not a page's doing, and
// the objects being deleted. An object is told from one of the same name
// in before by its UID: a namespace an earlier run left terminating and a
// page made again is the page's.
func Leaks(before, after map[string]Object) []Object {
	var out []Object
	for k, o := range after {
		if b, ok := before[k]; ok && b.UID == o.UID || o.Deleting {
			continue
		}
		if o.Kind == "Namespace" && strings.HasPrefix(o.Name, namespacePrefix) || o.Part {
			continue
		}
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// WaitGone waits until objs are gone (or replaced by objects of the same
// name with another UID), at most timeout, and returns those still there.
func (c *Cluster) WaitGone(ctx context.Context, objs []Object, timeout time.Duration) []Object {
	left := objs
	_ = wait.PollUntilContextTimeout(ctx, 200*time.Millisecond, timeout, true, func(ctx context.Context) (bool, error) {
		var still []Object
		for _, o := range left {
			it, err := c.Dynamic.Resource(o.Resource).Get(ctx, o.Name, metav1.GetOptions{})
			switch {
			case apierrors.IsNotFound(err):
			case err != nil || o.UID == "" || it.GetUID() == o.UID:
				still = append(still, o)
			}
		}
		left = still
		return len(left) == 0, nil
	})
	return left
}

// DeleteAndWait deletes objs and, when every delete was taken, waits for
// them to be gone, at most bound: a later page or run that makes an
// object of the same name must not find it terminating. It returns what
// went wrong, as notes (a delete refused, an object still being deleted),
// and whether every delete was taken.
func (c *Cluster) DeleteAndWait(ctx context.Context, objs []Object, bound time.Duration) (notes []string, deleted bool) {
	for _, e := range c.Delete(ctx, objs) {
		notes = append(notes, e.Error())
	}
	if len(notes) > 0 {
		return notes, false
	}
	for _, o := range c.WaitGone(context.WithoutCancel(ctx), objs, bound) {
		notes = append(notes, fmt.Sprintf("%s is still being deleted after %s", o, bound))
	}
	return notes, true
}

// Delete deletes objects, returning the ones it could not delete.
func (c *Cluster) Delete(ctx context.Context, objs []Object) []error {
	var errs []error
	for _, o := range objs {
		if err := c.Dynamic.Resource(o.Resource).Delete(ctx, o.Name, metav1.DeleteOptions{}); err != nil {
			errs = append(errs, fmt.Errorf("delete %s: %v", o, shortError(err)))
		}
	}
	return errs
}

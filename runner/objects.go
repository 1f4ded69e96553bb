package runner

import (
	"context"
	"fmt"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/docrun/docrun/result"
)

// A reader types the name of an object the page made a few steps before
// where it says <pod-name>, <daemonset-name> or `kubectl describe
// namespaces <name>`. This file finds those objects in the cluster: the
// objects of the placeholder's kind in the page's namespace (and, for
// cluster-scoped kinds, in the cluster) that were made while the page ran,
// by the page or by a controller for an object of the page (a Deployment's
// Pods). Nodes are the page's when it changed them (kubectl label, taint).

// objectSource is the Source of a binding to an object the page made.
const objectSource = "object"

// apiResource is a kind of object the cluster serves.
type apiResource struct {
	gvr        schema.GroupVersionResource
	kind       string
	namespaced bool
}

// resourceNames maps the words kubectl accepts for a kind of object, in
// lower case (plural, singular, kind, short names), to it.
type resourceNames map[string]apiResource

// newResourceNames reads the cluster's API resources. The core group is
// read first, so that its resources win a name shared with another group
// (events).
func newResourceNames(lists []*metav1.APIResourceList) resourceNames {
	names := resourceNames{}
	add := func(l *metav1.APIResourceList) {
		gv, err := schema.ParseGroupVersion(l.GroupVersion)
		if err != nil {
			return
		}
		for _, r := range l.APIResources {
			if strings.Contains(r.Name, "/") {
				continue
			}
			res := apiResource{gvr: gv.WithResource(r.Name), kind: r.Kind, namespaced: r.Namespaced}
			words := append([]string{r.Name, r.SingularName, strings.ToLower(r.Kind)}, r.ShortNames...)
			for _, w := range words {
				if _, ok := names[w]; !ok && w != "" {
					names[w] = res
				}
			}
		}
	}
	for _, l := range lists {
		if l.GroupVersion == "v1" {
			add(l)
		}
	}
	for _, l := range lists {
		if l.GroupVersion != "v1" {
			add(l)
		}
	}
	return names
}

// lookup returns the resource kubectl reads a word as: "pods",
// "deployment.apps", "DaemonSet", "svc".
func (n resourceNames) lookup(word string) (apiResource, bool) {
	w, _, _ := strings.Cut(strings.ToLower(word), ".")
	r, ok := n[w]
	return r, ok
}

// resources returns the cluster's resource names, read once per page.
func (pr *pageRun) resources() resourceNames {
	if pr.resNames == nil && pr.r.Cluster != nil {
		lists, _ := pr.r.Cluster.Discovery.ServerPreferredResources()
		pr.resNames = newResourceNames(lists)
	}
	return pr.resNames
}

// objectBinding binds placeholder name, in code, to the object the page
// made that it names; with anyOne (the page lets the reader pick any of
// several), to the first of several. ok is false with why set when
// objects of its kind were looked for and none or several fit, and with
// why "" when the placeholder names no kind of object or a new one
// (kubectl create's name).
func (pr *pageRun) objectBinding(ctx context.Context, name, code string, anyOne bool) (b result.Binding, why string, ok bool) {
	names := pr.resources()
	if len(names) == 0 {
		return result.Binding{}, "", false
	}
	use := placeholderUse(name, code, names)
	if use.fresh {
		return pr.invent(name), "", true
	}
	if !use.found {
		return result.Binding{}, "", false
	}
	cands, err := pr.candidates(ctx, use.res)
	if err != nil {
		return result.Binding{}, "", false
	}
	if len(cands) == 0 {
		cands = pr.awaitMade(ctx, use.res)
	}
	plural := strings.ToLower(use.res.kind) + "s"
	switch {
	case len(cands) == 1:
		return result.Binding{Name: name, Value: cands[0].name, Source: objectSource, Description: cands[0].desc}, "", true
	case len(cands) > 1 && anyOne:
		d := fmt.Sprintf("one of %d %s the page made, as the page allows: %s", len(cands), plural, cands[0].desc)
		return result.Binding{Name: name, Value: cands[0].name, Source: objectSource, Description: d}, "", true
	case len(cands) == 0 && use.res.gvr.Resource == "namespaces" && use.readOnly && pr.res.Cluster != nil:
		// a command that only reads a namespace reads the page's own
		ns := pr.res.Cluster.Namespace
		return result.Binding{Name: name, Value: ns, Source: "auto", Description: "the run's namespace"}, "", true
	case len(cands) == 0:
		return result.Binding{}, "the page made no " + strings.ToLower(use.res.kind), false
	}
	var list []string
	for i, c := range cands {
		if i == 5 {
			list = append(list, fmt.Sprintf("and %d more", len(cands)-i))
			break
		}
		list = append(list, c.name+" ("+c.desc+")")
	}
	return result.Binding{}, fmt.Sprintf("%d %s the page made could be meant: %s", len(cands), plural, strings.Join(list, ", ")), false
}

// makersOf are, for a kind of object the cluster's controllers make, the
// kinds of the page's objects that make it.
var makersOf = map[string][]string{
	"Job":        {"CronJob"},
	"ReplicaSet": {"Deployment"},
	"Pod":        {"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicationController"},
}

// cronJobSlack is how long after its scheduled minute a CronJob's Job
// may take to show.
const cronJobSlack = 20 * time.Second

// awaitMade waits, within the settle bound (Options.Settle), for an
// object of a kind that a controller makes for an object the page made
// (the Job of its CronJob, the Pod of its Deployment) when there is none
// yet, as a reader who watches `kubectl get jobs --watch` until the
// CronJob's first Job shows; for a CronJob's Job at least until its
// soonest schedule (the next minute) and cronJobSlack after. It returns the candidates found, or none
// when the page made no such maker or the bound ran out.
func (pr *pageRun) awaitMade(ctx context.Context, res apiResource) []candidate {
	bound := pr.r.Opts.Settle
	if bound <= 0 {
		return nil
	}
	maker := ""
	for _, k := range makersOf[res.kind] {
		if m, ok := pr.resources().lookup(k); ok {
			if c, err := pr.candidates(ctx, m); err == nil && len(c) > 0 {
				maker = k
				break
			}
		}
	}
	if maker == "" {
		return nil
	}
	if maker == "CronJob" {
		// A CronJob makes its Job when its schedule comes: on a minute
		// boundary at the soonest (* * * * *), and the controller takes
		// a few seconds more.
		next := time.Now().Truncate(time.Minute).Add(time.Minute)
		bound = max(bound, time.Until(next)+cronJobSlack)
	}
	var found []candidate
	backoff(ctx, time.Now(), func() time.Duration { return bound }, func() bool {
		c, err := pr.candidates(ctx, res)
		if err == nil && len(c) > 0 {
			found = c
		}
		return found == nil
	})
	return found
}

// candidate is an object a placeholder may name, with where it comes
// from in words.
type candidate struct {
	name, desc string
}

// controlPlane are the field managers of objects the cluster makes by
// itself in every namespace (kube-root-ca.crt).
var controlPlane = map[string]bool{"kube-controller-manager": true, "kube-apiserver": true, "kube-scheduler": true}

// candidates lists the objects of a kind the page made since its first
// step: in its namespace, or for a cluster-scoped kind in the cluster (the
// run's own namespace and other docrun namespaces excepted), where a step
// that ran as the object was created printed its name. Objects the
// cluster makes in every namespace (the default ServiceAccount,
// kube-root-ca.crt) and objects being deleted are left out. Nodes are the
// page's when a kubectl command of the page changed them.
func (pr *pageRun) candidates(ctx context.Context, res apiResource) ([]candidate, error) {
	if len(pr.times) == 0 || pr.res.Cluster == nil {
		return nil, nil
	}
	since := pr.times[0].start.Truncate(time.Second)
	dyn := pr.r.Cluster.Dynamic.Resource(res.gvr)
	var list *unstructured.UnstructuredList
	var err error
	if res.namespaced {
		list, err = dyn.Namespace(pr.res.Cluster.Namespace).List(ctx, metav1.ListOptions{})
	} else {
		list, err = dyn.List(ctx, metav1.ListOptions{})
	}
	if err != nil {
		return nil, err
	}
	var out []candidate
	for i := range list.Items {
		o := &list.Items[i]
		if o.GetDeletionTimestamp() != nil {
			continue
		}
		if res.gvr.Resource == "nodes" {
			if verb, t, ok := changedBy(o, since); ok {
				out = append(out, candidate{o.GetName(), pr.described(ctx, o, verb, t)})
			}
			continue
		}
		created := o.GetCreationTimestamp().Time
		if created.Before(since) || !madeByPage(o) || pr.ownNamespace(res, o.GetName()) {
			continue
		}
		// Other pages and people use the cluster too: a cluster-scoped
		// object is the page's when a step that ran as it was created
		// printed its name (kubectl's "namespace/dev created").
		if !res.namespaced && pr.printedAt(created, o.GetName()) < 0 {
			continue
		}
		out = append(out, candidate{o.GetName(), pr.described(ctx, o, "created", created)})
	}
	return out, nil
}

// ownNamespace reports whether a namespace is docrun's: the run's own, or
// another run's.
func (pr *pageRun) ownNamespace(res apiResource, name string) bool {
	return res.gvr.Resource == "namespaces" && (name == pr.res.Cluster.Namespace || strings.HasPrefix(name, "docrun-"))
}

// madeByPage reports whether an object was made by a client (the page's
// kubectl, a program of the page) or for an object of such a client (it
// has an owner), not by the cluster itself.
func madeByPage(o *unstructured.Unstructured) bool {
	if len(o.GetOwnerReferences()) > 0 {
		return true
	}
	for _, f := range o.GetManagedFields() {
		if !controlPlane[f.Manager] {
			return true
		}
	}
	return false
}

// changedBy returns how a kubectl command changed an object since a time
// ("labelled", "tainted", "annotated", "changed") and when, from its
// managed fields; ok is false when none did.
func changedBy(o *unstructured.Unstructured, since time.Time) (verb string, at time.Time, ok bool) {
	for _, f := range o.GetManagedFields() {
		if !strings.HasPrefix(f.Manager, "kubectl") || f.Time == nil || f.Time.Time.Before(since) {
			continue
		}
		if !at.IsZero() && !f.Time.Time.After(at) {
			continue
		}
		at, ok = f.Time.Time, true
		switch strings.TrimPrefix(f.Manager, "kubectl-") {
		case "label":
			verb = "labelled"
		case "taint":
			verb = "tainted"
		case "annotate":
			verb = "annotated"
		default:
			verb = "changed"
		}
	}
	return verb, at, ok
}

// described says in words what an object is and where it comes from:
// "the Pod of deployment nginx, created at step 4", "daemonset fluentd,
// created at step 2", "node docrun-node-0, labelled at step 3".
func (pr *pageRun) described(ctx context.Context, o *unstructured.Unstructured, verb string, at time.Time) string {
	names := []string{o.GetName()}
	d := strings.ToLower(o.GetKind()) + " " + o.GetName()
	if owner := pr.topOwner(ctx, o); owner != nil {
		d = "the " + o.GetKind() + " of " + strings.ToLower(owner.Kind) + " " + owner.Name
		names = append(names, owner.Name)
	}
	if i := pr.stepAt(at, names); i >= 0 {
		d += fmt.Sprintf(", %s at step %d", verb, i)
	}
	return d
}

// topOwner follows an object's controller references in its namespace
// (a Pod's ReplicaSet, the ReplicaSet's Deployment) and returns the last
// one, or nil when it has none.
func (pr *pageRun) topOwner(ctx context.Context, o *unstructured.Unstructured) *metav1.OwnerReference {
	var top *metav1.OwnerReference
	cur := o
	for range 4 {
		ref := controllerOf(cur.GetOwnerReferences())
		if ref == nil {
			break
		}
		top = ref
		res, ok := pr.resources().lookup(ref.Kind)
		if !ok || !res.namespaced {
			break
		}
		next, err := pr.r.Cluster.Dynamic.Resource(res.gvr).Namespace(o.GetNamespace()).Get(ctx, ref.Name, metav1.GetOptions{})
		if err != nil {
			break
		}
		cur = next
	}
	return top
}

// controllerOf returns the owner that controls an object, else its first
// owner, or nil.
func controllerOf(refs []metav1.OwnerReference) *metav1.OwnerReference {
	for i := range refs {
		if refs[i].Controller != nil && *refs[i].Controller {
			return &refs[i]
		}
	}
	if len(refs) > 0 {
		return &refs[0]
	}
	return nil
}

// stepTime is when a step ran.
type stepTime struct {
	st         *result.StepResult
	start, end time.Time
}

// ranAt records when a step ran, to tell later which step made an object.
func (pr *pageRun) ranAt(st *result.StepResult, start time.Time) {
	pr.times = append(pr.times, stepTime{st: st, start: start, end: time.Now()})
}

// printedAt returns the index of a step that ran when an object was
// created (at, to the second) and printed its name, or -1.
func (pr *pageRun) printedAt(at time.Time, name string) int {
	for _, st := range pr.ranIn(at) {
		if strings.Contains(st.Stdout, name) || strings.Contains(st.Stderr, name) {
			return st.Index
		}
	}
	return -1
}

// ranIn returns the steps that ran in the second of at, or before it until
// the next step started, in order.
func (pr *pageRun) ranIn(at time.Time) []*result.StepResult {
	from, to := at.Truncate(time.Second), at.Truncate(time.Second).Add(time.Second)
	var in []*result.StepResult
	for i, t := range pr.times {
		until := time.Now()
		if i+1 < len(pr.times) {
			until = pr.times[i+1].start
		}
		if t.start.Before(to) && !until.Before(from) {
			in = append(in, t.st)
		}
	}
	return in
}

// stepAt returns the index of the step that most likely made an object at
// a time the API server gives to the second, or -1: among the steps that
// ran in that second (or before it, until the next step started: a
// controller acts after the command), one that can change the cluster
// and printed one of the names (kubectl's "deployment.apps/nginx
// created"), else the first that can change it. A step that only reads
// made nothing: when only such steps ran then, a controller made the
// object while the page read (a CronJob's Job), and it is -1.
func (pr *pageRun) stepAt(at time.Time, names []string) int {
	in := pr.ranIn(at)
	if len(in) == 0 {
		return -1
	}
	first := -1
	for _, st := range in {
		if readsOnly(st.Code) {
			continue
		}
		if first < 0 {
			first = st.Index
		}
		for _, n := range names {
			if strings.Contains(st.Stdout, n) {
				return st.Index
			}
		}
	}
	return first
}

// inventedSource is the Source of a name docrun chose for a new object.
const inventedSource = "invented"

// invent chooses the name of a new object the page creates where it
// leaves the name to the reader (kubectl create namespace <name>, a
// manifest's name: <name>), as a reader makes one up: example-, the run's
// suffix (unique on the cluster, for cluster-scoped objects) and a count.
// Later steps get the same name for the same placeholder, and find the
// object by it. It is not a docrun- name, so a cluster-scoped object the
// page leaves is reported as a leak.
func (pr *pageRun) invent(name string) result.Binding {
	suffix := "0"
	if c := pr.res.Cluster; c != nil {
		suffix = strings.TrimPrefix(c.Namespace, "docrun-")
	}
	pr.invented++
	v := "example-" + suffix
	if pr.invented > 1 {
		v += fmt.Sprintf("-%d", pr.invented)
	}
	b := result.Binding{Name: name, Value: v, Source: inventedSource, Description: "a name docrun chose for the new object the page creates"}
	pr.binds.set(name, v, inventedSource)
	pr.binds.values[name] = b
	return b
}

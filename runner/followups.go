package runner

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
	"github.com/docrun/docrun/runner/cluster"

	"github.com/docrun/docrun/result"
)

// makers are the kubectl commands that make objects from manifests.
var makers = map[string]bool{"apply": true, "create": true, "replace": true}

// unmade are the objects of a step skipped because the cluster lacks what
// they need: later steps that use them are skipped too.
type unmade struct {
	step int
	lack *lack
	objs []markdown.Object
	// pods is set when the objects were made but their Pods stay
	// Pending: objs are the workloads, whose Pods and claims are unmade.
	pods bool
}

// storageWhat is what a cluster without a default StorageClass lacks.
const storageWhat = "a default StorageClass"

// pendingPods are the workloads among objs whose Pods claim volumes
// without a class, as references to their Pods: by the Pods' labels only,
// so that the workload itself and its Service still count as made.
func pendingPods(objs []markdown.Object) []markdown.Object {
	var out []markdown.Object
	for _, o := range objs {
		if len(o.Claims) == 0 || !workloads[o.Kind] {
			continue
		}
		p := o
		p.Labels = nil
		if len(o.Labels) > 0 && o.Kind != "PersistentVolumeClaim" {
			p.Labels = o.Labels[len(o.Labels)-1:] // the Pod template's
		}
		out = append(out, p)
	}
	return out
}

// manifestLack returns why a step whose files are in place does not run:
// the objects it makes need what the cluster lacks (a kind the server
// does not serve, an image it cannot pull, a default StorageClass), or
// it starts a container from such an image, or it uses objects a step
// skipped for that reason would have made. A Service of type
// LoadBalancer on a cluster without load balancers is listed in the
// page's missing, and runs.
func (pr *pageRun) manifestLack(st *result.StepResult, code string, replaced bool) string {
	c := pr.caps()
	if c == nil || st.Kind != markdown.KindCommand {
		return ""
	}
	if t := st.Target; t != nil {
		// code typed in a container of a Pod a skipped step would have made
		if t.Kind != "container" || t.Pod == "" {
			return ""
		}
		if l := pr.unmadeLack(podRef(c, t.Pod)); l != nil {
			pr.recordLack(l, st.Index)
			return l.why
		}
		return ""
	}
	sc := shell.Parse(code)
	uses := stepObjects(st, code, replaced, filepath.Join(pr.dir, "work"))
	objs := madeObjects(uses, makers)
	l := objectsLack(c, objs)
	if l == nil || l.what == storageWhat {
		if il, started := imageLack(c, sc, uses); il != nil {
			l, objs = il, started
		}
	}
	if l != nil && l.what == storageWhat {
		// The objects are made; only the Pods that use the claims stay
		// Pending, so the steps that use those Pods are skipped.
		pr.recordLack(l, -1)
		pr.unmade = append(pr.unmade, unmade{step: st.Index, lack: l, objs: pendingPods(objs), pods: true})
	} else if l != nil {
		pr.recordLack(l, st.Index)
		pr.unmade = append(pr.unmade, unmade{step: st.Index, lack: l, objs: objs})
		return l.why
	}
	if l := pr.followLack(c, sc, uses); l != nil {
		// what this step would have made is not made either
		pr.recordLack(l, st.Index)
		pr.unmade = append(pr.unmade, unmade{step: st.Index, lack: l, objs: stepMade(c, uses)})
		return l.why
	}
	pr.remade(st.Index, objs)
	for _, o := range objs {
		if o.LoadBalancer && !c.LoadBalancer {
			pr.recordLack(&lack{"a load balancer", fmt.Sprintf("no load balancer (%s): Service %s keeps EXTERNAL-IP <pending>",
				c.LoadBalancerWhy, o.Name)}, -1)
		}
	}
	return ""
}

// remade forgets the objects earlier steps left unmade that step, about
// to run, makes again: a page that deletes an object and its kind and
// later defines and creates them again uses the new object, whatever
// happened to the first one.
func (pr *pageRun) remade(step int, objs []markdown.Object) {
	kept := pr.unmade[:0]
	for _, u := range pr.unmade {
		if u.step == step {
			kept = append(kept, u)
			continue
		}
		u.objs = slices.DeleteFunc(slices.Clone(u.objs), func(o markdown.Object) bool {
			return slices.ContainsFunc(objs, func(m markdown.Object) bool { return m.Kind == o.Kind && m.Name == o.Name })
		})
		if len(u.objs) > 0 {
			kept = append(kept, u)
		}
	}
	pr.unmade = kept
}

// objectsLack returns what objects a step makes need that the cluster
// lacks: their kind served (unless the same step defines it), a default
// StorageClass for claims that name no class.
func objectsLack(c *cluster.Capabilities, objs []markdown.Object) *lack {
	defined := map[string]bool{}
	for _, o := range objs {
		if o.Defines != "" {
			defined[o.Defines] = true
		}
	}
	for _, o := range objs {
		if o.APIVersion == "" || strings.ContainsAny(o.APIVersion+o.Kind, "<>${}") {
			continue
		}
		gv, err := schema.ParseGroupVersion(o.APIVersion)
		if err != nil || defined[gv.Group+"/"+o.Kind] || c.Serves(o.APIVersion, o.Kind) {
			continue
		}
		why := fmt.Sprintf("the server does not serve %s in %s", o.Kind, o.APIVersion)
		switch {
		case c.ServesGroup(o.APIVersion):
			why += " (it serves other versions of the group: this one was removed or is not enabled)"
		case !strings.Contains(gv.Group, ".") || strings.HasSuffix(gv.Group, ".k8s.io"):
			why += fmt.Sprintf(" (a Kubernetes API group, %s, that this server does not serve: removed or not enabled)", gv.Group)
		default:
			why += fmt.Sprintf(" (nothing on the cluster provides the %s API: no CustomResourceDefinition or API server for it)", gv.Group)
		}
		return &lack{"API " + o.APIVersion + " " + o.Kind, why}
	}
	if c.DefaultStorageClass == "" {
		for _, o := range objs {
			if len(o.Claims) == 0 {
				continue
			}
			why := fmt.Sprintf("PersistentVolumeClaim %s names no storageClassName, so it and the Pods that use it would stay Pending", o.Name)
			if o.Kind != "PersistentVolumeClaim" {
				why = fmt.Sprintf("%s %s's claim template %s names no storageClassName, so its claims and Pods would stay Pending", o.Kind, o.Name, o.Claims[0])
			}
			return &lack{storageWhat, "no default StorageClass: " + why}
		}
	}
	return nil
}

// ref is an object a kubectl command names: by kind and name (prefix
// when the name is built by the shell: web-$i), or by a label selector.
type ref struct {
	kind, name string
	prefix     bool
	selector   map[string]string
}

// followLack returns the lack of a step that uses an object a skipped
// step would have made.
func (pr *pageRun) followLack(c *cluster.Capabilities, sc *shell.Script, uses []markdown.ObjectUse) *lack {
	if len(pr.unmade) == 0 {
		return nil
	}
	for _, inv := range kubectl.Calls(sc) {
		for _, r := range refs(c, inv.Invocation, uses) {
			if l := pr.unmadeLack(r); l != nil {
				return l
			}
		}
		if l := pr.undefinedKind(c, inv.Invocation); l != nil {
			return l
		}
	}
	return nil
}

// unmadeLack returns the lack of a step that names, by r, an object a
// skipped step would have made, or a Pod that stays Pending.
func (pr *pageRun) unmadeLack(r ref) *lack {
	for _, u := range pr.unmade {
		if u.pods {
			if o, ok := r.findPods(u.objs); ok {
				return &lack{u.lack.what, fmt.Sprintf("follows step %d: the cluster lacks %s, so the Pods of %s %s stay Pending",
					u.step, u.lack.what, o.Kind, o.Name)}
			}
		} else if o, ok := r.find(u.objs); ok {
			return &lack{u.lack.what, fmt.Sprintf("follows step %d, skipped because the cluster lacks %s: %s %s was not made",
				u.step, u.lack.what, o.Kind, o.Name)}
		}
	}
	return nil
}

// stepMade are the objects the kubectl commands of a step make: those of
// the manifests it applies, creates or replaces, and those its arguments
// name (kubectl run, create deployment, expose, autoscale), with the
// server's kind names.
func stepMade(c *cluster.Capabilities, uses []markdown.ObjectUse) []markdown.Object {
	var out []markdown.Object
	for _, u := range uses {
		if u.DryRun != "" || u.Command == "delete" {
			continue
		}
		for _, o := range u.Objects {
			if o.From != "" && !makers[u.Command] {
				continue
			}
			if k := c.KindFor(o.Kind); o.From == "" && k != "" {
				o.Kind = k // kubectl run's "pod" as a manifest's "Pod"
			}
			out = append(out, o)
		}
	}
	return out
}

// podRef is the reference of the Pod argument of kubectl exec, logs and
// the like: a Pod's name, or TYPE/NAME (deployment/web: one of its Pods).
func podRef(c *cluster.Capabilities, arg string) ref {
	if t, n, ok := strings.Cut(arg, "/"); ok {
		if k := c.KindFor(t); k != "" {
			return named(c, k, n)
		}
	}
	return named(c, "Pod", arg)
}

// refs are the objects a kubectl command names: its TYPE NAME and
// TYPE/NAME arguments, the Pod of exec, logs and the like, its label
// selector, and the objects of the manifests it reads (delete -f).
func refs(c *cluster.Capabilities, inv kubectl.Invocation, uses []markdown.ObjectUse) []ref {
	var out []ref
	cmd := inv.Command()
	if makers[cmd] || cmd == "" || inv.Verb() == "config" {
		return nil
	}
	if sel, ok := inv.Value("selector"); ok {
		if m := equalitySelector(sel); len(m) > 0 {
			out = append(out, ref{selector: m})
		}
	}
	for _, o := range madeObjects(uses, map[string]bool{cmd: true}) {
		out = append(out, ref{kind: o.Kind, name: o.Name})
	}
	args := inv.Args
	if cmd == "certificate approve" || cmd == "certificate deny" {
		for _, a := range args {
			out = append(out, named(c, "CertificateSigningRequest", a))
		}
		return out
	}
	if podCommands[cmd] { // a Pod (or TYPE/NAME) first; cp's POD:PATH anywhere
		for _, a := range args {
			if cmd == "cp" {
				pod, _, ok := strings.Cut(a, ":")
				if !ok {
					continue
				}
				a = pod[strings.LastIndex(pod, "/")+1:]
			}
			out = append(out, podRef(c, a))
			if cmd != "cp" {
				break
			}
		}
		return out
	}
	kind := ""
	for i, a := range args {
		if t, n, ok := strings.Cut(a, "/"); ok {
			out = append(out, named(c, c.KindFor(t), n))
			continue
		}
		if i == 0 {
			kind = c.KindFor(strings.Split(a, ",")[0])
			continue
		}
		if kind != "" && !strings.Contains(a, "=") {
			out = append(out, named(c, kind, a))
		}
	}
	return out
}

// named is a reference by name; a name the shell builds (web-$i) is
// matched by its literal start.
func named(c *cluster.Capabilities, kind, name string) ref {
	name = strings.TrimLeft(name, `"'`) // a word with expansions keeps its quotes
	r := ref{kind: kind, name: name}
	if i := strings.IndexAny(name, "$`<"); i >= 0 {
		r.name, r.prefix = name[:i], true
	}
	return r
}

// equalitySelector reads the equality requirements of a label selector
// ("app=nginx,tier==web"); others (!=, in, notin, exists) are left out.
func equalitySelector(s string) map[string]string {
	m := map[string]string{}
	for _, part := range strings.Split(s, ",") {
		if strings.Contains(part, "!=") || strings.ContainsAny(part, "() ") {
			continue
		}
		if k, v, ok := strings.Cut(part, "="); ok {
			m[k] = strings.TrimPrefix(v, "=")
		}
	}
	return m
}

// workloads make Pods named after themselves (NAME-…).
var workloads = map[string]bool{"StatefulSet": true, "Deployment": true, "ReplicaSet": true, "DaemonSet": true, "Job": true, "CronJob": true, "ReplicationController": true}

// find returns the object a reference names, workloads first (a selector
// of a Deployment's Pods names the Deployment, not its Service).
func (r ref) find(objs []markdown.Object) (markdown.Object, bool) {
	for _, first := range []bool{true, false} {
		for _, o := range objs {
			if workloads[o.Kind] == first && r.matches(o) {
				return o, true
			}
		}
	}
	return markdown.Object{}, false
}

// findPods returns the workload whose Pods or claims a reference names:
// a Pod or claim by name, or a selector of its Pods' labels.
func (r ref) findPods(objs []markdown.Object) (markdown.Object, bool) {
	for _, o := range objs {
		switch {
		case len(r.selector) > 0 && r.matches(o):
			return o, true
		case len(r.selector) == 0 && (r.kind == "Pod" || r.kind == "PersistentVolumeClaim") && r.matches(o) && r.name != o.Name:
			return o, true
		}
	}
	return markdown.Object{}, false
}

// matches reports whether a reference names the object or what it makes:
// its Pods (web-0 of StatefulSet web) and claims (www-web-0).
func (r ref) matches(o markdown.Object) bool {
	if len(r.selector) > 0 {
		for _, labels := range o.Labels {
			if hasAll(labels, r.selector) {
				return true
			}
		}
		return false
	}
	if r.name == "" || o.Name == "" {
		return false
	}
	same := r.name == o.Name || r.prefix && strings.HasPrefix(o.Name, r.name)
	if (r.kind == o.Kind || r.kind == "") && same {
		return true
	}
	switch {
	case r.kind == "Pod" && workloads[o.Kind]:
		return strings.HasPrefix(r.name, o.Name+"-")
	case r.kind == "PersistentVolumeClaim" && o.Kind == "StatefulSet":
		for _, cl := range o.Claims {
			if strings.HasPrefix(r.name, cl+"-"+o.Name+"-") {
				return true
			}
		}
	}
	return false
}

func hasAll(labels, sel map[string]string) bool {
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return true
}

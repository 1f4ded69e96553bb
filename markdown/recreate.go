package markdown

import (
	"bytes"
	"errors"
	"io"
	"path"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
)

// Objects created a second time.
//
// Kubernetes pages often show two ways to create the same object, one
// after the other ("Use raw data" / "Use source files", "you can also
// create the same Secret with kubectl create secret", "if you run this
// section on its own, create the ConfigMap first"). A reader who follows
// the page from the top takes one way; the second `kubectl create` of an
// object the page already made fails with AlreadyExists, which tells
// nothing about the page. docrun reads which objects each kubectl command
// creates and deletes (imperative `create TYPE NAME`, `run NAME`, and the
// manifests that `create -f` and `apply -f` read when the page shows them)
// and marks a step whose only command creates objects an earlier step
// created, with no delete in between: Step.Recreates. The runner skips it
// when one of those earlier steps passed.

// Recreates says that a step creates objects that earlier steps of the
// page created already.
type Recreates struct {
	// Objects are the objects, as kind/name.
	Objects []string `json:"objects"`
	// Steps are the indexes of the earlier steps that created them.
	Steps []int `json:"steps"`
}

// objectRef names an object: its kind (lower case, singular), its
// namespace as written ("" for the page's), its name.
type objectRef struct{ kind, ns, name string }

func (r objectRef) String() string { return r.kind + "/" + r.name }

// kindAliases maps kubectl's resource names, plurals and short names of
// the built-in kinds to the lower-case kind.
var kindAliases = map[string]string{}

func init() {
	for kind, names := range map[string][]string{
		"pod":                      {"pods", "po"},
		"service":                  {"services", "svc"},
		"deployment":               {"deployments", "deploy"},
		"replicaset":               {"replicasets", "rs"},
		"statefulset":              {"statefulsets", "sts"},
		"daemonset":                {"daemonsets", "ds"},
		"job":                      {"jobs"},
		"cronjob":                  {"cronjobs", "cj"},
		"configmap":                {"configmaps", "cm"},
		"secret":                   {"secrets"},
		"namespace":                {"namespaces", "ns"},
		"serviceaccount":           {"serviceaccounts", "sa"},
		"role":                     {"roles"},
		"rolebinding":              {"rolebindings"},
		"clusterrole":              {"clusterroles"},
		"clusterrolebinding":       {"clusterrolebindings"},
		"resourcequota":            {"resourcequotas", "quota"},
		"limitrange":               {"limitranges", "limits"},
		"persistentvolumeclaim":    {"persistentvolumeclaims", "pvc"},
		"persistentvolume":         {"persistentvolumes", "pv"},
		"ingress":                  {"ingresses", "ing"},
		"poddisruptionbudget":      {"poddisruptionbudgets", "pdb"},
		"priorityclass":            {"priorityclasses", "pc"},
		"customresourcedefinition": {"customresourcedefinitions", "crd", "crds"},
		"networkpolicy":            {"networkpolicies", "netpol"},
		"storageclass":             {"storageclasses", "sc"},
		"horizontalpodautoscaler":  {"horizontalpodautoscalers", "hpa"},
	} {
		kindAliases[kind] = kind
		for _, n := range names {
			kindAliases[n] = kind
		}
	}
}

// kindOf is the kind a resource name as typed names: "deploy",
// "deployments.apps" and "Deployment" are all "deployment".
func kindOf(resource string) string {
	r := strings.ToLower(resource)
	if i := strings.IndexByte(r, '.'); i > 0 {
		r = r[:i]
	}
	if k, ok := kindAliases[r]; ok {
		return k
	}
	return r
}

// createdKinds maps the `kubectl create` subcommands that make an object
// named by their first argument to the object's kind.
var createdKinds = map[string]string{
	"create clusterrole": "clusterrole", "create clusterrolebinding": "clusterrolebinding",
	"create configmap": "configmap", "create cronjob": "cronjob", "create deployment": "deployment",
	"create ingress": "ingress", "create job": "job", "create namespace": "namespace",
	"create poddisruptionbudget": "poddisruptionbudget", "create priorityclass": "priorityclass",
	"create quota": "resourcequota", "create role": "role", "create rolebinding": "rolebinding",
	"create secret docker-registry": "secret", "create secret generic": "secret", "create secret tls": "secret",
	"create service clusterip": "service", "create service externalname": "service",
	"create service loadbalancer": "service", "create service nodeport": "service",
	"create serviceaccount": "serviceaccount", "run": "pod",
}

// objectTracker follows the objects a page's kubectl commands create and
// delete, step by step.
type objectTracker struct {
	site    *Site
	lang    string
	steps   []Step
	files   []File
	step    int // the step being read
	created map[objectRef][]int
}

// markRecreates sets Step.Recreates on the command steps whose only command,
// a kubectl command, creates (with create or run, which fail on an existing object)
// only objects that earlier steps created and no step deleted since.
func markRecreates(site *Site, doc *Document) {
	steps := doc.Steps
	t := &objectTracker{site: site, lang: doc.Lang, steps: steps, files: doc.Files, created: map[objectRef][]int{}}
	for i := range steps {
		t.step = i
		st := &steps[i]
		if st.Kind != KindCommand {
			continue
		}
		var calls []kubectl.Invocation
		sc := shell.Parse(st.Code)
		all := sc.Calls
		for _, c := range kubectl.Calls(sc) {
			// only what kubectl runs as written, outside $(...)
			if c.Err == nil && c.Plugin == "" && !c.Shell.Substituted {
				calls = append(calls, c.Invocation)
			}
		}
		for _, inv := range calls {
			t.delete(inv)
		}
		var again []objectRef
		if len(all) == 1 && len(calls) == 1 && calls[0].DryRun() != "client" && (calls[0].Command() == "run" || strings.HasPrefix(calls[0].Command(), "create")) {
			again = t.existing(t.creates(calls[0]))
		}
		if again != nil {
			rc := &Recreates{}
			seen := map[int]bool{}
			for _, r := range again {
				rc.Objects = append(rc.Objects, r.String())
				for _, s := range t.created[r] {
					if !seen[s] {
						seen[s] = true
						rc.Steps = append(rc.Steps, s)
					}
				}
			}
			st.Recreates = rc
		}
		for _, inv := range calls {
			if inv.DryRun() != "none" {
				continue
			}
			for _, r := range t.creates(inv) {
				t.created[r] = append(t.created[r], i)
			}
		}
	}
}

// existing returns refs when every one of them was created before, else nil.
func (t *objectTracker) existing(refs []objectRef) []objectRef {
	if len(refs) == 0 {
		return nil
	}
	for _, r := range refs {
		if len(t.created[r]) == 0 {
			return nil
		}
	}
	return refs
}

// creates lists the objects a kubectl command creates or applies, as far
// as the page tells: nil when it creates nothing or what it reads is not
// known.
func (t *objectTracker) creates(inv kubectl.Invocation) []objectRef {
	ns, _ := inv.Namespace()
	cmd := inv.Command()
	if kind, ok := createdKinds[cmd]; ok {
		if inv.Bool("rm") {
			return nil // kubectl run --rm deletes its Pod when it ends
		}
		// A placeholder names the same object wherever it is written
		// (its value is given once).
		if len(inv.Args) == 0 || strings.ContainsAny(inv.Args[0], "$`") {
			return nil
		}
		return []objectRef{{kind, ns, inv.Args[0]}}
	}
	if cmd != "create" && cmd != "apply" {
		return nil
	}
	return t.manifestObjects(inv, ns)
}

// delete forgets the objects a kubectl delete names: TYPE NAME..., TYPE/NAME,
// the manifests of -f; a delete by label, --all or of an unknown manifest
// forgets every object of its kind (of every kind when not known); deleting a
// namespace forgets what was in it.
func (t *objectTracker) delete(inv kubectl.Invocation) {
	if inv.Command() != "delete" {
		return
	}
	ns, _ := inv.Namespace()
	forget := func(r objectRef) {
		delete(t.created, r)
		for o := range t.created {
			switch {
			case r.kind == "namespace" && o.ns == r.name:
				delete(t.created, o) // what was in the namespace
			case r.kind == "customresourcedefinition" && kindAliases[o.kind] == "":
				delete(t.created, o) // custom objects (of any definition)
			}
		}
	}
	if len(inv.Values("filename")) > 0 {
		refs := t.manifestObjects(inv, ns)
		if refs == nil {
			clear(t.created)
		}
		for _, r := range refs {
			forget(r)
		}
		return
	}
	if len(inv.Args) == 0 {
		return
	}
	byName := len(inv.Args) > 1 && !strings.Contains(inv.Args[0], "/")
	if inv.Bool("all") || inv.Has("selector") || (!byName && !strings.Contains(inv.Args[0], "/")) {
		kinds := map[string]bool{}
		for _, k := range strings.Split(inv.Args[0], ",") {
			kinds[kindOf(k)] = true
		}
		for o := range t.created {
			if kinds[o.kind] {
				delete(t.created, o)
			}
		}
		return
	}
	if byName {
		for _, k := range strings.Split(inv.Args[0], ",") {
			for _, n := range inv.Args[1:] {
				forget(objectRef{kindOf(k), ns, n})
			}
		}
		return
	}
	for _, a := range inv.Args {
		if k, n, ok := strings.Cut(a, "/"); ok {
			forget(objectRef{kindOf(k), ns, n})
		}
	}
}

// manifestObjects reads the objects in the manifests a command's -f names,
// from the page's own manifest blocks (example files shown with
// code_sample) or the site's example files; nil when one is not known.
func (t *objectTracker) manifestObjects(inv kubectl.Invocation, ns string) []objectRef {
	files := inv.Values("filename")
	if len(files) == 0 {
		return nil
	}
	var refs []objectRef
	for _, f := range files {
		text, ok := t.manifest(f)
		if !ok {
			return nil
		}
		objs, ok := objectsIn(text, ns)
		if !ok {
			return nil
		}
		refs = append(refs, objs...)
	}
	return refs
}

// manifest is the text of the manifest a -f value names: an example URL
// whose file the page shows or the site has, or a local name of a file the
// page shows: a file docrun writes for the step (Document.Files) or an
// example file shown with code_sample.
func (t *objectTracker) manifest(f string) (string, bool) {
	file := ExampleURLPath(f)
	if file == "" {
		if strings.Contains(f, "://") {
			return "", false
		}
		file = strings.TrimPrefix(f, "./")
	}
	for _, f := range t.files {
		for _, u := range f.Uses {
			if u.Step == t.step && f.Name == file && f.Step >= 0 && f.Step < len(t.steps) {
				return t.steps[f.Step].Code, true
			}
		}
	}
	for _, s := range t.steps {
		if s.Kind == KindManifest && s.File != "" && (s.File == file || path.Base(s.File) == file) {
			return s.Code, true
		}
	}
	if t.site == nil || ExampleURLPath(f) == "" {
		return "", false
	}
	p, err := t.site.FindExample(t.lang, file)
	if err != nil || p == "" {
		return "", false
	}
	b, err := readPageFile(p)
	if err != nil {
		return "", false
	}
	return string(b), true
}

// objectsIn reads the kind and name of each object in YAML or JSON text
// (List items included); ok is false when the text does not read as
// objects that all have a kind and a name.
func objectsIn(text, ns string) (refs []objectRef, ok bool) {
	dec := yaml.NewDecoder(bytes.NewReader([]byte(text)))
	for {
		var o struct {
			Kind     string `yaml:"kind"`
			Metadata struct {
				Name         string `yaml:"name"`
				GenerateName string `yaml:"generateName"`
				Namespace    string `yaml:"namespace"`
			} `yaml:"metadata"`
			Items []yaml.Node `yaml:"items"`
		}
		err := dec.Decode(&o)
		if errors.Is(err, io.EOF) {
			return refs, len(refs) > 0
		}
		if err != nil {
			return nil, false
		}
		if o.Kind == "" && o.Metadata.Name == "" {
			continue // an empty document
		}
		if strings.HasSuffix(o.Kind, "List") || o.Metadata.Name == "" {
			return nil, false
		}
		n := ns
		if o.Metadata.Namespace != "" {
			n = o.Metadata.Namespace
		}
		refs = append(refs, objectRef{kindOf(o.Kind), n, o.Metadata.Name})
	}
}

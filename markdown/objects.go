package markdown

import (
	"path"
	"strings"

	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
)

// Objects of a step.
//
// Which objects a step's kubectl commands make, delete or read is read once,
// when the page is parsed, and kept on the step (Step.Objects): from the
// commands' arguments (kubectl create deployment NAME, run NAME, delete
// TYPE NAME) and from the manifests they read with -f, when the page shows
// them (a file the page saves, an example file shown with code_sample, a
// site example URL, a here-document). The rule for objects created a
// second time (recreate.go) and the runner's rules for what the cluster
// lacks read it.

// Object is a Kubernetes object a kubectl command of a step makes, deletes
// or reads.
type Object struct {
	// APIVersion is the manifest's apiVersion; "" for an object named by
	// the command's arguments.
	APIVersion string `json:"api_version,omitempty"`
	// Kind is the manifest's kind as written ("Deployment"). For an object
	// named by the command's arguments it is the lower-case kind its
	// resource name stands for ("deployment" for deploy), or the resource
	// name as typed when docrun does not know it (a custom resource).
	Kind string `json:"kind"`
	// Name is metadata.name, or the name argument.
	Name string `json:"name"`
	// Namespace is metadata.namespace, else the command's -n; "" for the
	// page's namespace.
	Namespace string `json:"namespace,omitempty"`
	// From is the manifest the object is written in, as the command names
	// it ("web.yaml", a site example URL, "-" for a here-document); "" for
	// an object named by the command's arguments.
	From string `json:"from,omitempty"`
	// Labels are the object's labels and those of its Pod template: a
	// selector that matches either finds the object or what it makes.
	Labels []map[string]string `json:"labels,omitempty"`
	// Claims are the PersistentVolumeClaims without a storageClassName it
	// makes (itself, or a StatefulSet's volumeClaimTemplates).
	Claims []string `json:"claims,omitempty"`
	// Defines is "group/Kind" for a CustomResourceDefinition, and Names
	// the words kubectl takes for that kind once it is defined (plural,
	// singular, short names, kind), in lower case.
	Defines string   `json:"defines,omitempty"`
	Names   []string `json:"names,omitempty"`
	// LoadBalancer is set for a Service of type LoadBalancer.
	LoadBalancer bool `json:"load_balancer,omitempty"`
	// Images are the images its containers would start from: those of a
	// Pod's spec or of a workload's Pod template (init and ephemeral
	// containers too), or the --image flags of the command that makes it
	// (see images.go).
	Images []string `json:"images,omitempty"`
}

// ObjectUse is what one kubectl command of a step does with objects: the
// objects it makes (create, apply, replace, run), deletes (delete) or
// reads from manifests (get -f, scale -f, ...).
type ObjectUse struct {
	// Line is the command's 1-based line in the step's code.
	Line int `json:"line"`
	// Command is kubectl's command path ("apply", "create deployment").
	Command string `json:"command"`
	// DryRun is "client" or "server" for a command given --dry-run.
	DryRun string `json:"dry_run,omitempty"`
	// Objects are the objects the command names, in order.
	Objects []Object `json:"objects,omitempty"`
	// Kinds are, for a delete of every object of some kinds (--all, a
	// label selector, a TYPE alone), those kinds (as Object.Kind of an
	// argument).
	Kinds []string `json:"kinds,omitempty"`
	// Unread are the manifests the command reads (-f) whose text the page
	// does not give (a file an earlier command makes, a URL, a folder), as
	// the command names them. Kustomizations are not read.
	Unread []string `json:"unread,omitempty"`
	// Incomplete is set when a manifest the page gives does not read as
	// objects that each have a kind and a name (a generateName, bad YAML):
	// Objects has those it could read.
	Incomplete bool `json:"incomplete,omitempty"`
}

// Known reports whether the use's objects are all the objects it names.
func (u ObjectUse) Known() bool { return len(u.Unread) == 0 && !u.Incomplete }

// ManifestText gives the text of a manifest a kubectl command reads (-f
// PATH), and whether it is known.
type ManifestText func(call kubectl.Call, path string) (string, bool)

// ReadObjects reads what the kubectl commands of a script do with objects:
// an ObjectUse for each command kubectl runs (not one it would refuse, nor
// a plugin) that makes or deletes objects or reads manifests. text gives
// the manifests' text; a here-document is read from the script.
func ReadObjects(sc *shell.Script, text ManifestText) []ObjectUse {
	var out []ObjectUse
	for _, c := range kubectl.Calls(sc) {
		if c.Err != nil || c.Plugin != "" {
			continue
		}
		if u, ok := readUse(c, text); ok {
			out = append(out, u)
		}
	}
	return out
}

// readUse reads one kubectl command; ok is false when it names no object.
func readUse(c kubectl.Call, text ManifestText) (ObjectUse, bool) {
	cmd := c.Command()
	u := ObjectUse{Line: c.Shell.Line, Command: cmd}
	if d := c.DryRun(); d != "none" {
		u.DryRun = d
	}
	ns, _ := c.Namespace()
	files := 0
	for _, src := range c.Sources() {
		if src.Kustomize {
			continue
		}
		files++
		// -f - reads the command's here-document, or the one a cat of it
		// pipes in (other standard input fed by a pipe is not read)
		stdin := c.Shell.Heredoc
		if stdin == "" {
			stdin = c.Shell.Stdin
		}
		t, ok := stdin, src.Stdin() && stdin != ""
		if !ok && !src.Stdin() {
			t, ok = text(c, src.Path)
		}
		if !ok {
			u.Unread = append(u.Unread, src.Path)
			continue
		}
		objs, complete := ManifestObjects(t, src.Path, ns)
		u.Objects = append(u.Objects, objs...)
		u.Incomplete = u.Incomplete || !complete
	}
	switch kind, creates := createdKinds[cmd]; {
	case creates:
		// kubectl run --rm deletes its Pod when it ends; a name the shell
		// builds is not known.
		if !c.Bool("rm") && len(c.Args) > 0 && !strings.ContainsAny(c.Args[0], "$`") {
			u.Objects = append(u.Objects, Object{Kind: kind, Name: c.Args[0], Namespace: ns, Images: CommandImages(c.Invocation)})
		}
		return u, true
	case cmd == "delete" && files == 0:
		deleted(&u, c.Invocation, ns)
		return u, true
	case (cmd == "autoscale" || cmd == "expose") && files == 0:
		// kubectl autoscale makes a HorizontalPodAutoscaler, expose a
		// Service, named --name or as the object they are for.
		kind := map[string]string{"autoscale": "horizontalpodautoscaler", "expose": "service"}[cmd]
		name, _ := c.Value("name")
		if name == "" && len(c.Args) > 0 {
			if _, n, ok := strings.Cut(c.Args[0], "/"); ok {
				name = n
			} else if len(c.Args) > 1 {
				name = c.Args[1]
			}
		}
		if name != "" && !strings.ContainsAny(name, "$`<") {
			u.Objects = append(u.Objects, Object{Kind: kind, Name: name, Namespace: ns})
		}
		return u, true
	}
	return u, files > 0
}

// deleted reads the objects a kubectl delete names by its arguments: TYPE
// NAME..., TYPE/NAME...; a delete by label, --all or of TYPE alone deletes
// every object of its kinds.
func deleted(u *ObjectUse, inv kubectl.Invocation, ns string) {
	if len(inv.Args) == 0 {
		return
	}
	byName := len(inv.Args) > 1 && !strings.Contains(inv.Args[0], "/")
	switch {
	case inv.Bool("all") || inv.Has("selector") || (!byName && !strings.Contains(inv.Args[0], "/")):
		for _, k := range strings.Split(inv.Args[0], ",") {
			u.Kinds = append(u.Kinds, kindOf(k))
		}
	case byName:
		for _, k := range strings.Split(inv.Args[0], ",") {
			for _, n := range inv.Args[1:] {
				u.Objects = append(u.Objects, Object{Kind: kindOf(k), Name: n, Namespace: ns})
			}
		}
	default:
		for _, a := range inv.Args {
			if k, n, ok := strings.Cut(a, "/"); ok {
				u.Objects = append(u.Objects, Object{Kind: kindOf(k), Name: n, Namespace: ns})
			}
		}
	}
}

// markObjects sets Step.Objects on the command steps: what their kubectl
// commands do with objects, with the manifests the page gives.
func markObjects(site *Site, doc *Document) {
	for i := range doc.Steps {
		st := &doc.Steps[i]
		if st.Kind != KindCommand {
			continue
		}
		st.Objects = ReadObjects(shell.Parse(st.Code), func(_ kubectl.Call, f string) (string, bool) {
			return manifest(site, doc, i, f)
		})
	}
}

// manifest is the text of the manifest a -f value of step names: a site
// example URL's file (the English one, which the runner runs, else the
// page's language's), or a file the page shows under that name: a file
// docrun writes for the step (Document.Files) or an example file shown with
// code_sample.
func manifest(site *Site, doc *Document, step int, f string) (string, bool) {
	file := ExampleURLPath(f)
	if file != "" {
		if text, ok := siteExample(site, doc.Lang, file); ok {
			return text, true
		}
	} else if strings.Contains(f, "://") {
		return "", false
	} else {
		file = strings.TrimPrefix(f, "./")
	}
	for _, f := range doc.Files {
		for _, u := range f.Uses {
			if u.Step == step && f.Name == file && f.Step >= 0 && f.Step < len(doc.Steps) {
				return doc.Steps[f.Step].Code, true
			}
		}
	}
	for _, s := range doc.Steps {
		if s.Kind == KindManifest && s.File != "" && (s.File == file || path.Base(s.File) == file) {
			return s.Code, true
		}
	}
	return "", false
}

// siteExample is the text of a site example file, in English or else in
// lang.
func siteExample(site *Site, lang, file string) (string, bool) {
	if site == nil {
		return "", false
	}
	p, err := site.FindExample("en", file)
	if p == "" {
		p, err = site.FindExample(lang, file)
	}
	if err != nil || p == "" {
		return "", false
	}
	b, err := readPageFile(p)
	if err != nil {
		return "", false
	}
	return string(b), true
}

// kindAliases maps kubectl's resource names, plurals and short names of
// the built-in kinds to the lower-case kind.
var kindAliases = map[string]string{}

func init() {
	for kind, names := range map[string][]string{
		"pod":                      {"pods", "po"},
		"node":                     {"nodes", "no"},
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

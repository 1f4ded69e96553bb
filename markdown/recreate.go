package markdown

import (
	"strings"

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
// nothing about the page. From what each kubectl command creates and
// deletes (Step.Objects: imperative `create TYPE NAME`, `run NAME`, and the
// manifests that `create -f` and `apply -f` read when the page gives them)
// docrun marks a step whose only command creates objects an earlier step
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

// recreateCreators are the commands whose objects count as created for
// the rule (create or apply them, autoscale and expose make theirs;
// replace needs them to exist).
var recreateCreators = map[string]bool{"create": true, "apply": true, "autoscale": true, "expose": true}

// created are the objects the page's steps created so far, with the steps
// that created each.
type created map[objectRef][]int

// markRecreates sets Step.Recreates on the command steps whose only command,
// a kubectl command, creates (with create or run, which fail on an existing object)
// only objects that earlier steps created and no step deleted since.
func markRecreates(doc *Document) {
	made := created{}
	for i := range doc.Steps {
		st := &doc.Steps[i]
		if st.Kind != KindCommand {
			continue
		}
		for _, u := range st.Objects {
			if u.Command == "delete" && u.DryRun == "" {
				made.delete(u)
			}
		}
		if cmd, ok := onlyCreate(st); ok {
			st.Recreates = made.again(refsOf(cmd))
		}
		for _, u := range st.Objects {
			if _, imperative := createdKinds[u.Command]; u.DryRun == "" && (imperative || recreateCreators[u.Command]) {
				for _, r := range refsOf(u) {
					made[r] = append(made[r], i)
				}
			}
		}
	}
}

// onlyCreate returns the use of a step whose code is one kubectl command
// that fails on an existing object: create (of a manifest or TYPE NAME)
// or run, not a client-side dry run.
func onlyCreate(st *Step) (ObjectUse, bool) {
	if len(st.Objects) != 1 || len(shell.Parse(st.Code).Calls) != 1 {
		return ObjectUse{}, false
	}
	u := st.Objects[0]
	return u, u.DryRun != "client" && (u.Command == "run" || strings.HasPrefix(u.Command, "create"))
}

// refsOf names the objects a use creates, as far as the page tells: nil
// when one of its manifests is not known.
func refsOf(u ObjectUse) []objectRef {
	if !u.Known() {
		return nil
	}
	var refs []objectRef
	for _, o := range u.Objects {
		refs = append(refs, objectRef{kindOf(o.Kind), o.Namespace, o.Name})
	}
	return refs
}

// again returns what a step that creates refs recreates: nil unless every
// one of them was created before.
func (made created) again(refs []objectRef) *Recreates {
	if len(refs) == 0 {
		return nil
	}
	for _, r := range refs {
		if len(made[r]) == 0 {
			return nil
		}
	}
	rc := &Recreates{}
	seen := map[int]bool{}
	for _, r := range refs {
		rc.Objects = append(rc.Objects, r.String())
		for _, s := range made[r] {
			if !seen[s] {
				seen[s] = true
				rc.Steps = append(rc.Steps, s)
			}
		}
	}
	return rc
}

// delete forgets the objects a kubectl delete names; a delete by label,
// --all or of TYPE alone forgets every object of its kinds, one of a
// manifest not known every object; deleting a namespace forgets what was
// in it, deleting a CustomResourceDefinition the custom objects.
func (made created) delete(u ObjectUse) {
	if !u.Known() {
		clear(made)
		return
	}
	kinds := map[string]bool{}
	for _, k := range u.Kinds {
		kinds[k] = true
	}
	for o := range made {
		if kinds[o.kind] {
			delete(made, o)
		}
	}
	for _, ob := range u.Objects {
		r := objectRef{kindOf(ob.Kind), ob.Namespace, ob.Name}
		delete(made, r)
		for o := range made {
			switch {
			case r.kind == "namespace" && o.ns == r.name:
				delete(made, o) // what was in the namespace
			case r.kind == "customresourcedefinition" && kindAliases[o.kind] == "":
				delete(made, o) // custom objects (of any definition)
			}
		}
	}
}

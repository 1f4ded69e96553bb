package runner

import (
	"strings"

	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
)

// objectUse is what a placeholder stands for in a step: an object of a
// kind (found), or the name of a new object (fresh: kubectl create's or
// run's name), and whether the kubectl command it is in only reads.
type objectUse struct {
	res      apiResource
	found    bool
	fresh    bool
	readOnly bool
}

// podCommands take a Pod as their first argument; nodeCommands a Node.
var (
	podCommands  = map[string]bool{"logs": true, "exec": true, "attach": true, "port-forward": true, "debug": true, "cp": true, "top pod": true}
	nodeCommands = map[string]bool{"cordon": true, "uncordon": true, "drain": true, "top node": true}
)

// placeholderUse finds the kind of object placeholder name stands for in
// code: from the kubectl command it is an argument of (`kubectl get pods
// <name>`, `deployment/<name>`, `kubectl logs <name>`, `-n <name>`), else
// from its own name (<pod-name>, <your-secret>, <daemonset-name>,
// NODE_NAME) read with the cluster's resource names.
func placeholderUse(name, code string, names resourceNames) objectUse {
	tokens := placeholderTokens(name)
	for _, inv := range kubectl.Calls(shell.Parse(code)) {
		if u, ok := argUse(inv.Invocation, tokens, names); ok {
			u.readOnly = inv.ReadOnly()
			return u
		}
	}
	if manifestName(code, tokens) {
		return objectUse{fresh: true}
	}
	if res, ok := nameResource(name, names); ok {
		return objectUse{res: res, found: true}
	}
	return objectUse{}
}

// manifestName reports whether a manifest names its object with one of the
// tokens (metadata:, then name: <name> one level in): the name of the
// object a command creates from it, a new one.
func manifestName(code string, tokens []string) bool {
	inMeta := false
	for _, l := range strings.Split(code, "\n") {
		t := strings.TrimSpace(l)
		switch {
		case t == "metadata:":
			inMeta = true
		case inMeta && t != "" && !strings.HasPrefix(l, " "):
			inMeta = false
		case inMeta && strings.HasPrefix(t, "name:") && len(l)-len(strings.TrimLeft(l, " ")) == 2:
			v := strings.Trim(strings.TrimSpace(strings.TrimPrefix(t, "name:")), `"'`)
			for _, tok := range tokens {
				if v == tok {
					return true
				}
			}
		}
	}
	return false
}

// placeholderTokens are the ways the placeholder is written in code.
func placeholderTokens(name string) []string {
	if v, ok := strings.CutPrefix(name, "$"); ok {
		return []string{"$" + v, "${" + v + "}"}
	}
	return []string{"<" + name + ">", "‹" + name + "›", name}
}

// argUse reads the kind of the object a kubectl command names with one of
// the tokens; ok is false when no argument or flag is one.
func argUse(inv kubectl.Invocation, tokens []string, names resourceNames) (objectUse, bool) {
	is := func(s string) bool {
		for _, t := range tokens {
			if s == t {
				return true
			}
		}
		return false
	}
	of := func(word string) (objectUse, bool) {
		res, ok := names.lookup(word)
		return objectUse{res: res, found: ok}, true
	}
	if ns, _ := inv.Namespace(); is(ns) {
		return of("namespaces")
	}
	cmd := inv.Command()
	for i, a := range inv.Args {
		if typ, n, ok := strings.Cut(a, "/"); ok && is(n) {
			return of(typ)
		}
		if cmd == "cp" {
			a, _, _ = strings.Cut(a, ":")
		}
		if !is(a) {
			continue
		}
		switch {
		case inv.Verb() == "create" || cmd == "run":
			return objectUse{fresh: true}, true
		case podCommands[cmd] && i == 0:
			return of("pods")
		case nodeCommands[cmd] && i == 0:
			return of("nodes")
		case i >= 1 && !strings.ContainsAny(inv.Args[0], ",/"):
			return of(inv.Args[0])
		}
		break
	}
	return objectUse{}, false
}

// nameResource reads a kind of object from a placeholder's name: its last
// word before "name" (pod-name, your-secret, insert-some-namespace-name,
// POD_NAME, podname), or its last two words as one (service-account-name).
func nameResource(name string, names resourceNames) (apiResource, bool) {
	words := strings.Split(canonicalName(name), "-")
	if last := words[len(words)-1]; last == "name" || last == "names" {
		words = words[:len(words)-1]
	} else if len(words) == 1 && len(last) > 4 && strings.HasSuffix(last, "name") {
		words = []string{strings.TrimSuffix(last, "name")}
	}
	if len(words) == 0 || words[0] == "" {
		return apiResource{}, false
	}
	if n := len(words); n >= 2 {
		if res, ok := names[words[n-2]+words[n-1]]; ok {
			return res, true
		}
	}
	res, ok := names[words[len(words)-1]]
	return res, ok
}

// readsOnly reports whether code only reads the cluster: every command it
// runs is a kubectl command that changes nothing.
func readsOnly(code string) bool {
	sc := shell.Parse(code)
	calls := kubectl.Calls(sc)
	for _, inv := range calls {
		if !inv.ReadOnly() {
			return false
		}
	}
	return len(calls) > 0 && len(calls) == len(sc.Calls)
}

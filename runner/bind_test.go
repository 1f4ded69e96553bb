package runner

import (
	"testing"

	"github.com/docrun/docrun/result"
)

func TestBindNames(t *testing.T) {
	var b bindings
	b.set("namespace", "docrun-x", "auto")
	b.set("node-name", "node-0", "auto")
	b.set("pod", "web-0", "set")
	cases := []struct{ code, name, want string }{
		{"kubectl get pods -n <your-namespace>", "your-namespace", "kubectl get pods -n docrun-x"},
		{"kubectl label nodes YOUR_NODE_NAME a=b", "YOUR_NODE_NAME", "kubectl label nodes node-0 a=b"},
		{"echo $NAMESPACE", "$NAMESPACE", "export NAMESPACE='docrun-x'\necho $NAMESPACE"},
		{"kubectl describe pod ‹pod›", "pod", "kubectl describe pod web-0"},
		{"kubectl label node NODE_NAME x=y; echo $NODE_NAME", "NODE_NAME", "kubectl label node node-0 x=y; echo $NODE_NAME"},
	}
	for _, c := range cases {
		got, _, missing := b.bind(c.code, []string{c.name})
		if got != c.want || len(missing) > 0 {
			t.Errorf("%q: got %q (missing %v), want %q", c.code, got, missing, c.want)
		}
	}
	if _, _, missing := b.bind("echo <pod-name>", []string{"pod-name"}); len(missing) != 1 {
		t.Error("a value set by the user under another name must not bind pod-name")
	}
}

func TestBindFromEnvironment(t *testing.T) {
	b := bindings{env: envNames([]string{"LOG=/tmp/x", "HOME=/root"})}
	code, used, missing := b.bind("echo $LOG $DOCRUN_SESSION", []string{"$LOG", "$DOCRUN_SESSION"})
	if code != "echo $LOG $DOCRUN_SESSION" || len(used) != 0 || len(missing) != 0 {
		t.Errorf("got %q %v %v", code, used, missing)
	}
	if _, _, missing := b.bind("echo $OTHER", []string{"$OTHER"}); len(missing) != 1 {
		t.Error("a variable nobody sets must stay unbound")
	}
}

func TestBindObjects(t *testing.T) {
	var b bindings
	b.set("node-name", "node-0", "auto")
	b.weak = map[string]bool{"node-name": true}
	b.set("pod-name", "given", "set")
	b.objects = func(name, code string, anyOne bool) (result.Binding, string, bool) {
		switch name {
		case "node-name":
			return result.Binding{Name: name, Value: "node-1", Source: "object", Description: "node node-1, labelled at step 2"}, "", true
		case "secret-name":
			return result.Binding{}, "2 secrets the page made could be meant: a (secret a), b (secret b)", false
		case "pod-name":
			t.Error("a value given with --set comes before the page's objects")
		}
		return result.Binding{}, "", false
	}
	code, used, missing := b.bind("kubectl describe node <node-name> <pod-name>", []string{"node-name", "pod-name"})
	if code != "kubectl describe node node-1 given" || len(used) != 2 || len(missing) != 0 || used[0].Source != "object" {
		t.Errorf("got %q %v %v", code, used, missing)
	}
	_, _, missing = b.bind("kubectl get secret <secret-name>", []string{"secret-name"})
	want := "needs a value for <secret-name>: 2 secrets the page made could be meant: a (secret a), b (secret b) (bind it with --set secret-name=VALUE)"
	if len(missing) != 1 || b.missingReason(missing[0], "") != want {
		t.Errorf("got %v %q", missing, b.missingReason("secret-name", ""))
	}
}

package runner

import "testing"

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

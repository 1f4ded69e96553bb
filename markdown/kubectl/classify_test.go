package kubectl

import (
	"strings"
	"testing"
)

func TestBlocks(t *testing.T) {
	tests := []struct {
		line        string
		interactive string // a part of Interactive's reason, "" for not interactive
		endless     string // a part of Endless's reason, "" for not endless
	}{
		{"edit deploy/web", "kubectl edit opens an editor", ""},
		{"-n ns edit x", "kubectl edit opens an editor", ""},
		{"apply edit-last-applied deploy/web", "opens an editor", ""},
		{"create --edit -f pod.yaml", "kubectl create --edit opens an editor", ""},
		{"create --edit=false -f pod.yaml", "", ""},
		{"delete -i pods --all", "kubectl delete --interactive asks", ""},
		{"exec -it web -- sh", "kubectl exec -i -t connects a terminal", ""},
		{"--context x exec -ti web -- sh", "kubectl exec -i -t", ""},
		{"exec --stdin --tty web -- sh", "kubectl exec -i -t", ""},
		{"exec -i web -- cat", "", ""},
		{"exec -t web -- ls", "", ""},
		{"exec -it=false web -- sh", "", ""},
		{"exec web -- ls -it", "", ""},
		{"run -it --rm bb --image=busybox -- sh", "kubectl run -i -t", ""},
		{"run -i --rm --restart=Never bb --image=busybox -- wget -qO- web", "", ""},
		{"debug -it web --image=busybox", "kubectl debug -i -t", ""},
		{"attach -it web", "kubectl attach -i -t", ""},
		{"attach web", "", "kubectl attach streams the container's output"},
		{"get pods -w", "", "kubectl get --watch streams"},
		{"get pods --watch=false", "", ""},
		{"get pods --watch-only", "", "kubectl get --watch-only"},
		{"events --watch", "", "kubectl events --watch"},
		{"rollout status deploy/web -w", "", ""},
		{"logs -f web", "", "kubectl logs --follow"},
		{"logs web", "", ""},
		{"port-forward svc/web 8080:80", "", "kubectl port-forward serves"},
		{"--namespace=x port-forward pod/web 8080", "", "kubectl port-forward serves"},
		{"proxy --port=8001", "", "kubectl proxy serves"},
		{"apply -f https://k8s.io/examples/pod.yaml", "", ""},
		{"get pods -o wide", "", ""},
		{"krew install ctx", "", ""},
	}
	for _, tt := range tests {
		inv, err := Parse(argv(tt.line))
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.line, err)
		}
		reason, ok := inv.Interactive()
		if ok != (tt.interactive != "") || !strings.Contains(reason, tt.interactive) {
			t.Errorf("Interactive() of %q = %q, %v; want %q", tt.line, reason, ok, tt.interactive)
		}
		reason, ok = inv.Endless()
		if ok != (tt.endless != "") || !strings.Contains(reason, tt.endless) {
			t.Errorf("Endless() of %q = %q, %v; want %q", tt.line, reason, ok, tt.endless)
		}
		_, fg := inv.Blocks(false)
		_, bg := inv.Blocks(true)
		if fg != (tt.interactive != "" || tt.endless != "") || bg != (tt.interactive != "") {
			t.Errorf("Blocks of %q: in the foreground %v, in the background %v", tt.line, fg, bg)
		}
	}
}

func TestReadOnly(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"get pods", true},
		{"-n kube-system get pods -o yaml", true},
		{"describe node n1", true},
		{"explain pod.spec", true},
		{"logs -f web", true},
		{"top pod", true},
		{"top po", true},
		{"api-resources", true},
		{"api-versions", true},
		{"version --client", true},
		{"cluster-info", true},
		{"cluster-info dump", true},
		{"config view --minify", true},
		{"config get-contexts", true},
		{"config current-context", true},
		{"auth can-i create pods", true},
		{"auth whoami", true},
		{"diff -f pod.yaml", true},
		{"events", true},
		{"wait --for=condition=Ready pod/web", true},
		{"rollout status deploy/web", true},
		{"rollout history deploy/web", true},
		{"kustomize ./base", true},
		{"", true},
		{"create deployment web --image=nginx --dry-run=client -o yaml", true},
		{"apply -f pod.yaml --dry-run=server", true},
		{"run web --image=nginx --dry-run", true},
		{"set image --local -f dep.yaml app=nginx:1.27 -o yaml", true},
		{"apply -f pod.yaml", false},
		{"apply -f pod.yaml --dry-run=none", false},
		{"create deployment web --image=nginx --dry-run=false", false},
		{"delete pod web", false},
		{"edit deploy/web", false},
		{"scale deploy/web --replicas=3", false},
		{"label pod web tier=db", false},
		{"rollout restart deploy/web", false},
		{"rollout undo deploy/web", false},
		{"config use-context kind", false},
		{"config set-context --current --namespace=x", false},
		{"exec web -- ls", false},
		{"attach web", false},
		{"run web --image=nginx", false},
		{"debug node/n1 -it --image=busybox", false},
		{"cp web:/tmp/x ./x", false},
		{"port-forward svc/web 8080:80", false},
		{"proxy", false},
		{"certificate approve csr-1", false},
		{"drain n1", false},
		{"taint nodes n1 key=value:NoSchedule", false},
		{"krew list", false},
		{"cluster-info dump --output-directory=/tmp/dump", false},
		{"create token default", false},
		{"set image deploy/web app=nginx:1.27", false},
		{"get --raw /healthz", true},
		{"get pods -w", true},
		{"auth can-i --list", true},
		{"config view --raw", true},
		{"rollout status daemonset/fluentd -n kube-system --timeout=60s", true},
		{"top node --sort-by=cpu", true},
	}
	for _, tt := range tests {
		inv, err := Parse(argv(tt.line))
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.line, err)
		}
		if got := inv.ReadOnly(); got != tt.want {
			t.Errorf("ReadOnly() of %q = %v, want %v", tt.line, got, tt.want)
		}
	}
}

func TestDryRun(t *testing.T) {
	for line, want := range map[string]string{
		"apply -f x.yaml":                    "none",
		"apply -f x.yaml --dry-run":          "client",
		"apply -f x.yaml --dry-run=client":   "client",
		"apply -f x.yaml --dry-run=server":   "server",
		"apply -f x.yaml --dry-run=true":     "client",
		"apply -f x.yaml --dry-run=false":    "none",
		"apply -f x.yaml --dry-run=none":     "none",
		"apply -f x.yaml --dry-run=whatever": "none",
	} {
		inv, _ := Parse(argv(line))
		if got := inv.DryRun(); got != want {
			t.Errorf("DryRun() of %q = %q, want %q", line, got, want)
		}
	}
}

// TestClassesNameTheTable keeps the command and flag names of the
// classification in step with the generated table.
func TestClassesNameTheTable(t *testing.T) {
	root := tree()
	find := func(path string) *node {
		n := root
		if path == "" {
			return n
		}
		for _, w := range strings.Split(path, " ") {
			if n = n.child(w); n == nil {
				t.Errorf("no command %q in the table", path)
				return nil
			}
		}
		return n
	}
	for _, set := range []map[string]bool{editors, servers, readers} {
		for path := range set {
			find(path)
		}
	}
	for path, flags := range followers {
		if n := find(path); n != nil {
			for _, name := range flags {
				if n.lookup(name, false) == nil {
					t.Errorf("no flag --%s on %q", name, path)
				}
			}
		}
	}
	for _, name := range []string{"edit", "interactive", "stdin", "tty", "dry-run", "local", "filename", "kustomize", "namespace", "all-namespaces"} {
		found := false
		for i := range table {
			for _, f := range table[i].flags {
				found = found || f.name == name
			}
		}
		if !found {
			t.Errorf("no command has --%s", name)
		}
	}
}

package markdown

import (
	"testing"

	"github.com/docrun/docrun/markdown/shell"
)

func TestNeedsContainer(t *testing.T) {
	cases := map[string]string{
		"kubectl logs web-0":                                   "kubectl logs",
		"kubectl -n x exec web -- ls":                          "kubectl exec",
		"kubectl port-forward svc/x 8080:80 &":                 "kubectl port-forward",
		"kubectl run t -i --rm --image=busybox -- wget -qO- x": "kubectl run -i",
		"kubectl run web --image=nginx":                        "",
		"kubectl get pods\nkubectl cp web:/x ./x":              "kubectl cp",
		"echo kubectl logs":                                    "",
	}
	for code, want := range cases {
		got, ok := NeedsContainer(code)
		if got != want || ok != (want != "") {
			t.Errorf("%q: got %q %v, want %q", code, got, ok, want)
		}
	}
}

func TestKubectlInteractive(t *testing.T) {
	cases := []struct {
		args       string
		background bool
		want       bool
	}{
		{"exec -it web -- sh", false, true},
		{"exec -it web -- ls /", false, false},
		{"exec -it web -- sh -c 'ls /'", false, false},
		{"-n ns exec -it web -- /bin/bash", false, true},
		{"run -it --rm --image=busybox t", false, true},
		{"run -it --rm --image=mysql c -- mysql -h db", false, true},
		{"edit deploy/web", false, true},
		{"create --edit -f x.yaml", false, true},
		{"get pods -w", false, true},
		{"get pods -w", true, false},
		{"rollout status deploy/web --watch=true", false, false},
		{"logs -f web", false, true},
		{"proxy --port=8080", false, true},
		{"proxy --port=8080", true, false},
		{"get pods", false, false},
	}
	for _, c := range cases {
		if got := kubectlInteractive(kubectlArgv(c.args), c.background); got != c.want {
			t.Errorf("%q (background %v): got %v want %v", c.args, c.background, got, c.want)
		}
	}
}

// kubectlArgv reads "kubectl ARGS" with the shell parser and returns ARGS.
func kubectlArgv(s string) []string {
	return shell.Parse("kubectl " + s).Calls[0].Args[1:]
}

package runner

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/docrun/docrun/result"
)

func TestToolsToCheck(t *testing.T) {
	cases := []struct {
		code string
		want []string
	}{
		{"etcdctl member list\n", []string{"etcdctl"}},
		{"ETCDCTL_API=3 etcdctl -h | grep x\n", []string{"etcdctl", "grep"}},
		{"export ETCD_NAME=m4\nmongosh --port 28015\n", []string{"mongosh"}},
		{"kubectl get pods\n", nil},
		{"kubectl convert --help\n", []string{"kubectl-convert"}},
		{"kubectl -n x krew list\n", []string{"kubectl-krew"}},
		{"./kubectl version\n", nil},
		{"/usr/local/bin/helm version\n", nil},
		{"f() { frob; }\nf\n", []string{"frob"}},
		{"curl -LO https://example.test/kubectl && chmod +x kubectl && kubectl-foo\n", nil},
		{"export PATH=$PATH:$HOME/bin\nmytool\n", nil},
		{"echo $(uname -a)\n", []string{"uname"}},
		{"if then fi (\n", nil}, // does not parse: nothing looked up
		{"command -v kustomize >/dev/null && kustomize build .\n", nil},
		{"which helm && helm version\n", nil},
	}
	for _, c := range cases {
		if got := toolsToCheck(c.code); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: %q, want %q", c.code, got, c.want)
		}
	}
}

// TestMissingTool runs a page, in a real bash without a cluster, whose
// steps call a program and a kubectl plugin this machine lacks: they are
// skipped with the program's name; programs, builtins and functions it has
// run.
func TestMissingTool(t *testing.T) {
	page := "---\ntitle: tools\n---\n\n" +
		"```shell\ndocrun-no-such-program-4711 --version\n```\n\n" +
		"```shell\nkubectl docrun-no-such-plugin-4711 list\n```\n\n" +
		"```shell\ngreet() { echo hello; }\n```\n\n" +
		"```shell\ngreet; uname -s\n```\n"
	path := filepath.Join(t.TempDir(), "page.md")
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &Runner{Opts: Options{Only: -1, From: -1, To: -1}}
	res := r.RunPage(context.Background(), path)
	if res.Error != "" || len(res.Steps) != 4 {
		t.Fatalf("run: %q, %d steps", res.Error, len(res.Steps))
	}
	want := []struct {
		status result.Status
		reason string
	}{
		{result.Skipped, "needs the program docrun-no-such-program-4711, which is not installed here"},
		{result.Skipped, "needs the kubectl plugin docrun-no-such-plugin-4711 (kubectl-docrun-no-such-plugin-4711), which is not installed here"},
		{result.Passed, ""},
		{result.Passed, ""},
	}
	for i, w := range want {
		st := res.Steps[i]
		if st.Status != w.status || st.SkipReason != w.reason {
			t.Errorf("step %d: %s %q, want %s %q (%s)", i, st.Status, st.SkipReason, w.status, w.reason, st.Stderr)
		}
	}
	if !strings.Contains(res.Steps[3].Stdout, "hello") {
		t.Errorf("the function did not run: %q", res.Steps[3].Stdout)
	}
}

// Package ci holds the CI workflow a Kubernetes website fork can copy
// (github-actions.yaml) and the test that lints it.
package ci

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docrun/docrun/runner/clustertest"
)

// actionlint is the workflow linter, fetched through the Go module proxy
// at a pinned version. Its shellcheck and pyflakes passes are off, so the
// verdict does not depend on what else the machine has installed.
const actionlint = "github.com/rhysd/actionlint/cmd/actionlint@v1.7.12"

func lint(t *testing.T, file string) (string, error) {
	t.Helper()
	out, err := exec.Command("go", "run", actionlint, "-shellcheck=", "-pyflakes=", "-no-color", file).CombinedOutput()
	return string(out), err
}

// TestWorkflowLints checks github-actions.yaml with actionlint, and that
// actionlint does refuse a broken copy of it (so a pass means something).
// It needs the Go module proxy (or actionlint in the module cache), as the
// local cluster's build does: it runs with DOCRUN_E2E=1 (make test).
func TestWorkflowLints(t *testing.T) {
	if !clustertest.Enabled() {
		t.Skipf("skipped: set %s=1 to fetch actionlint through the Go module proxy and lint the workflow (make test does)", clustertest.EnvVar)
	}
	if out, err := lint(t, "github-actions.yaml"); err != nil {
		t.Fatalf("actionlint github-actions.yaml: %v\n%s", err, out)
	}
	data, err := os.ReadFile("github-actions.yaml")
	if err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(t.TempDir(), "broken.yaml")
	bad := strings.Replace(string(data), "${{ matrix.shard }}", "${{ matrix.shards }}", 1)
	if err := os.WriteFile(broken, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := lint(t, broken); err == nil || !strings.Contains(out, "shards") {
		t.Errorf("actionlint accepted a workflow naming matrix.shards, which the matrix lacks: %v\n%s", err, out)
	}
}

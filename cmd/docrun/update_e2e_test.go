package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docrun/docrun/runner/clustertest"
)

// TestRunUpdate runs a page whose expected output is stale with --update
// on the local cluster and checks the page written byte for byte
// (testdata/update/stale.want.md): the blocks whose output differs are
// rewritten (a list item's indentation, the placeholder <configmap-name>
// docrun bound, the page's own value of a redacted secret kept), the
// similar one in the tab's transcript is not, and the step without a block
// gets one with the run's namespace written as default. A second run
// changes nothing; --update=all --dry-run prints the transcript's diff and
// writes nothing.
func TestRunUpdate(t *testing.T) {
	env := clustertest.Require(t)
	src, err := os.ReadFile("testdata/update/stale.md")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/update/stale.want.md")
	if err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(t.TempDir(), "stale.md")
	if err := os.WriteFile(page, src, 0o640); err != nil {
		t.Fatal(err)
	}
	read := func() string {
		b, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	o := docrun(t, env, "--offline", "--yes", "--update=add", page)
	if o.code != 0 || !strings.Contains(o.stderr, "updated 4 blocks") {
		t.Fatalf("exit %d, want 0 and 4 blocks updated\n%s", o.code, o.stderr)
	}
	if got := read(); got != string(want) {
		t.Errorf("the page written differs from testdata/update/stale.want.md:\n%s", got)
	}
	// The secret is in the page's command, never in an output block.
	if strings.Count(read(), "s3cr3t-passw0rd") != 1 || strings.Contains(read(), "czNjcjN0LXBhc3N3MHJk") {
		t.Errorf("the run's secret was written into the page")
	}
	if fi, err := os.Stat(page); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("the page's mode is %v, want 0640 (%v)", fi.Mode().Perm(), err)
	}

	o = docrun(t, env, "--offline", "--yes", "--update=add", page)
	if !strings.Contains(o.stderr, "no expected output to update") || read() != string(want) {
		t.Errorf("a second run changed the page:\n%s", o.stderr)
	}

	o = docrun(t, env, "--offline", "--yes", "--update=all", "--dry-run", page)
	if !strings.Contains(o.stderr, "-9\n+3\n") || read() != string(want) {
		t.Errorf("--update=all --dry-run: want the transcript's diff (-9 +3) and the page unwritten:\n%s", o.stderr)
	}
}

package app

import (
	"strings"
	"testing"
)

// TestLiveErrors checks the bad input of serve and watch: one line, the
// exit code, and nothing started.
func TestLiveErrors(t *testing.T) {
	empty := t.TempDir()
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"serve", "/nonexistent"}, ExitFail, "/nonexistent: no such file or folder"},
		{[]string{"serve", empty}, ExitFail, "no pages under "},
		{[]string{"serve", "--addr", "bad", "../../../content"}, ExitUsage, `--addr "bad": want host:port`},
		{[]string{"serve", "--addr", ":70000", "../../../content"}, ExitUsage, "bad port"},
		{[]string{"serve", "--idle-timeout", "0s", "../../../content"}, ExitUsage, "--idle-timeout must be positive"},
		{[]string{"serve", "--timeout", "0s", "../../../content"}, ExitUsage, "--timeout must be positive"},
		{[]string{"serve", "--set", "novalue", "../../../content"}, ExitUsage, `--set "novalue": want NAME=VALUE`},
		{[]string{"serve", "a", "b"}, ExitUsage, "accepts at most 1 arg"},
		{[]string{"watch", "--context", "x", "page.md", "-o", "x.html"}, ExitUsage, "--context applies only with --rerun"},
		{[]string{"watch", "--rerun", "--from", "r.json", "../../../content/en/docs/tasks/run-pod/run-a-pod.md", "-o", "x.html"}, ExitUsage, "--from and --rerun do not go together"},
	}
	for _, c := range cases {
		code, out, errOut := runMain(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("docrun %s: exit %d, stderr %q; want exit %d and %q", strings.Join(c.args, " "), code, errOut, c.code, c.want)
		}
		if strings.Contains(errOut, "goroutine") || out != "" {
			t.Errorf("docrun %s: stdout %q, stderr %q", strings.Join(c.args, " "), out, errOut)
		}
		if first := strings.SplitN(errOut, "\n", 2)[0]; !strings.HasPrefix(first, "docrun: ") && !strings.HasPrefix(first, "Error: ") {
			t.Errorf("docrun %s: first line %q", strings.Join(c.args, " "), first)
		}
	}
}

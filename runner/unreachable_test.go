package runner

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docrun/docrun/result"
)

func TestUnreachable(t *testing.T) {
	for stderr, want := range map[string]bool{
		"Unable to connect to the server: net/http: TLS handshake timeout\n":                           true,
		"Unable to connect to the server: dial tcp 10.0.0.1:443: i/o timeout\n":                        true,
		"Error from server: etcdserver: request timed out\n":                                           true,
		"Error from server (Timeout): the server was unable to return a response in the time allotted": true,
		"The connection to the server localhost:8080 was refused - did you specify the right host?\n":  false,
		"Error from server (NotFound): pods \"web\" not found\n":                                       false,
		"curl: (28) Connection timed out after 1001 milliseconds\n":                                    false,
	} {
		if got := unreachable(stderr); got != want {
			t.Errorf("unreachable(%q) = %v, want %v", stderr, got, want)
		}
	}
}

// TestRetryUnreachable runs a page whose kubectl (a script here) does not
// reach the API server in time on its first call: the read-only step runs
// again and passes; a step that changes the cluster is not run again
// after a TLS handshake timeout, unless it is a single command.
func TestRetryUnreachable(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	os.Mkdir(bin, 0o755)
	count := filepath.Join(dir, "count")
	os.WriteFile(filepath.Join(bin, "kubectl"), []byte(`#!/bin/bash
n=$(cat "`+count+`" 2>/dev/null || echo 0)
echo $((n + 1)) > "`+count+`"
if [ "$n" = 0 ] || [ "$1" = delete ] || { [ "$1" = label ] && [ "$n" = 2 ]; }; then
  echo "Unable to connect to the server: net/http: TLS handshake timeout" >&2
  exit 1
fi
echo "No resources found"
`), 0o755)
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	page := filepath.Join(dir, "page.md")
	os.WriteFile(page, []byte("---\ntitle: t\n---\n\n```shell\nkubectl get pods\n```\n\n"+
		"```shell\nkubectl label pod web a=b\n```\n\n```shell\nkubectl get pods\nkubectl delete pod web\n```\n"), 0o644)
	r := &Runner{Opts: Options{Only: -1, From: -1, To: -1}}
	res := r.RunPage(context.Background(), page)
	if res.Error != "" {
		t.Fatal(res.Error)
	}
	if st := res.Steps[0]; st.Status != result.Passed || !strings.Contains(st.Note, "run again once") {
		t.Errorf("get: %s, note %q, stderr %q", st.Status, st.Note, st.Stderr)
	}
	if st := res.Steps[1]; st.Status != result.Passed || !strings.Contains(st.Note, "run again once") {
		t.Errorf("label: %s, note %q, stderr %q", st.Status, st.Note, st.Stderr)
	}
	if st := res.Steps[2]; st.Status != result.Failed || st.Note != "" {
		t.Errorf("delete: %s, note %q", st.Status, st.Note)
	}
}

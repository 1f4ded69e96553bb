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

// filesPage tells the reader to save files that later commands read: one
// with a placeholder, saved twice (a second version), one in a folder the
// page cd'ed into, and one the page made itself first (with a command
// docrun does not read as a write).
const filesPage = "---\ntitle: files\n---\n\n" +
	"Save the following as `conf/app.yaml`:\n\n```yaml\ncolor: <color>\n```\n\n" + // step 0
	"```shell\ncat conf/app.yaml\n```\n\n" + // 1
	"Then save it to `conf/app.yaml` again:\n\n```yaml\ncolor: green\n```\n\n" + // 2
	"```shell\nsed -i s/green/red/ ./conf/app.yaml && cat ./conf/app.yaml\n```\n\n" + // 3
	"Save the final version as conf/app.yaml:\n\n```yaml\ncolor: final\n```\n\n" + // 4
	"```shell\ncat conf/app.yaml\n```\n\n" + // 5
	"```shell\nprintf 'mine\\n' | dd of=own.txt status=none\nmkdir sub && cd sub && printf 'theirs\\n' | dd of=own.txt status=none\n```\n\n" + // 6
	"Save this as `own.txt`:\n\n```text\nfrom the page\n```\n\n" + // 7
	"```shell\ncat own.txt; pwd\n```\n\n" + // 8
	"Save this as `new.txt`:\n\n```text\nnew in sub\n```\n\n" + // 9
	"```shell\ncat new.txt\n```\n" // 10

func TestRunPageCreatesFiles(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "page.md")
	if err := os.WriteFile(page, []byte(filesPage), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &Runner{Opts: Options{Only: -1, From: -1, To: -1}}
	res := r.RunPage(context.Background(), page)
	if res.Error != "" {
		t.Fatal(res.Error)
	}
	if s := res.Steps[1]; s.Status != result.Skipped || !strings.Contains(s.SkipReason, "needs a value for <color> in conf/app.yaml, line 7") {
		t.Errorf("step 1 with an unbound placeholder in its file: %s %q", s.Status, s.SkipReason)
	}

	r.Opts.Set = map[string]string{"color": "blue"}
	res = r.RunPage(context.Background(), page)
	want := []struct {
		step    int
		out     string
		created []string
	}{
		{1, "color: blue\n", []string{"conf/app.yaml"}},
		{3, "color: red\n", []string{"conf/app.yaml"}}, // the second version, then the page's edit
		{5, "color: final\n", []string{"conf/app.yaml"}},
		{8, "theirs\n", nil}, // never replaced: the page made it
		{10, "new in sub\n", []string{"new.txt"}},
	}
	for _, w := range want {
		s := res.Steps[w.step]
		if s.Status != result.Passed || !strings.HasPrefix(s.Stdout, w.out) || !reflect.DeepEqual(s.Created, w.created) {
			t.Errorf("step %d: %s %q created %q %q; want passed %q created %q", w.step, s.Status, s.Stdout, s.Created, s.Stderr, w.out, w.created)
		}
	}
	if !strings.HasSuffix(strings.TrimSpace(strings.SplitN(res.Steps[8].Stdout, "\n", 2)[1]), "/work/sub") {
		t.Errorf("step 8 ran in %q", res.Steps[8].Stdout)
	}
	if !strings.Contains(strings.Join(res.Notes, "\n"), "kept own.txt, which the page made itself, instead of writing line") {
		t.Errorf("notes %q", res.Notes)

	}
}

// TestRunPageKustomizationFolder binds the placeholder of kubectl apply -k
// <directory-path> to the folder docrun writes the kustomization in.
func TestRunPageKustomizationFolder(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "page.md")
	os.WriteFile(page, []byte("---\ntitle: k\n---\n\n"+
		"```yaml\nconfigMapGenerator:\n- name: c\n  literals: [a=b]\n```\n\n"+
		"```shell\nkubectl apply -k <directory-path> --dry-run=client -o name\n```\n"), 0o644)
	r := &Runner{Opts: Options{Only: -1, From: -1, To: -1, DryRun: true}}
	res := r.RunPage(context.Background(), page)
	s := res.Steps[1]
	if s.SkipReason != "dry run" || s.Ran != "kubectl apply -k . --dry-run=client -o name\n" {
		t.Errorf("dry run: %q ran %q", s.SkipReason, s.Ran)
	}
	if len(s.Bindings) != 1 || s.Bindings[0] != (result.Binding{Name: "directory-path", Value: ".", Source: "auto"}) {
		t.Errorf("bindings %+v", s.Bindings)
	}
}

// TestPageSessionFilePlaceholders: a step whose file has a placeholder asks
// for it (docrun walk, serve), and a -k <directory-path> does not.
func TestPageSessionFilePlaceholders(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "page.md")
	os.WriteFile(page, []byte("---\ntitle: k\n---\n\n"+
		"Save this as `kustomization.yaml`:\n\n```yaml\nnamePrefix: <prefix>\nresources: [a.yaml]\n```\n\n"+
		"```shell\ncommand -v kustomize >/dev/null && kustomize build <directory-path>; cat <directory-path>/kustomization.yaml\n```\n"), 0o644)
	r := &Runner{Opts: Options{Only: -1, From: -1, To: -1}}
	ps, err := r.Open(context.Background(), page)
	if err != nil {
		t.Fatal(err)
	}
	defer ps.Close(context.Background())
	if got := ps.Unbound(1); !reflect.DeepEqual(got, []string{"prefix"}) {
		t.Errorf("unbound %q, want [prefix]", got)
	}
	ps.Bind("prefix", "dev-")
	st, err := ps.Run(1, "")
	if err != nil || st.Status != result.Passed || st.Stdout != "namePrefix: dev-\nresources: [a.yaml]\n" || !reflect.DeepEqual(st.Created, []string{"kustomization.yaml"}) {
		t.Errorf("%v %s %q %q created %q", err, st.Status, st.Stdout, st.Stderr, st.Created)
	}
}

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docrun/docrun/runner/clustertest"
)

// TestFilesToCreate runs pages that tell the reader to save files (a cue
// sentence in English and in Japanese, an example file read by its name, a
// kustomization read by kubectl apply -k <directory-path>, a manifest
// saved again) against the cluster: docrun writes them before the commands
// that read them, and the report says so.
func TestFilesToCreate(t *testing.T) {
	env := clustertest.Require(t)
	cm := func(name, v string) string {
		return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\ndata:\n  v: \"" + v + "\"\n"
	}
	yamlBlock := func(s string) string { return "```yaml\n" + s + "```\n\n" }
	dir := site(t, map[string]string{
		"content/en/examples/cm/sample.yaml": cm("sample", "1"),
		"content/en/docs/f.md": pageOf(
			"Save this as `x.yaml`:\n\n", yamlBlock(cm("saved", "1")),
			fence("kubectl apply -f x.yaml"),
			"{{% code_sample file=\"cm/sample.yaml\" %}}\n\n",
			fence("kubectl apply -f sample.yaml"),
			"Create the `kustomization.yaml` file:\n\n", yamlBlock("configMapGenerator:\n- name: gen\n  literals:\n  - v=1\n"),
			fence("kubectl apply -k <directory-path>"),
			"Then change the manifest and save it to `x.yaml` again:\n\n", yamlBlock(cm("saved", "2")),
			fence("kubectl apply -f ./x.yaml\nkubectl get configmap saved -o jsonpath='{.data.v}'"),
		),
		"content/ja/docs/f.md": pageOf(
			"次のマニフェストを`ja.yaml`という名前で保存します。\n\n", yamlBlock(cm("ja", "1")),
			fence("kubectl apply -f ja.yaml"),
		),
	})
	html := filepath.Join(t.TempDir(), "report")
	o := docrun(t, env, "--offline", "--yes", "--html", html, filepath.Join(dir, "content"))
	if o.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", o.code, o.stdout, o.stderr)
	}
	var res struct {
		Pages []struct {
			Path  string `json:"path"`
			Steps []struct {
				Index   int      `json:"index"`
				Status  string   `json:"status"`
				Stdout  string   `json:"stdout"`
				Stderr  string   `json:"stderr"`
				Created []string `json:"created"`
			} `json:"steps"`
		} `json:"pages"`
	}
	if err := json.Unmarshal([]byte(o.stdout), &res); err != nil {
		t.Fatal(err)
	}
	want := map[string]map[int][]string{
		"en": {1: {"x.yaml"}, 3: {"sample.yaml"}, 5: {"kustomization.yaml"}, 7: {"x.yaml"}},
		"ja": {1: {"ja.yaml"}},
	}
	for _, p := range res.Pages {
		lang := filepath.Base(filepath.Dir(filepath.Dir(p.Path)))
		for i, created := range want[lang] {
			s := p.Steps[i]
			if s.Status != "passed" || strings.Join(s.Created, ",") != strings.Join(created, ",") {
				t.Errorf("%s step %d: %s created %q, want passed created %q\n%s%s", lang, i, s.Status, s.Created, created, s.Stdout, s.Stderr)
			}
		}
		if lang == "en" && !strings.HasSuffix(p.Steps[7].Stdout, "configmap/saved configured\n2") {
			t.Errorf("the second version of x.yaml was not applied: %q", p.Steps[7].Stdout)
		}
	}
	report, err := os.ReadFile(filepath.Join(html, "en-docs-f.html"))
	if err != nil {
		entries, _ := os.ReadDir(html)
		t.Fatalf("%v (report folder has %v)", err, entries)
	}
	if !strings.Contains(string(report), `<code>x.yaml</code> created by docrun from <a href="#step:0">line 7</a>`) {
		t.Errorf("the report does not say where x.yaml came from")
	}
}

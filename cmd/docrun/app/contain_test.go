package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestContainmentCLI: a page that names a file outside its site (an
// include, a tab's include= with codelang=shell, a code_sample through a
// symlink, an encoded example URL) makes list, render and run --dry-run
// exit 1 with the page's file:line, and the file's text is in no output.
func TestContainmentCLI(t *testing.T) {
	dir := t.TempDir()
	secretFile := filepath.Join(dir, "secret")
	if err := os.WriteFile(secretFile, []byte("SECRET-OUTSIDE-THE-SITE\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	docs := filepath.Join(dir, "site", "content", "en", "docs")
	examples := filepath.Join(dir, "site", "content", "en", "examples")
	for _, d := range []string{docs, examples} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(secretFile, filepath.Join(examples, "link.yaml")); err != nil {
		t.Fatal(err)
	}
	pages := map[string]string{
		"include.md": `{{< include "../../../../secret" >}}`,
		"tab.md":     "{{< tabs >}}\n{{< tab name=\"x\" include=\"../../../../secret\" codelang=\"shell\" />}}\n{{< /tabs >}}",
		"sample.md":  `{{% code_sample file="link.yaml" %}}`,
		"url.md":     "```shell\nkubectl apply -f https://k8s.io/examples/%2e%2e/%2e%2e/%2e%2e/secret\n```",
	}
	for name, body := range pages {
		page := filepath.Join(docs, name)
		if err := os.WriteFile(page, []byte("---\ntitle: x\n---\n\n"+body+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		line := "5"
		if name == "tab.md" {
			line = "6"
		}
		out := t.TempDir()
		for _, args := range [][]string{
			{"list", page},
			{"render", page, "-o", out},
			{"run", "--dry-run", page},
		} {
			code, stdout, stderr := runMain(t, args...)
			want := page + ":" + line + ": "
			msg := stderr
			if args[0] == "run" {
				// run reports a page it cannot parse among its progress.
				msg = stdout
			}
			if code != ExitFail || !strings.Contains(msg, want) || !strings.Contains(msg, "is outside the site") {
				t.Errorf("%v: exit %d, output %q; want exit 1 and %q ... is outside the site", args, code, msg, want)
			}
			if strings.Contains(stdout+stderr, "SECRET") {
				t.Errorf("%v: the secret is in the output", args)
			}
		}
		files, _ := filepath.Glob(filepath.Join(out, "*"))
		for _, f := range files {
			if strings.Contains(readFile(t, f), "SECRET") {
				t.Errorf("%s: the secret is in the report %s", name, f)
			}
		}
	}
}

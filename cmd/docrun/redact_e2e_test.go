package main

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docrun/docrun/runner/clustertest"
)

// redactConfig inserts, after the reference page's step 3 (which sets TOKEN
// from the default ServiceAccount's token Secret), commands that print the
// token every way a page could: as it is, in the Secret as YAML and JSON,
// in kubectl describe, base64-encoded, in curl's verbose request headers
// (stderr), in a kubeconfig. The token also goes to a file, for the test to
// know the real value.
const redactConfig = `pages:
  - match: "access-cluster-api.md"
    insert:
      - after: 3
        code: |
          printf '%s' "$TOKEN" > "$OUT_FILE"
          echo "the token is $TOKEN"
          kubectl get secret default-token -o yaml
          kubectl get secret default-token -o json
          kubectl describe secret default-token
          kubectl get secret default-token -o jsonpath='{.data.token}'; echo
          curl -sv -o /dev/null $APISERVER/api --header "Authorization: Bearer $TOKEN" --insecure
          kubectl config set-credentials reader --token="$TOKEN" --kubeconfig=reader.kubeconfig >/dev/null
          kubectl config view --raw --kubeconfig=reader.kubeconfig
`

// TestRedactRealToken runs the reference page with a real service-account
// token of the local cluster printed in many forms, and checks that the
// token appears in none of the JSON result, the HTML report, the JUnit file
// and the terminal output (live output included); with --no-redact it does.
func TestRedactRealToken(t *testing.T) {
	env := clustertest.Require(t)
	page := corpusPage(t, "content/ja/docs/tasks/administer-cluster/access-cluster-api.md")
	work := t.TempDir()
	conf := filepath.Join(work, "docrun.yaml")
	if err := os.WriteFile(conf, []byte(redactConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	tokenFile := filepath.Join(work, "token")
	t.Setenv("OUT_FILE", tokenFile)

	run := func(extra ...string) (runOut, string, map[string]string) {
		dir := filepath.Join(t.TempDir(), "report")
		jsonFile := filepath.Join(dir, "..", "result.json")
		junit := filepath.Join(dir, "..", "junit.xml")
		args := append([]string{"--offline", "--yes", "--live", "--config", conf, "--html", dir, "--json", jsonFile, "--junit", junit}, extra...)
		o := docrun(t, env, append(args, page)...)
		if o.code != 0 {
			t.Fatalf("exit %d\n%s", o.code, o.stderr)
		}
		tok, err := os.ReadFile(tokenFile)
		if err != nil {
			t.Fatal(err)
		}
		files := map[string]string{"stdout (JSON)": o.stdout, "terminal": o.stderr}
		for _, f := range []string{jsonFile, junit} {
			files[filepath.Base(f)] = string(mustRead(t, f))
		}
		htmls, _ := filepath.Glob(filepath.Join(dir, "*.html"))
		if len(htmls) != 2 {
			t.Fatalf("report files: %v", htmls)
		}
		for _, f := range htmls {
			files[filepath.Base(f)] = string(mustRead(t, f))
		}
		return o, string(tok), files
	}

	o, token, files := run()
	if !strings.HasPrefix(token, "eyJ") || strings.Count(token, ".") != 2 {
		t.Fatalf("the page did not get a service-account token: %q", token)
	}
	forms := []string{token, base64.StdEncoding.EncodeToString([]byte(token)), token[len(token)-40:]}
	for name, text := range files {
		for i, f := range forms {
			if strings.Contains(text, f) {
				t.Errorf("%s contains the token (form %d)", name, i)
			}
		}
	}
	var inserted string
	for _, s := range o.res.Pages[0].Steps {
		if strings.Contains(s.Code, "the token is") {
			inserted = s.Stdout + s.Stderr
		}
	}
	for _, want := range []string{"the token is [REDACTED]", "token: [REDACTED]", `"token": "[REDACTED]"`, "Bearer [REDACTED]"} {
		if !strings.Contains(inserted, want) {
			t.Errorf("the inserted step's output has no %q:\n%s", want, inserted)
		}
	}
	if !strings.Contains(files["terminal"], "[REDACTED]") {
		t.Errorf("the live terminal output shows no marker")
	}

	// --no-redact is the way to see them: the check above is not vacuous.
	_, token2, files2 := run("--no-redact")
	if !strings.Contains(files2["stdout (JSON)"], token2) {
		t.Errorf("--no-redact: the JSON result does not show the token")
	}
}

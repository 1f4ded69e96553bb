package runner

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/docrun/docrun/markdown"

	"github.com/docrun/docrun/result"
)

func TestListenerPorts(t *testing.T) {
	cases := []struct {
		code string
		want []int
	}{
		{"kubectl proxy --port=8080 &\n", []int{8080}},
		{"kubectl proxy &", []int{8001}},
		{"kubectl proxy --port 9000 &", []int{9000}},
		{"kubectl proxy --port=8080\n", nil},
		{"kubectl port-forward svc/mongo 28015:27017 > /dev/null 2>&1 &", []int{28015}},
		{"kubectl port-forward pods/mongo-75f59d57f4-4nd6q 28015:27017 &", []int{28015}},
		{"kubectl port-forward deployment/web 8080 &", []int{8080}},
		{"sleep 10 &", nil},
		{"kubectl -n web port-forward pod/x 8080:80 &", []int{8080}},
		{"(kubectl proxy --port=8011 &)", []int{8011}},
		{"kubectl --context x proxy -p 9001 &", []int{9001}},
		{"kubectl proxy --port=8012 > /dev/null 2>&1 &\ncurl localhost:8012/api", []int{8012}},
		{"echo 'kubectl proxy &'", nil},
		{"a && b", nil},
		{"python3 -m http.server 9002 &", []int{9002}},
		{"python3 -m http.server &", []int{8000}},
		{"ssh -D 1080 -q -N user@remote.example &", []int{1080}},
		{"ssh -N -D127.0.0.1:1081 host &", []int{1081}},
		{"ssh -L 8443:10.0.0.1:443 -L localhost:8080:web:80 host &", []int{8443, 8080}},
		{"ssh -p 2222 host &", nil},
	}
	for _, c := range cases {
		if got := listenerPorts(c.code); !reflect.DeepEqual(got, c.want) {
			t.Errorf("listenerPorts(%q) = %v, want %v", c.code, got, c.want)
		}
	}
}

func TestBind(t *testing.T) {
	var b bindings
	b.set("pod-name", "web-0", "set")
	b.set("some_server_name", "kwok-docrun", "auto")
	code, used, missing := b.bind("kubectl get pod <pod-name> <other>\nexport C=\"some_server_name\"\nsome_server_names", []string{"pod-name", "other", "some_server_name"})
	want := "kubectl get pod web-0 <other>\nexport C=\"kwok-docrun\"\nsome_server_names"
	if code != want {
		t.Errorf("code = %q, want %q", code, want)
	}
	if len(used) != 2 || !reflect.DeepEqual(missing, []string{"other"}) {
		t.Errorf("used %v missing %v", used, missing)
	}
	subs := []Substitution{{Literal: "--watch", Replace: ""}, {Regexp: `sleep (\d+)`, Replace: "sleep 1 # was $1 on ${pod-name}"}}
	if err := compileSubs(subs); err != nil {
		t.Fatal(err)
	}
	got := b.substitute("kubectl get pods --watch; sleep 30", subs)
	if got != "kubectl get pods ; sleep 1 # was 30 on web-0" {
		t.Errorf("substitute = %q", got)
	}
}

func compileSubs(subs []Substitution) error {
	dir, err := os.MkdirTemp("", "conf")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var y strings.Builder
	y.WriteString("pages:\n- match: '*'\n  substitutions:\n")
	for _, s := range subs {
		if s.Regexp != "" {
			y.WriteString("  - regexp: '" + s.Regexp + "'\n    replace: '" + s.Replace + "'\n")
		} else {
			y.WriteString("  - literal: '" + s.Literal + "'\n    replace: '" + s.Replace + "'\n")
		}
	}
	p := filepath.Join(dir, "docrun.yaml")
	os.WriteFile(p, []byte(y.String()), 0o644)
	c, err := LoadConfig(p)
	if err != nil {
		return err
	}
	copy(subs, c.Pages[0].Substitutions)
	return nil
}

func TestConfig(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "docrun.yaml")
	os.WriteFile(p, []byte(`pages:
  - match: "**/access-*.md"
    stepTimeout: 30s
    set: {pod-name: web-0}
    skip: [3, "kubectl edit"]
    insert:
      - after: 1
        code: kubectl wait --for=condition=Ready pod --all
  - match: "content/ja/**"
    env: {LANG: ja_JP.UTF-8}
`), 0o644)
	c, err := LoadConfig(p)
	if err != nil {
		t.Fatal(err)
	}
	got := c.For(filepath.Join(dir, "content/en/docs/tasks/access-cluster-api.md"))
	if len(got) != 1 || got[0].stepTimeout.String() != "30s" || got[0].Set["pod-name"] != "web-0" {
		t.Fatalf("For(en page) = %+v", got)
	}
	if !got[0].skips(3, "x") || !got[0].skips(5, "  kubectl edit deploy/x") || got[0].skips(4, "kubectl get") {
		t.Errorf("skips wrong")
	}
	if got := c.For(filepath.Join(dir, "content/ja/docs/x.md")); len(got) != 1 || got[0].Env["LANG"] == "" {
		t.Errorf("For(ja page) = %+v", got)
	}
	bad := []string{
		"pages:\n  - match: ''\n",
		"pages:\n  - match: 'content/[en/*.md'\n",
		"pages:\n  - match: 'x'\n    timeout: soon\n",
		"pages:\n  - match: 'x'\n    substitutions: [{regexp: '('}]\n",
		"pages:\n  - match: 'x'\n    insert: [{code: x}]\n",
		"pages:\n  - match: 'x'\n    unknownKey: 1\n",
	}
	for _, b := range bad {
		os.WriteFile(p, []byte(b), 0o644)
		if _, err := LoadConfig(p); err == nil {
			t.Errorf("LoadConfig(%q) accepted it", b)
		}
	}
}

func TestGlobMatch(t *testing.T) {
	cases := []struct {
		pattern, name string
		want          bool
	}{
		{"**/a.md", "content/en/docs/a.md", true},
		{"**/a.md", "a.md", true},
		{"content/**/x/*.md", "content/en/docs/x/p.md", true},
		{"content/**/x/*.md", "content/en/docs/y/p.md", false},
		{"*.md", "content/en/p.md", true}, // no slash: the file name anywhere
		{"p.md", "content/en/p.md", true},
		{"q.md", "content/en/p.md", false},
		{"docs/*.md", "content/docs/p.md", false},
		{"content/docs/*.md", "content/docs/p.md", true},
		{"content/*.md", "content/docs/p.md", false}, // * stays in a folder
		{"content/**", "content/en/docs/p.md", true},
		{"content/**/*.md", "content/p.md", true},
		{"**", "content/en/p.md", true},
		{"**/tasks/**/*.md", "content/en/docs/tasks/a/b/p.md", true},
		{"**/tasks/**/*.md", "content/en/docs/concepts/p.md", false},
		{"**/access-?luster-api.md", "content/ja/access-cluster-api.md", true},
		{"content/[ej][na]/**/*.md", "content/ja/docs/p.md", true},
		{"content/[^e]*/**/*.md", "content/en/docs/p.md", false},
		{"**/*.yaml", "content/en/p.md", false},
	}
	for _, c := range cases {
		if got := globMatch(c.pattern, c.name); got != c.want {
			t.Errorf("globMatch(%q, %q) = %v", c.pattern, c.name, got)
		}
	}
}

func TestMapExamples(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "content/en/examples/pods"), 0o755)
	os.MkdirAll(filepath.Join(dir, "content/ja/examples/ja"), 0o755)
	os.WriteFile(filepath.Join(dir, "content/en/examples/pods/p.yaml"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(dir, "content/ja/examples/ja/q.yaml"), []byte("x"), 0o644)
	site := markdown.NewSite(dir)
	code, misses := mapExamples("kubectl apply -f https://k8s.io/examples/pods/p.yaml\nkubectl apply -f https://kubernetes.io/examples/ja/q.yaml\ncurl https://k8s.io/examples/none.yaml", site, "ja")
	if !strings.Contains(code, filepath.Join(dir, "content/en/examples/pods/p.yaml")) || !strings.Contains(code, "https://kubernetes.io/examples/ja/q.yaml") {
		t.Errorf("code = %q", code)
	}
	if len(misses) != 2 || misses[0].other != "ja" || misses[1].other != "" {
		t.Errorf("misses = %+v", misses)
	}
}

func TestPageEnv(t *testing.T) {
	env := pageEnv([]string{"HOME=/root", "KUBECONFIG=/root/.kube/config", "PATH=/bin", "BASH_ENV=/x"}, "/tmp/h", "/tmp/k")
	joined := strings.Join(env, "\n")
	for _, want := range []string{"HOME=/tmp/h", "KUBECONFIG=/tmp/k", "PATH=/bin", "GOCACHE="} {
		if !strings.Contains(joined, want) {
			t.Errorf("env lacks %q:\n%s", want, joined)
		}
	}
	if strings.Contains(joined, "/root/.kube/config") || strings.Contains(joined, "BASH_ENV") {
		t.Errorf("env keeps the user's kubeconfig or BASH_ENV:\n%s", joined)
	}
}

// TestRunPageWithoutCluster runs a page through the runner with no
// cluster: docrun.yaml replacements and substitutions make interactive
// steps runnable, inserted steps run, flags and placeholders skip steps.
func TestRunPageWithoutCluster(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "page.md")
	os.WriteFile(page, []byte("---\ntitle: t\n---\n\n"+
		"```shell\nX=1\n```\n\n"+
		"```shell\nkubectl get pods --watch\n```\n\n"+
		"```shell\nkubectl edit deployment web\n```\n\n"+
		"```shell\nsudo reboot\n```\n\n"+
		"```shell\necho <who>\n```\n\n"+
		"```shell\nwatch date\n```\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "docrun.yaml"), []byte(`pages:
  - match: "page.md"
    substitutions:
      - literal: "kubectl get pods --watch"
        replace: "echo watch removed $X"
    replace:
      2: echo edit replaced
    insert:
      - after: 0
        code: echo inserted
`), 0o644)
	conf, err := LoadConfig(filepath.Join(dir, "docrun.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	r := &Runner{Opts: Options{Only: -1, From: -1, To: -1, Config: conf}}
	res := r.RunPage(context.Background(), page)
	if res.Error != "" {
		t.Fatal(res.Error)
	}
	want := []struct {
		status result.Status
		out    string
		reason string
	}{
		{result.Passed, "", ""},
		{result.Passed, "inserted\n", ""},
		{result.Passed, "watch removed 1\n", ""},
		{result.Passed, "edit replaced\n", ""},
		{result.Skipped, "", "changes this machine"},
		{result.Skipped, "", "needs a value for <who>"},
		{result.Skipped, "", "interactive"},
	}
	if len(res.Steps) != len(want) {
		t.Fatalf("%d steps, want %d", len(res.Steps), len(want))
	}
	for i, w := range want {
		s := res.Steps[i]
		if s.Status != w.status || s.Stdout != w.out || !strings.Contains(s.SkipReason, w.reason) {
			t.Errorf("step %d: %s %q %q, want %s %q %q", i, s.Status, s.Stdout, s.SkipReason, w.status, w.out, w.reason)
		}
	}
}

// TestPageSession runs a page step by step, re-runs a step, runs an edited
// command and binds a placeholder, as walk and serve do.
func TestPageSession(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "page.md")
	os.WriteFile(page, []byte("---\ntitle: t\n---\n\n"+
		"```shell\nN=$((${N:-0}+1)); echo $N\n```\n\n"+
		"```shell\necho <name>\n```\n\n"+
		"```shell\nsleep 303 &\n```\n"), 0o644)
	r := &Runner{Opts: Options{Only: -1, From: -1, To: -1}}
	ps, err := r.Open(context.Background(), page)
	if err != nil {
		t.Fatal(err)
	}
	defer ps.Close(context.Background())
	for want := 1; want <= 2; want++ {
		st, err := ps.Run(0, "")
		if err != nil || st.Stdout != fmt.Sprintf("%d\n", want) {
			t.Fatalf("run %d: %v %q", want, err, st.Stdout)
		}
	}
	if st, _ := ps.Run(0, "echo edited $N"); st.Stdout != "edited 2\n" || st.Ran != "echo edited $N" {
		t.Errorf("edited: %q ran %q", st.Stdout, st.Ran)
	}
	if got := ps.Unbound(1); len(got) != 1 || got[0] != "name" {
		t.Errorf("unbound %v", got)
	}
	if st, _ := ps.Run(1, ""); st.Status != result.Skipped {
		t.Errorf("unbound step ran: %+v", st)
	}
	ps.Bind("name", "walker")
	if st, _ := ps.Run(1, ""); st.Stdout != "walker\n" {
		t.Errorf("bound: %q", st.Stdout)
	}
	ps.Skip(2, "skipped by the reader")
	if ps.Steps()[2].Status != result.Skipped {
		t.Errorf("skip")
	}
	ps.Run(2, "")
	ps.Close(context.Background())
	if out, _ := exec.Command("pgrep", "-f", "sleep 303").Output(); len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("process left after Close: %s", out)
	}
	if _, err := ps.Run(0, ""); err == nil {
		t.Errorf("Run after Close worked")
	}
}

// TestMapExamplesContained: an example URL that leads outside the site's
// content/ (.., %2e%2e, a symlink) is not mapped to a local file.
func TestMapExamplesContained(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "content/en/examples"), 0o755)
	os.WriteFile(filepath.Join(dir, "secret"), []byte("x"), 0o644)
	os.Symlink(filepath.Join(dir, "secret"), filepath.Join(dir, "content/en/examples/link.yaml"))
	site := markdown.NewSite(dir)
	for _, u := range []string{
		"https://k8s.io/examples/../../../secret",
		"https://k8s.io/examples/%2e%2e/%2e%2e/%2e%2e/secret",
		"https://k8s.io/examples/link.yaml",
	} {
		code, misses := mapExamples("kubectl apply -f "+u, site, "en")
		if strings.Contains(code, dir) || len(misses) != 1 || !strings.Contains(misses[0].String(), "is outside the site") {
			t.Errorf("%s: code %q, misses %v", u, code, misses)
		}
	}
}

// TestFetchExamples: curl and wget of an example URL copy the site's file
// under the name the command would write, or print it.
func TestFetchExamples(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "content/en/examples/pods"), 0o755)
	os.WriteFile(filepath.Join(dir, "content/en/examples/pods/pod.yaml"), []byte("x"), 0o644)
	local := shellQuote(filepath.Join(dir, "content/en/examples/pods/pod.yaml"))
	site := markdown.NewSite(dir)
	const u = "https://k8s.io/examples/pods/pod.yaml"
	cases := []struct{ code, want string }{
		{"curl -O " + u, "cp -- " + local + " pod.yaml"},
		{"curl -sSLo my-pod.yaml " + u, "cp -- " + local + " my-pod.yaml"},
		{"wget " + u, "cp -- " + local + " pod.yaml"},
		{"wget -O 'my pod.yaml' " + u, "cp -- " + local + " 'my pod.yaml'"},
		{"wget -q -P \"$DIR\" " + u, "cp -- " + local + " \"$DIR\"/pod.yaml"},
		{"curl -s " + u + " | kubectl apply -f -", "cat -- " + local + " | kubectl apply -f -"},
		{"wget -qO- " + u + " > out.yaml\necho done", "cat -- " + local + " > out.yaml\necho done"},
		{"curl -O https://k8s.io/examples/none.yaml", "curl -O https://k8s.io/examples/none.yaml"},
		{"curl -O https://example.com/pod.yaml", "curl -O https://example.com/pod.yaml"},
		{"kubectl apply -f " + u, "kubectl apply -f " + filepath.Join(dir, "content/en/examples/pods/pod.yaml")},
	}
	for _, c := range cases {
		got, _ := mapExamples(c.code, site, "en")
		if got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.code, got, c.want)
		}
	}
	// In bash, the copies land where curl and wget would have written.
	work := t.TempDir()
	os.Mkdir(filepath.Join(work, "d"), 0o755)
	for code, file := range map[string]string{
		"curl -LO " + u:                "pod.yaml",
		"curl -o a.yaml " + u:          "a.yaml",
		"wget -O 'b c.yaml' " + u:      "b c.yaml",
		"DIR=d; wget -P \"$DIR\" " + u: "d/pod.yaml",
		"curl -s " + u + " > e.yaml":   "e.yaml",
	} {
		run, _ := mapExamples(code, site, "en")
		cmd := exec.Command("bash", "-c", run)
		cmd.Dir = work
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", run, err, out)
		}
		if data, err := os.ReadFile(filepath.Join(work, file)); err != nil || string(data) != "x" {
			t.Errorf("%s: %s = %q, %v", run, file, data, err)
		}
	}
}

func TestUsesLocalPorts(t *testing.T) {
	cases := []struct {
		code string
		want bool
	}{
		{"kubectl proxy --port=8080 &", true},
		{"kubectl port-forward svc/web 28015:27017 &", true},
		{"curl http://localhost:8001/api/", true},
		{"curl -X DELETE localhost:8080/apis/apps/v1", true},
		{"curl http://127.0.0.1/healthz", true},
		{"kubectl get pods", false},
		{"kubectl proxy --port=8080", false}, // blocking: skipped as interactive
		{"echo localhostname", false},
	}
	for _, c := range cases {
		steps := []*result.StepResult{{Step: markdown.Step{Kind: markdown.KindCommand, Code: c.code}}}
		if got := usesLocalPorts(steps); got != c.want {
			t.Errorf("usesLocalPorts(%q) = %v, want %v", c.code, got, c.want)
		}
	}
}

// TestLocalPortPagesOneAtATime runs two pages that use localhost with
// -j 2: the second starts after the first ended (their lines in a shared
// log do not interleave), while a page that does not use it is free.
func TestLocalPortPagesOneAtATime(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "log")
	var pages []string
	for _, name := range []string{"a", "b"} {
		p := filepath.Join(dir, name+".md")
		os.WriteFile(p, []byte(fmt.Sprintf("---\ntitle: %s\n---\n\n```shell\necho start >> %s; sleep 0.3\n```\n\n"+
			"```shell\n: curl http://localhost:8001/; echo end >> %s\n```\n", name, log, log)), 0o644)
		pages = append(pages, p)
	}
	r := &Runner{Opts: Options{Only: -1, From: -1, To: -1, Parallel: 2}}
	res := r.Run(context.Background(), pages)
	for _, p := range res.Pages {
		if p.Error != "" || len(p.Steps) != 2 || p.Steps[1].Status != result.Passed {
			t.Fatalf("%s: %s %+v", p.Path, p.Error, p.Steps)
		}
	}
	got, _ := os.ReadFile(log)
	if string(got) != "start\nend\nstart\nend\n" {
		t.Errorf("pages that use localhost overlapped:\n%s", got)
	}
}

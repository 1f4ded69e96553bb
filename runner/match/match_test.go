package match

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"
)

func TestNormalise(t *testing.T) {
	cases := []struct {
		in   string
		ansi bool
		want []string
	}{
		{"a\r\nb  \r\n", false, []string{"a", "b"}},
		{"\n\n  \nx\n\t\n", false, []string{"x"}},
		{"\x1b[1;32mRunning\x1b[0m\n", true, []string{"Running"}},
		{"\x1b]8;;http://x\x07link\x1b]8;;\x07", true, []string{"link"}},
		{"10%\r50%\r100% done", false, []string{"100% done"}},
		{"a\n   \nb", false, []string{"a", "", "b"}},
	}
	for _, c := range cases {
		if got := normalise(c.in, c.ansi); !equalLines(got, c.want) {
			t.Errorf("normalise(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestExpectedLines(t *testing.T) {
	cases := []struct{ in, want string }{
		{"$ kubectl get ns\nNAME  STATUS", "NAME  STATUS"},
		{"$ kubectl get pods \\\n   -o wide\n\nNAME  READY", "NAME  READY"},
		{"    NAME    READY\n    web     1/1\n      x", "NAME    READY\nweb     1/1\n  x"},
		{"$ true", ""},
		{"kubectl $ x", "kubectl $ x"},
	}
	for _, c := range cases {
		if got := strings.Join(expectedLines(c.in), "\n"); got != c.want {
			t.Errorf("expectedLines(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestParseMode(t *testing.T) {
	for in, want := range map[string]Mode{"": ModeSimilar, "similar": ModeSimilar, "EXACT": ModeExact, " ignore ": ModeIgnore} {
		if m, ok := ParseMode(in); !ok || m != want {
			t.Errorf("ParseMode(%q) = %q, %v", in, m, ok)
		}
	}
	if m, ok := ParseMode("fuzzy"); ok || m != ModeSimilar {
		t.Errorf("ParseMode(fuzzy) = %q, %v", m, ok)
	}
}

func TestMask(t *testing.T) {
	same := [][2]string{
		{"nginx-deployment-66b6c48dd5-4jw2p", "nginx-deployment-7f9c7b6c5d-abcde"},
		{"snowflake-3968820950-9dgr8", "snowflake-5d8f4b7c9d-kx7vw"},
		{"pi-x8k2q", "pi-9wlzt"},
		{"web-0", "web-2"},
		{"10.0.1.149:443", "127.0.0.1:32771"},
		{"fd00:10:244::5", "fd00:10:244::1a"},
		{"2019-03-01T17:28:23Z", "2026-05-02T09:14:51.123+02:00"},
		{"Tue, 30 Aug 2016 18:11:37 -0700", "Sat, 02 May 2026 10:20:31 +0000"},
		{"0f2bd8a5-3c4e-11e9-9b31-42010a800002", "6a3c1f0e-8b2d-4e5f-9a7c-3d1e2f4a5b6c"},
		{"sha256:8c1d2e3f4a5b6c7d8e9f", "sha256:0a1b2c3d4e5f6a7b8c9d0e"},
		{"3h4m", "11d"},
		{"5s", "2m30s"},
		{"deployment.apps/nginx created", "deployment.apps/nginx unchanged"},
		{"v1.13.0", "v1.37.2"},
		{"token: eyJhbGciOiJSUzI1NiIsImtpZCI6IkFCQyJ9.eyJpc3MiOiJrdWJl", "token: eyJhbGciOiJSUzI1NiIsImtpZCI6IlhZWiJ9.eyJzdWIiOiJzeXN0ZW0"},
	}
	for _, p := range same {
		if a, b := mask(p[0]), mask(p[1]); a != b {
			t.Errorf("mask(%q) = %q, mask(%q) = %q: want equal", p[0], a, p[1], b)
		}
	}
	differ := [][2]string{
		{"nginx-hello", "nginx-world"},
		{"kube-system", "kube-public"},
		{"Running", "Pending"},
		{"deployment.apps/nginx created", "deployment.apps/nginx deleted"},
		{"https://k8s.io/examples/admin/resource/memory-defaults-pod.yaml", "https://k8s.io/examples/admin/resource/cpu-defaults-pod.yaml"},
	}
	for _, p := range differ {
		if a, b := mask(p[0]), mask(p[1]); a == b {
			t.Errorf("mask(%q) = mask(%q) = %q: want different", p[0], p[1], a)
		}
	}
}

func TestWildcard(t *testing.T) {
	cases := []struct {
		pat, s string
		want   bool
	}{
		{"pod <pod-name> deleted", "pod web-1 deleted", true},
		{"pod <pod-name> deleted", "pod  deleted", false},
		{"...,kubernetes.io/hostname=node-a", "a=b,kubernetes.io/hostname=node-a", true},
		{"Waiting…", "Waiting for rollout", true},
		{"a.b", "axb", false},
		{"plain", "plain", false}, // no wildcard: nil pattern
	}
	for _, c := range cases {
		re := wildcard(c.pat, `\S+`)
		if got := re != nil && re.MatchString(c.s); got != c.want {
			t.Errorf("wildcard(%q) on %q = %v, want %v", c.pat, c.s, got, c.want)
		}
	}
}

// TestScript checks on random inputs that the edit script turns a into b
// and is as short as the longest common subsequence allows.
func TestScript(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for n := 0; n < 2000; n++ {
		a := randomLines(rng, rng.Intn(12))
		b := randomLines(rng, rng.Intn(12))
		ops := script(len(a), len(b), func(i, j int) bool { return a[i] == b[j] })
		var ga, gb []string
		edits := 0
		for _, o := range ops {
			switch o.kind {
			case '=':
				if a[o.i] != b[o.j] {
					t.Fatalf("%q vs %q: '=' on different lines", a, b)
				}
				ga, gb = append(ga, a[o.i]), append(gb, b[o.j])
			case '-':
				ga = append(ga, a[o.i])
				edits++
			case '+':
				gb = append(gb, b[o.j])
				edits++
			}
		}
		if !equalLines(ga, a) || !equalLines(gb, b) {
			t.Fatalf("%q vs %q: script does not rebuild the inputs", a, b)
		}
		if want := len(a) + len(b) - 2*lcs(a, b); edits != want {
			t.Fatalf("%q vs %q: %d edits, want %d", a, b, edits, want)
		}
	}
}

func randomLines(rng *rand.Rand, n int) []string {
	s := make([]string, n)
	for i := range s {
		s[i] = string(rune('a' + rng.Intn(3)))
	}
	return s
}

func lcs(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

func TestVerdicts(t *testing.T) {
	cases := []struct {
		name, exp, act, lang string
		mode                 Mode
		want                 Verdict
		format               string
	}{
		{"ansi and crlf", "NAME   STATUS\r\nweb    Running\r\n", "\x1b[1mNAME   STATUS\x1b[0m\nweb    Running\n", "", ModeSimilar, Match, FormatTable},
		{"exact match", "a  b", "a  b\n\n", "", ModeExact, Match, FormatText},
		{"exact whitespace", "a  b", "a b", "", ModeExact, Differs, FormatText},
		{"unknown mode is similar", "pod/a created", "pod/a configured", "", Mode("bogus"), Similar, FormatText},
		{"no expected", "  \n", "output", "", ModeSimilar, None, ""},
		{"empty actual json", `{"a": 1}`, "", "json", ModeSimilar, Differs, FormatText},
		{"empty actual table", "NAME   AGE\nx      1m", "", "", ModeSimilar, Differs, FormatTable},
		{"unicode ellipsis", "start\n…\nend", "start\nmiddle\nend", "", ModeSimilar, Similar, FormatText},
		{"json list root", `[{"name": "a", "port": 80}]`, `[{"name": "b", "port": 81}, {"name": "c", "port": 82}]`, "", ModeSimilar, Similar, FormatJSON},
		{"json list wrong element", `[{"name": "a", "port": 80}]`, `[{"name": "b"}]`, "", ModeSimilar, Differs, FormatJSON},
		{"json null to value", `{"creationTimestamp": null}`, `{"creationTimestamp": "2026-05-02T10:00:00Z"}`, "json", ModeSimilar, Similar, FormatJSON},
		{"json placeholder", `{"name": "<pod-name>", "port": 80}`, `{"name": "web-1", "port": 80}`, "json", ModeSimilar, Similar, FormatJSON},
		{"json map to list", `{"a": {"b": 1}}`, `{"a": [1]}`, "json", ModeSimilar, Differs, FormatJSON},
		{"json with warning", `{"a": 1}`, "Warning: deprecated\n{\"a\": 2}\n", "json", ModeSimilar, Similar, FormatJSON},
		{"yaml list root", "- name: a\n  port: 80", "- name: b\n  port: 80\n- name: c\n  port: 90", "", ModeSimilar, Similar, FormatYAML},
		{"yaml status vanishes", "kind: Pod\nstatus:\n  phase: Running\n  podIP: 10.0.0.1", "kind: Pod\nstatus:\n  phase: Pending", "yaml", ModeSimilar, Similar, FormatYAML},
		{"yaml multi-doc", "kind: A\nx: 1\n---\nkind: B\ny: 2", "kind: A\nx: 3\n---\nkind: B\ny: 4", "yaml", ModeSimilar, Similar, FormatYAML},
		{"yaml actual not yaml", "kind: A\nx: 1", "Error from server (NotFound): pods \"x\" not found\n: bad", "yaml", ModeSimilar, Differs, FormatText},
		{"single key is text", "error: not found", "error: forbidden", "", ModeSimilar, Differs, FormatText},
		{"table header only", "NAME   STATUS", "NAME   STATUS", "", ModeSimilar, Match, FormatTable},
		{"table extra warning", "NAME   STATUS\nweb    Running", "Warning: x\nNAME   STATUS\nweb    Running", "", ModeSimilar, Similar, FormatTable},
		{"table count", "NAME   STATUS\nweb    Running\n\nNAME   AGE\nx      1m", "NAME   STATUS\nweb    Running", "", ModeSimilar, Differs, FormatTable},
		{"table empty cell", "CURRENT   NAME     CLUSTER\n*         kind-a   kind-a", "CURRENT   NAME          CLUSTER\n          docrun        docrun\n*         kind-docrun   kind-docrun", "", ModeSimilar, Similar, FormatTable},
		{"leading elision", "...\nlast line", "a\nb\nlast line", "", ModeSimilar, Similar, FormatText},
		{"trailing elision", "first\n...", "first", "", ModeSimilar, Similar, FormatText},
		{"warning before text", "deployment.apps/web created", "Warning: spec.template.spec.nodeSelector[beta.kubernetes.io/os]: deprecated\ndeployment.apps/web created", "", ModeSimilar, Similar, FormatText},
		{"warning expected", "Warning: would violate PodSecurity\npod/a created", "pod/a created", "", ModeSimilar, Differs, FormatText},
		{"yaml after warning", "kind: A\nx: 1", "Warning: deprecated\nkind: A\nx: 1", "yaml", ModeSimilar, Similar, FormatYAML},
		{"json no items", `{"items": [{"a": 1}]}`, `{"items": []}`, "json", ModeSimilar, Differs, FormatJSON},
		{"json no conditions", `{"status": {"conditions": [{"type": "Ready"}]}}`, `{"status": {"conditions": []}}`, "json", ModeSimilar, Similar, FormatJSON},
		{"elision not enough", "a\n...\nb\n...\nc", "a\nc\nb", "", ModeSimilar, Differs, FormatText},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Compare(c.exp, c.act, c.lang, c.mode)
			if r.Verdict != c.want || r.Format != c.format {
				t.Errorf("Compare = %s %s, want %s %s; diff:\n%s", r.Verdict, r.Format, c.want, c.format, r.Diff)
			}
			if (r.Diff == "") != (r.Verdict == Match || r.Verdict == None) {
				t.Errorf("%s with diff %q", r.Verdict, r.Diff)
			}
		})
	}
}

// TestHuge compares megabyte outputs in every format within a second or
// so, with the diff capped.
func TestHuge(t *testing.T) {
	var pods, text, rows strings.Builder
	pods.WriteString(`{"kind": "List", "items": [`)
	rows.WriteString("NAME                        READY   STATUS    RESTARTS   AGE\n")
	for i := 0; pods.Len() < 1<<20; i++ {
		if i > 0 {
			pods.WriteString(",")
		}
		fmt.Fprintf(&pods, `{"metadata": {"name": "web-%d", "uid": "%08x-1c2b-4f8e-a6d4-9b0c1e2f3a4b"}, "status": {"phase": "Running"}}`, i, i)
		fmt.Fprintf(&text, "line %d: request from 10.0.%d.%d took %dms\n", i, i/250%250, i%250, i%97)
		fmt.Fprintf(&rows, "web-7c5f9d8b6d-%05d   1/1     Running   0          %dm\n", i, i%60)
	}
	pods.WriteString("]}")
	yamlPods := strings.ReplaceAll(strings.ReplaceAll(pods.String(), "{", "{ "), "}", " }")
	cases := []struct {
		name, exp, act string
		want           Verdict
	}{
		{"json", `{"kind": "List", "items": [{"metadata": {"name": "web-0", "uid": "x"}, "status": {"phase": "Running"}}]}`, pods.String(), Similar},
		{"yaml", "kind: List\nitems:\n- metadata:\n    name: web-0\n  status:\n    phase: Pending\n", yamlPods, Similar},
		{"json differs", `{"kind": "List", "items": [{"spec": {}}]}`, pods.String(), Differs},
		{"text differs", "line 0: request\nsomething else\n", text.String(), Differs},
		{"text elided", "line 0: request from 10.0.0.0 took 0ms\n...\n", text.String(), Similar},
		{"text vs text", text.String(), strings.ReplaceAll(text.String(), "took", "took about"), Differs},
		{"table", "NAME                 READY   STATUS    RESTARTS   AGE\nweb-6b7d5f9c8d-abcde 1/1     Running   0          1m\n", rows.String(), Similar},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			r := Compare(c.exp, c.act, "", ModeSimilar)
			t.Logf("took %v", time.Since(start)) // logged, not asserted: a loaded machine must not fail it
			if r.Verdict != c.want {
				t.Errorf("verdict %s, want %s; diff:\n%.2000s", r.Verdict, c.want, r.Diff)
			}
			if n := strings.Count(r.Diff, "\n"); n > maxDiffLines+maxNotes+2 {
				t.Errorf("diff has %d lines", n)
			}
		})
	}
}

// TestPathological feeds inputs that are deep, recursive or repetitive.
func TestPathological(t *testing.T) {
	var laughs strings.Builder
	laughs.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		fmt.Fprintf(&laughs, "a%d: &a%d [%s*a%d]\n", i, i, strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 9), i-1)
	}
	inputs := []string{
		strings.Repeat("[", 200000),
		strings.Repeat("- ", 100000) + "x",
		strings.Repeat("{a: ", 50000),
		laughs.String(),
		strings.Repeat("...\n", 50000) + "x",
		strings.Repeat("<a> ... ", 20000),
		strings.Repeat("NAME   AGE\n", 30000),
	}
	for i, s := range inputs {
		for _, lang := range []string{"yaml", "json", ""} {
			start := time.Now()
			r := Compare(s, s+"\nz: 1", lang, ModeSimilar)
			t.Logf("input %d, lang %q: took %v", i, lang, time.Since(start))
			if strings.HasPrefix(r.Diff, "comparison failed") {
				t.Errorf("input %d, lang %q: %s", i, lang, r.Diff)
			}
		}
	}
}

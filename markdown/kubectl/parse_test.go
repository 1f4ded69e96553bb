package kubectl

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// argv splits a test command line at spaces; two single quotes stand for
// an empty argument.
func argv(line string) []string {
	args := strings.Fields(line)
	for i, a := range args {
		if a == "''" {
			args[i] = ""
		}
	}
	return args
}

// parseCase is one command line of testdata/parse.txt and what Parse must
// return for it.
type parseCase struct {
	line string
	want []string
	at   int // line number in the file
}

func readParseCases(t testing.TB) []parseCase {
	data, err := os.ReadFile("testdata/parse.txt")
	if err != nil {
		t.Fatal(err)
	}
	var cases []parseCase
	for i, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "\t"):
			c := &cases[len(cases)-1]
			c.want = append(c.want, line[1:])
		default:
			cases = append(cases, parseCase{line: line, at: i + 1})
		}
	}
	return cases
}

// describe is what testdata/parse.txt says about an invocation.
func describe(inv Invocation, err error) []string {
	out := []string{inv.String()}
	if inv.Plugin != "" {
		out = append(out, "plugin "+inv.Plugin)
	}
	if len(inv.Unknown) > 0 {
		out = append(out, "unknown "+strings.Join(inv.Unknown, " "))
	}
	if err != nil {
		out = append(out, "error "+err.Error())
	}
	return out
}

func TestParse(t *testing.T) {
	if inv, err := Parse(nil); inv.String() != "kubectl" || inv.Path != nil || err != nil {
		t.Errorf("Parse(nil) = %s, %v", inv, err)
	}
	for _, c := range readParseCases(t) {
		got := strings.Join(describe(Parse(argv(c.line))), "\n\t")
		if want := strings.Join(c.want, "\n\t"); got != want {
			t.Errorf("testdata/parse.txt:%d: %s\n\t%s\nwant\n\t%s", c.at, c.line, got, want)
		}
	}
}

func TestInvocationValues(t *testing.T) {
	inv, err := Parse(argv("apply -n demo -f a.yaml,b.yaml --filename=- -k ./base --selector app=web --selector tier=db"))
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprintf("%q", inv.Values("filename")); got != `["a.yaml" "b.yaml" "-"]` {
		t.Errorf("Values(filename) = %s", got)
	}
	if got := fmt.Sprintf("%q", inv.Values("selector")); got != `["app=web" "tier=db"]` {
		t.Errorf("Values(selector) = %s", got)
	}
	if v, _ := inv.Value("selector"); v != "tier=db" {
		t.Errorf("Value(selector) = %q, want the last one", v)
	}
	if ns, all := inv.Namespace(); ns != "demo" || all {
		t.Errorf("Namespace() = %q, %v", ns, all)
	}
	if inv.Verb() != "apply" || !inv.Has("kustomize") || inv.Has("recursive") {
		t.Errorf("Verb() = %q, Has(kustomize) = %v, Has(recursive) = %v", inv.Verb(), inv.Has("kustomize"), inv.Has("recursive"))
	}
}

func TestSources(t *testing.T) {
	tests := []struct {
		line string
		want string // path and r (remote), s (stdin), k (kustomize) per source
	}{
		{"apply -f pod.yaml", "pod.yaml"},
		{"apply -f https://k8s.io/examples/pods/pod.yaml,local.yaml", "https://k8s.io/examples/pods/pod.yaml:r local.yaml"},
		{"create --filename=http://127.0.0.1/x.yaml", "http://127.0.0.1/x.yaml:r"},
		{"apply -f -", "-:s"},
		{"delete -k ./overlay", "./overlay:k"},
		{"apply -k github.com/kubernetes-sigs/kustomize//examples/helloWorld", "github.com/kubernetes-sigs/kustomize//examples/helloWorld:kr"},
		{"kustomize https://github.com/org/repo//base?ref=v1", "https://github.com/org/repo//base?ref=v1:kr"},
		{"kustomize", ".:k"},
		{"logs -f web", ""},
		{"get pods", ""},
	}
	for _, tt := range tests {
		inv, _ := Parse(argv(tt.line))
		var got []string
		for _, s := range inv.Sources() {
			tag := ""
			if s.Kustomize {
				tag += "k"
			}
			if s.Remote() {
				tag += "r"
			}
			if s.Stdin() {
				tag += "s"
			}
			if tag != "" {
				tag = ":" + tag
			}
			got = append(got, s.Path+tag)
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("Sources of %q = %q, want %q", tt.line, g, tt.want)
		}
	}
}

package gostep

import (
	"go/parser"
	"go/token"
	"reflect"
	"strings"
	"testing"
)

func TestReleaseModule(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"k8s.io/client-go/kubernetes", "k8s.io/client-go"},
		{"k8s.io/client-go", "k8s.io/client-go"},
		{"k8s.io/apimachinery/pkg/apis/meta/v1", "k8s.io/apimachinery"},
		{"k8s.io/api/core/v1", "k8s.io/api"},
		{"k8s.io/cli-runtime/pkg/genericclioptions", "k8s.io/cli-runtime"},
		{"k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset", "k8s.io/apiextensions-apiserver"},
		{"k8s.io/metrics/pkg/client/clientset/versioned", "k8s.io/metrics"},
		// Modules with versions of their own are left to the go command.
		{"k8s.io/klog/v2", ""},
		{"k8s.io/utils/ptr", ""},
		{"k8s.io/kube-openapi/pkg/util", ""},
		{"k8s.io/kubernetes/pkg/apis/core", ""},
		{"sigs.k8s.io/yaml", ""},
		{"fmt", ""},
		{"github.com/spf13/pflag", ""},
		{"k8s.iox/client-go", ""},
	} {
		if got := releaseModule(tc.in); got != tc.want {
			t.Errorf("releaseModule(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRequirements(t *testing.T) {
	for _, tc := range []struct {
		name    string
		imports []string
		want    []string
	}{
		{"none", []string{"context", "fmt"}, nil},
		{"reference page", []string{"context", "fmt", "k8s.io/apimachinery/pkg/apis/meta/v1", "k8s.io/client-go/kubernetes", "k8s.io/client-go/tools/clientcmd"},
			[]string{"k8s.io/apimachinery@v0.36.4", "k8s.io/client-go@v0.36.4"}},
		{"other modules", []string{"k8s.io/klog/v2", "github.com/spf13/pflag", "k8s.io/api/core/v1"}, []string{"k8s.io/api@v0.36.4"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := requirements(tc.imports, "v0.36.4"); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestImports(t *testing.T) {
	code := "package main\n\nimport (\n\t\"fmt\"\n\tv1 \"k8s.io/api/core/v1\"\n)\n\nimport \"context\"\n\nfunc main() {}\n"
	want := []string{"context", "fmt", "k8s.io/api/core/v1"}
	if got := imports(code); !reflect.DeepEqual(got, want) {
		t.Errorf("imports = %q, want %q", got, want)
	}
	if got := imports("not go"); got != nil {
		t.Errorf("imports of bad code = %q", got)
	}
}

const kc = "/tmp/docrun-page-123/kubeconfig"

func TestStabilize(t *testing.T) {
	main := func(body string) string { return "package main\n\nfunc main() {\n" + body + "\n}\n" }
	for _, tc := range []struct {
		name, code, want string
		ok               bool
	}{
		{"absent", main(`f("x")`), main(`f("x")`), true},
		{"whole literal", main(`c, _ := clientcmd.BuildConfigFromFlags("", "` + kc + `")`),
			main(`c, _ := clientcmd.BuildConfigFromFlags("", (V))`), true},
		{"inside a literal", main(`f("--kubeconfig=` + kc + `")`), main(`f(("--kubeconfig=" + V))`), true},
		{"twice in one", main(`f("` + kc + `:` + kc + `")`), main(`f((V + ":" + V))`), true},
		{"raw string", main("f(`" + kc + "`)"), main(`f((V))`), true},
		{"escapes kept", main(`f("a\t` + kc + `\n")`), main(`f(("a\t" + V + "\n"))`), true},
		{"two literals", main(`f("` + kc + `"); g("` + kc + `")`), main(`f((V)); g((V))`), true},
		{"package var", "package main\n\nvar p = \"" + kc + "\"\n\nfunc main() {}\n", "package main\n\nvar p = (V)\n\nfunc main() {}\n", true},
		{"const", "package main\n\nconst p = \"" + kc + "\"\n\nfunc main() {}\n", "", false},
		{"struct tag", "package main\n\ntype T struct {\n\tA int `json:\"" + kc + "\"`\n}\n\nfunc main() {}\n", "", false},
		{"raw string over lines", main("f(`a\n" + kc + "`)"), "", false},
		{"name in use", main(`V := "` + kc + `"`), "", false},
		{"does not parse", "package main\nfunc main() { f(\"" + kc + "\"", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := stabilize(tc.code, kc, "V")
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v\n%s", ok, tc.ok, got)
			}
			if !ok {
				if got != tc.code {
					t.Errorf("code changed although not ok:\n%s", got)
				}
				return
			}
			if got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
			if strings.Count(got, "\n") != strings.Count(tc.code, "\n") {
				t.Errorf("lines moved")
			}
			if _, err := parser.ParseFile(token.NewFileSet(), "x.go", got, 0); err != nil {
				t.Errorf("result does not parse: %v\n%s", err, got)
			}
		})
	}
}

func TestNewProgram(t *testing.T) {
	code := "package main\n\nfunc main() { println(\"" + kc + "\") }\n"
	p := newProgram(code, "/site/page.md", 180, kc, true)
	if !p.Stable || len(p.Files) != 2 {
		t.Fatalf("stable %v, %d files", p.Stable, len(p.Files))
	}
	if want := "//line /site/page.md:181\npackage main\n"; !strings.HasPrefix(p.Files[0].Text, want) {
		t.Errorf("main.go starts %q, want %q", p.Files[0].Text[:40], want)
	}
	if strings.Contains(p.Files[0].Text, kc) {
		t.Errorf("the kubeconfig path is still in the source")
	}
	// Another run's kubeconfig: the same files, so the same cache key.
	other := strings.ReplaceAll(code, kc, "/tmp/docrun-page-999/kubeconfig")
	q := newProgram(other, "/site/page.md", 180, "/tmp/docrun-page-999/kubeconfig", true)
	if cacheKey(p.Files, nil, nil, "go1", "linux/amd64") != cacheKey(q.Files, nil, nil, "go1", "linux/amd64") {
		t.Errorf("the key depends on the run's kubeconfig path")
	}
	plain := newProgram(code, "/site/page.md", 180, kc, false)
	if plain.Stable || len(plain.Files) != 1 || !strings.Contains(plain.Files[0].Text, kc) {
		t.Errorf("plain program changed: %+v", plain)
	}
}

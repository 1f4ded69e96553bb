package drift

import (
	"reflect"
	"testing"

	"github.com/docrun/docrun/markdown"
)

func TestChanges(t *testing.T) {
	cmd := func(code string) *markdown.Step { return &markdown.Step{Kind: markdown.KindCommand, Code: code} }
	for _, c := range []struct {
		name    string
		src, tr *markdown.Step
		want    []Change
	}{
		{"shorthand is the long flag", cmd("kubectl get pods -n web"), cmd("kubectl get pods --namespace=web"), nil},
		{"flag value", cmd("kubectl scale deploy/web --replicas=3"), cmd("kubectl scale deploy/web --replicas 2"),
			[]Change{{Kind: ChangeFlag, Name: "--replicas", Source: "3", Translation: "2"}}},
		{"removed flag kept as written", cmd("kubectl drain n1 --delete-emptydir-data"), cmd("kubectl drain n1 --delete-local-data"),
			[]Change{{Kind: ChangeFlag, Name: "--delete-emptydir-data", Source: "true"}, {Kind: ChangeFlag, Name: "--delete-local-data", Translation: "--delete-local-data"}}},
		{"other programs' flags", cmd("curl -sSL https://x"), cmd("curl -L https://x"),
			[]Change{{Kind: ChangeFlag, Name: "-sSL", Source: "-sSL"}, {Kind: ChangeFlag, Name: "-L", Translation: "-L"}}},
		{"image tag", cmd("kubectl run p --image=nginx:1.16"), cmd("kubectl run p --image=nginx:1.14"),
			[]Change{{Kind: ChangeImage, Name: "nginx", Source: "nginx:1.16", Translation: "nginx:1.14"}}},
		{"image in a here-document", cmd("kubectl apply -f - <<EOF\nimage: busybox:1.36\nEOF"), cmd("kubectl apply -f - <<EOF\nimage: registry.k8s.io/busybox\nEOF"),
			[]Change{{Kind: ChangeImage, Source: "busybox:1.36", Translation: "registry.k8s.io/busybox"}}},
		{"apiVersion and kind of step", &markdown.Step{Kind: markdown.KindManifest, Code: "apiVersion: apps/v1\n"},
			&markdown.Step{Kind: markdown.KindText, Code: "apiVersion: extensions/v1beta1 # old\n"},
			[]Change{{Kind: ChangeKindOfStep, Source: "manifest", Translation: "text"}, {Kind: ChangeAPIVersion, Source: "apps/v1", Translation: "extensions/v1beta1"}}},
		{"example file", &markdown.Step{Kind: markdown.KindManifest, File: "pods/a.yaml"}, &markdown.Step{Kind: markdown.KindManifest, File: "pods/b.yaml"},
			[]Change{{Kind: ChangeFile, Source: "pods/a.yaml", Translation: "pods/b.yaml"}}},
		{"version, not an image tag or an address", cmd("curl -LO https://dl.k8s.io/release/v1.30.0/bin/kubectl; echo nginx:1.16 10.1.2.3"),
			cmd("curl -LO https://dl.k8s.io/release/v1.21.0/bin/kubectl; echo nginx:1.14 10.1.2.4"),
			[]Change{{Kind: ChangeVersion, Source: "v1.30.0", Translation: "v1.21.0"}}},
	} {
		if got := changes(c.src, c.tr); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: changes = %+v, want %+v", c.name, got, c.want)
		}
	}
}

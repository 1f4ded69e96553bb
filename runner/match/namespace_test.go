package match

import "testing"

func TestNamesSame(t *testing.T) {
	alike := newNames([]string{"docrun-x7k2p", " "})
	cases := []struct{ in, want string }{
		{"namespace: default", "namespace: " + mNamespace},
		{"namespace: docrun-x7k2p", "namespace: " + mNamespace},
		{"web.default.svc.cluster.local", "web." + mNamespace + ".svc.cluster.local"},
		{"namespace/docrun-x7k2p created", "namespace/" + mNamespace + " created"},
		{`"namespace": "default",`, `"namespace": "` + mNamespace + `",`},
		{"default-token-6fcbx", "default-token-6fcbx"},
		{"docrun-x7k2p-web", "docrun-x7k2p-web"},
		{"Default", "Default"},
		{"kube-system", "kube-system"},
		{"no names here", "no names here"},
		{`pod "web-0" deleted from docrun-x7k2p namespace`, `pod "web-0" deleted`},
		{"No resources found in default namespace.", "No resources found."},
		{"No resources found in kube-system namespace.", "No resources found in kube-system namespace."},
	}
	for _, c := range cases {
		if got := alike.same(c.in); got != c.want {
			t.Errorf("same(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	none := newNames(nil)
	if got := none.same("namespace: default"); got != "namespace: default" {
		t.Errorf("without run namespaces: same = %q", got)
	}
}

package markdown

import (
	"strings"
	"testing"

	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
)

// TestObjectImages checks the images read of each kind of object that
// starts containers, and of the kubectl commands that start them by their
// flags.
func TestObjectImages(t *testing.T) {
	const spec = "    initContainers: [{name: i, image: busybox:1.28}]\n" +
		"    containers: [{name: a, image: nginx}, {name: b, image: nginx}, {name: c}]\n" +
		"    ephemeralContainers: [{name: d, image: alpine}]\n"
	indent := func(s, by string) string {
		return strings.ReplaceAll(strings.TrimSuffix(by+strings.ReplaceAll(s, "\n", "\n"+by), by), by+"\n", "\n")
	}
	tpl := "  template:\n    spec:\n" + indent(spec, "  ")
	tests := []struct {
		name, manifest string
		want           string
	}{
		{"Pod", "kind: Pod\nmetadata: {name: p}\nspec:\n" + strings.ReplaceAll(spec, "    ", "  "), "busybox:1.28 nginx alpine"},
		{"Deployment", "kind: Deployment\nmetadata: {name: d}\nspec:\n" + tpl, "busybox:1.28 nginx alpine"},
		{"StatefulSet", "kind: StatefulSet\nmetadata: {name: s}\nspec:\n" + tpl, "busybox:1.28 nginx alpine"},
		{"DaemonSet", "kind: DaemonSet\nmetadata: {name: s}\nspec:\n" + tpl, "busybox:1.28 nginx alpine"},
		{"Job", "kind: Job\nmetadata: {name: j}\nspec:\n" + tpl, "busybox:1.28 nginx alpine"},
		{"ReplicaSet", "kind: ReplicaSet\nmetadata: {name: r}\nspec:\n" + tpl, "busybox:1.28 nginx alpine"},
		{"CronJob", "kind: CronJob\nmetadata: {name: c}\nspec:\n  jobTemplate:\n    spec:\n" + indent(tpl, "    "), "busybox:1.28 nginx alpine"},
		{"a Service has none", "kind: Service\nmetadata: {name: s}\nspec: {containers: [{image: x}]}\n", ""},
		{"a custom kind is not read", "kind: Rollout\nmetadata: {name: r}\nspec:\n" + tpl, ""},
	}
	for _, tc := range tests {
		objs, _ := ManifestObjects(tc.manifest, "x", "")
		if len(objs) != 1 {
			t.Fatalf("%s: %d objects of\n%s", tc.name, len(objs), tc.manifest)
		}
		if got := strings.Join(objs[0].Images, " "); got != tc.want {
			t.Errorf("%s: images %q, want %q", tc.name, got, tc.want)
		}
	}

	cmds := []struct {
		code string
		want string // the images of the first kubectl command, then of its object
	}{
		{"kubectl run web --image=nginx:1.14.2 --port=80", "nginx:1.14.2 | nginx:1.14.2"},
		{"kubectl run -i --rm t --image busybox -- wget -qO- x", "busybox | "},
		{"kubectl create deployment web --image=nginx --image=redis:7", "nginx redis:7 | nginx redis:7"},
		{"kubectl create deployment web --image=nginx,redis", "nginx redis | nginx redis"},
		{"kubectl create job hello --image=busybox:1.28 -- echo hi", "busybox:1.28 | busybox:1.28"},
		{"kubectl create cronjob hello --image=busybox --schedule='*/1 * * * *'", "busybox | busybox"},
		{"kubectl create job from --from=cronjob/hello", " | "},
		{"kubectl debug -it web --image=busybox:1.28 --target=web", "busybox:1.28 | "},
		{"kubectl set image deployment/web nginx=nginx:1.16", " | "},
		{"kubectl get pods --image=x", " | "},
	}
	for _, tc := range cmds {
		calls := kubectl.Calls(shell.Parse(tc.code))
		got := strings.Join(CommandImages(calls[0].Invocation), " ") + " | "
		for _, u := range ReadObjects(shell.Parse(tc.code), func(kubectl.Call, string) (string, bool) { return "", false }) {
			for _, o := range u.Objects {
				got += strings.Join(o.Images, " ")
			}
		}
		if got != tc.want {
			t.Errorf("%s: %q, want %q", tc.code, got, tc.want)
		}
	}
}

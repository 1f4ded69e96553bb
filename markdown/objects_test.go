package markdown

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
)

// TestManifestObjects checks what is read of each object of a manifest
// (labels, claims without a class, LoadBalancer, a List's items) and when
// the reading is incomplete.
func TestManifestObjects(t *testing.T) {
	web, err := os.ReadFile("testdata/manifests/web.yaml")
	if err != nil {
		t.Fatal(err)
	}
	objs, complete := ManifestObjects(string(web)+`---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: PersistentVolumeClaim
  metadata: {name: claim, namespace: data}
  spec: {}
- apiVersion: v1
  kind: PersistentVolumeClaim
  metadata: {name: classless}
  spec: {storageClassName: ""}
`, "web.yaml", "demo")
	if len(objs) != 4 || !complete {
		t.Fatalf("%d objects, complete %v: %+v", len(objs), complete, objs)
	}
	if o := objs[0]; o.Kind != "StatefulSet" || o.Name != "web" || o.Namespace != "demo" || o.From != "web.yaml" ||
		strings.Join(o.Claims, ",") != "www" || len(o.Labels) != 1 || o.Labels[0]["app"] != "nginx" {
		t.Errorf("StatefulSet: %+v", o)
	}
	if o := objs[1]; !o.LoadBalancer || o.Labels[0]["app"] != "nginx" {
		t.Errorf("Service: %+v", o)
	}
	if o := objs[2]; strings.Join(o.Claims, ",") != "claim" || o.Namespace != "data" {
		t.Errorf("a claim without a class, in its own namespace: %+v", o)
	}
	if o := objs[3]; len(o.Claims) != 0 {
		t.Errorf(`storageClassName "" binds to a PersistentVolume, no class needed: %+v`, o)
	}
	for _, c := range []struct {
		text     string
		n        int
		complete bool
	}{
		{`{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}`, 1, true},
		{"---\n---\nkind: Pod\nmetadata: {name: p}\n---\n", 1, true},
		{"kind: Pod\nmetadata: {generateName: p-}\n", 1, false},
		{"metadata: {name: p}\n", 0, false},
		{"kind: Pod\nmetadata: {name: p}\n---\nnot: [yaml\n", 1, false},
		{"- a\n- b\n", 0, false},
		{"", 0, false},
		{"apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: crontabs.stable.example.com}\n" +
			"spec: {group: stable.example.com, names: {kind: CronTab}}\n", 1, true},
	} {
		objs, complete := ManifestObjects(c.text, "x", "")
		if len(objs) != c.n || complete != c.complete {
			t.Errorf("ManifestObjects(%q) = %d objects, complete %v; want %d, %v", c.text, len(objs), complete, c.n, c.complete)
		}
	}
	if objs, _ := ManifestObjects("kind: CustomResourceDefinition\nmetadata: {name: c}\nspec: {group: g.io, names: {kind: K}}\n", "x", ""); objs[0].Defines != "g.io/K" {
		t.Errorf("Defines: %+v", objs[0])
	}
}

// TestReadObjects checks the ObjectUse of kubectl commands, with a page
// that gives one file, pod.yaml.
func TestReadObjects(t *testing.T) {
	const pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n"
	text := func(_ kubectl.Call, f string) (string, bool) { return pod, f == "pod.yaml" }
	for _, c := range []struct {
		code string
		want []string // per use: "LINE COMMAND [dry] objects kinds unread [incomplete]"
	}{
		{"echo hi\nkubectl get pods\n", nil},
		{"kubectl apply -f pod.yaml -n demo", []string{"1 apply [v1/Pod/demo/web<pod.yaml] [] []"}},
		{"kubectl create -f pod.yaml --dry-run=server", []string{"1 create server [v1/Pod//web<pod.yaml] [] []"}},
		{"kubectl apply -f other.yaml,pod.yaml", []string{"1 apply [v1/Pod//web<pod.yaml] [] [other.yaml]"}},
		{"kubectl apply -k ./base", nil},
		{"kubectl apply -f - <<EOF\n" + pod + "EOF\n", []string{"1 apply [v1/Pod//web<-] [] []"}},
		{"cat <<EOF | kubectl apply -f -\n" + pod + "EOF\n", []string{"1 apply [v1/Pod//web<-] [] []"}},
		{"cat <<EOF | sed s/a/b/ | kubectl apply -f -\n" + pod + "EOF\n", []string{"1 apply [] [] [-]"}},
		{"cat other.yaml - <<EOF | kubectl apply -f -\n" + pod + "EOF\n", []string{"1 apply [] [] [-]"}},
		{"kubectl create secret generic s --from-literal=a=b -n x", []string{"1 create secret generic [/secret/x/s] [] []"}},
		{"kubectl run $NAME --image=nginx", []string{"1 run [] [] []"}},
		{"kubectl delete sts,svc web db", []string{"1 delete [/statefulset//web /statefulset//db /service//web /service//db] [] []"}},
		{"kubectl delete crontabs/my-cron", []string{"1 delete [/crontabs//my-cron] [] []"}},
		{"kubectl delete deploy --all", []string{"1 delete [] [deployment] []"}},
		{"kubectl delete -f pod.yaml", []string{"1 delete [v1/Pod//web<pod.yaml] [] []"}},
		{"kubectl scale --replicas=2 -f pod.yaml", []string{"1 scale [v1/Pod//web<pod.yaml] [] []"}},
		{"kubectl delete pod web --no-such-flag", nil},
		{"kubectl krew install x", nil},
	} {
		var got []string
		for _, u := range ReadObjects(shell.Parse(c.code), text) {
			var objs []string
			for _, o := range u.Objects {
				objs = append(objs, fmt.Sprintf("%s/%s/%s/%s", o.APIVersion, o.Kind, o.Namespace, o.Name))
				if o.From != "" {
					objs[len(objs)-1] += "<" + o.From
				}
			}
			s := fmt.Sprintf("%d %s", u.Line, u.Command)
			if u.DryRun != "" {
				s += " " + u.DryRun
			}
			s += fmt.Sprintf(" %v %v %v", objs, u.Kinds, u.Unread)
			if u.Incomplete {
				s += " incomplete"
			}
			got = append(got, s)
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("ReadObjects(%q):\n got %q\nwant %q", c.code, got, c.want)
		}
	}
}

// FuzzManifestObjects checks that any text reads without a panic and
// that every object read has a kind.
func FuzzManifestObjects(f *testing.F) {
	if web, err := os.ReadFile("testdata/manifests/web.yaml"); err == nil {
		f.Add(string(web))
	}
	f.Add("kind: List\nitems:\n- kind: Pod\n  metadata: {name: p}\n- 3\n")
	f.Add(`{"kind": "Service", "spec": {"type": "LoadBalancer"}}`)
	f.Fuzz(func(t *testing.T, text string) {
		objs, complete := ManifestObjects(text, "x", "")
		for _, o := range objs {
			if o.Kind == "" {
				t.Errorf("an object without a kind: %+v", o)
			}
		}
		if complete && len(objs) == 0 {
			t.Error("complete with no object")
		}
	})
}

// TestDefinedNames checks that a CustomResourceDefinition's object has
// the group and kind it defines and the words kubectl takes for it.
func TestDefinedNames(t *testing.T) {
	const crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: crontabs.stable.example.com\n" +
		"spec:\n  group: stable.example.com\n  names:\n    kind: CronTab\n    plural: crontabs\n    singular: crontab\n    shortNames: [ct, CT]\n"
	objs, _ := ManifestObjects(crd, "-", "")
	if len(objs) != 1 || objs[0].Defines != "stable.example.com/CronTab" || strings.Join(objs[0].Names, " ") != "crontabs crontab ct" {
		t.Errorf("objects %+v", objs)
	}
}

package runner

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/markdown/shell"
	"github.com/docrun/docrun/result"
	"github.com/docrun/docrun/runner/cluster"
)

// offlineList is the ConfigMap of a cluster whose registry serves nginx
// and busybox only.
var offlineList = &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: cluster.OfflineImagesConfigMap, Namespace: "kube-system"},
	Data: map[string]string{"images": "docker.io/library/nginx:1.14.2\ndocker.io/library/busybox:latest\ndocker.io/library/busybox:1.28\n"}}

const redisDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: redis
  labels: {app: redis}
spec:
  selector: {matchLabels: {app: redis}}
  template:
    metadata: {labels: {app: redis, tier: db}}
    spec:
      initContainers: [{name: init, image: busybox:1.28}]
      containers: [{name: redis, image: redis:7}]
---
apiVersion: v1
kind: Service
metadata: {name: redis}
spec: {selector: {app: redis}}
`

const nginxPod = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: web, image: 'nginx:1.14.2'}]\n"

// TestImageFollowUps runs manifestLack over the steps of a page on a
// cluster whose registry serves a list of images: a step that starts a
// container from an image not on it is skipped with the image, the
// steps that use what it would have made follow it, the others run.
func TestImageFollowUps(t *testing.T) {
	steps := []struct {
		code string
		want string // the start of the skip reason, "" when the step runs
	}{
		{"kubectl apply -f - <<EOF\n" + redisDeployment + "EOF\n", "image redis:7 is not available offline (Deployment redis;"},
		{"kubectl rollout status deployment/redis\n", "follows step 0, skipped because the cluster lacks offline image redis:7: Deployment redis was not made"},
		{"kubectl get pods -l tier=db\n", "follows step 0"},
		{"kubectl get service redis\n", "follows step 0"},
		{"kubectl apply -f - <<EOF\n" + nginxPod + "EOF\n", ""},
		{"kubectl logs web\n", ""},
		{"kubectl run cache --image=redis:7\n", "image redis:7 is not available offline (Pod cache;"},
		{"kubectl exec cache -- redis-cli ping\n", "follows step 6"},
		{"kubectl run cache --image=redis:7 --dry-run=client -o yaml\n", ""},
		{"kubectl create deployment hello --image=gcr.io/google-samples/hello-app:1.0\n", "image gcr.io/google-samples/hello-app:1.0 is not available offline (Deployment hello;"},
		{"kubectl expose deployment hello --port=8080\n", "follows step 9"},
		{"kubectl get service hello\n", "follows step 10, skipped because the cluster lacks offline image gcr.io/google-samples/hello-app:1.0: Service hello was not made"},
		{"kubectl logs deployments/redis\n", "follows step 0"},
		{"kubectl run -i --rm t --image=busybox:1.28 --restart=Never -- wget -qO- web\n", ""},
		{"kubectl run -i --rm t --image=alpine:3 --restart=Never -- nslookup web\n", "image alpine:3 is not available offline (kubectl run;"},
		{"kubectl debug -it web --image=busybox --target=web\n", ""},
		{"kubectl debug -it web --image=nicolaka/netshoot --target=web\n", "image nicolaka/netshoot is not available offline (kubectl debug;"},
		{"kubectl create job j --image=$IMAGE\n", ""},
	}
	pr := runSteps(t, fakeCapsWith(t, true, offlineList), steps)

	// code typed in a container of the Pod of step 6, or of web
	for pod, want := range map[string]string{"cache": "follows step 6", "web": ""} {
		st := &result.StepResult{Step: markdown.Step{Index: 50, Kind: markdown.KindCommand, Code: "redis-cli ping\n",
			Target: &markdown.Target{Kind: "container", Pod: pod}}}
		if got := pr.manifestLack(st, st.Code, false); !strings.HasPrefix(got, want) || (want == "") != (got == "") {
			t.Errorf("in Pod %s: skipped %q, want %q", pod, got, want)
		}
	}
}

// TestImagesNotChecked checks that nothing is skipped for images on a
// cluster that does not list them (a real cluster pulls from the
// internet), nor where no container runs (simulated nodes).
func TestImagesNotChecked(t *testing.T) {
	kwok := func(name string) *corev1.Node {
		return &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Annotations: map[string]string{"kwok.x-k8s.io/node": "fake"}}}
	}
	for name, objs := range map[string][]runtime.Object{
		"no list":         nil,
		"simulated nodes": {offlineList, kwok("a"), kwok("b")},
	} {
		t.Run(name, func(t *testing.T) {
			runSteps(t, fakeCapsWith(t, true, objs...), []struct{ code, want string }{
				{"kubectl apply -f - <<EOF\n" + redisDeployment + "EOF\n", ""},
				{"kubectl run cache --image=redis:7\n", ""},
				{"kubectl debug -it web --image=nicolaka/netshoot --target=web\n", ""},
			})
		})
	}
}

// runSteps runs manifestLack over the steps of a page, in order, and
// checks the start of each skip reason ("" when the step runs).
func runSteps(t *testing.T, c *cluster.Capabilities, steps []struct{ code, want string }) *pageRun {
	t.Helper()
	pr := &pageRun{r: &Runner{Cluster: &cluster.Cluster{Capabilities: c}}, res: &result.PageResult{}, dir: t.TempDir()}
	for i, s := range steps {
		st := &result.StepResult{Step: markdown.Step{Index: i, Kind: markdown.KindCommand, Code: s.code, Objects: usesOf(shell.Parse(s.code))}}
		if got := pr.manifestLack(st, s.code, false); !strings.HasPrefix(got, s.want) || (s.want == "") != (got == "") {
			t.Errorf("step %d (%.40q): skipped %q, want %q", i, s.code, got, s.want)
		}
	}
	return pr
}

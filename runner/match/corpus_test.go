package match

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// corpusDir is the shared corpus of real Kubernetes pages beside the
// project; tests that use it skip when it is absent.
func corpusDir(t testing.TB) string {
	dir := filepath.Join("..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(filepath.Join(dir, "content")); err != nil {
		t.Skipf("corpus not found at %s (it sits in ../shared beside the project): %v", dir, err)
	}
	return dir
}

// fenceOpen matches the opening line of a fenced code block.
var fenceOpen = regexp.MustCompile("^\\s*(```+|~~~+)\\s*([\\w+-]*)")

// corpusBlock returns the fence language and text of the skip-th fenced
// block that opens after the first line of page containing marker.
func corpusBlock(t *testing.T, page, marker string, skip int) (lang, text string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir(t), "content", page))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	at := -1
	for i, l := range lines {
		if strings.Contains(l, marker) {
			at = i
			break
		}
	}
	if at < 0 {
		t.Fatalf("%s: no line contains %q", page, marker)
	}
	inside := ""
	for i, l := range lines {
		if inside != "" {
			if strings.TrimSpace(l) == inside {
				inside = ""
			}
			continue
		}
		m := fenceOpen.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		inside = m[1]
		if i <= at {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		var body []string
		for _, b := range lines[i+1:] {
			if strings.TrimSpace(b) == inside {
				break
			}
			body = append(body, b)
		}
		return m[2], strings.Join(body, "\n")
	}
	t.Fatalf("%s: no block after %q", page, marker)
	return "", ""
}

// apiOutput is what GET /api prints on a v1.37 kind cluster.
const apiOutput = `{
  "kind": "APIVersions",
  "versions": [
    "v1"
  ],
  "serverAddressByClientCIDRs": [
    {
      "clientCIDR": "0.0.0.0/0",
      "serverAddress": "127.0.0.1:32771"
    }
  ]
}`

// fullPod is `kubectl get pod -o yaml` of a pod that a LimitRange gave
// memory defaults, as a v1.37 server prints it (shortened).
const fullPod = `apiVersion: v1
kind: Pod
metadata:
  annotations:
    kubernetes.io/limit-ranger: 'LimitRanger plugin set: memory request for container
      default-mem-demo-ctr; memory limit for container default-mem-demo-ctr'
  creationTimestamp: "2026-05-02T10:01:17Z"
  generation: 1
  name: default-mem-demo
  namespace: default-mem-example
  resourceVersion: "3412"
  uid: 3e5d7a90-1c2b-4f8e-a6d4-9b0c1e2f3a4b
spec:
  containers:
  - image: nginx
    imagePullPolicy: Always
    name: default-mem-demo-ctr
    resources:
      limits:
        memory: 512Mi
      requests:
        memory: 256Mi
    terminationMessagePath: /dev/termination-log
    terminationMessagePolicy: File
    volumeMounts:
    - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
      name: kube-api-access-8kq2d
      readOnly: true
  dnsPolicy: ClusterFirst
  enableServiceLinks: true
  nodeName: docrun-control-plane
  preemptionPolicy: PreemptLowerPriority
  priority: 0
  restartPolicy: Always
  schedulerName: default-scheduler
  serviceAccountName: default
  terminationGracePeriodSeconds: 30
status:
  phase: Running
  podIP: 10.244.0.11
  qosClass: Burstable
`

// TestCorpus compares expected blocks of real pages with outputs a v1.37
// cluster prints for their commands.
func TestCorpus(t *testing.T) {
	const (
		api     = "en/docs/tasks/administer-cluster/access-cluster-api.md"
		apiJa   = "ja/docs/tasks/administer-cluster/access-cluster-api.md"
		ns      = "en/docs/tasks/administer-cluster/namespaces.md"
		mem     = "en/docs/tasks/administer-cluster/manage-resources/memory-default-namespace.md"
		deploy  = "en/docs/tasks/run-application/run-stateless-application-deployment.md"
		secret  = "en/docs/tasks/configmap-secret/managing-secret-using-kubectl.md"
		nodeAff = "ja/docs/tasks/configure-pod-container/assign-pods-nodes-using-node-affinity.md"
	)
	pod := strings.Replace(fullPod, "default-mem-demo\n", "default-mem-demo-2\n", 1)
	pod2 := strings.NewReplacer("512Mi", "1Gi", "256Mi", "1Gi").Replace(pod)
	cases := []struct {
		name, page, marker string
		skip               int
		actual             string
		want               Verdict
		format             string
		diffHas            string
	}{
		{"api via proxy", api, "curl http://localhost:8080/api/", 0, apiOutput, Similar, FormatJSON, "serverAddress: 10.0.1.149:443 -> 127.0.0.1:32771"},
		{"api with token", api, "curl -X GET $APISERVER/api", 0, apiOutput, Similar, FormatJSON, "serverAddress: 10.0.1.149:443 -> 127.0.0.1:32771"},
		{"ja api via proxy", apiJa, "curl http://localhost:8080/api/", 0, apiOutput, Similar, FormatJSON, "+kind: APIVersions"},
		{"api server down", api, "curl http://localhost:8080/api/", 0,
			"curl: (7) Failed to connect to localhost port 8080 after 0 ms: Couldn't connect to server", Differs, FormatText, "-  \"versions\": ["},
		{"get namespaces", ns, "kubectl get namespaces", 0,
			"NAME              STATUS   AGE\ndefault           Active   4m\nkube-node-lease   Active   4m\nkube-public       Active   4m\nkube-system       Active   4m\nlocal-path-storage   Active   4m\n",
			Similar, FormatTable, "extra rows: local-path-storage"},
		{"describe namespace", ns, "kubectl describe namespaces <name>", 0,
			"Name:         default\nLabels:       kubernetes.io/metadata.name=default\nAnnotations:  <none>\nStatus:       Active\n\nNo resource quota.\n\nNo LimitRange resource.\n",
			Differs, FormatText, "+No LimitRange resource."},
		{"namespaces with labels", ns, "kubectl get namespaces --show-labels", 0,
			"NAME              STATUS   AGE   LABELS\ndefault           Active   9m    kubernetes.io/metadata.name=default\ndevelopment       Active   12s   kubernetes.io/metadata.name=development,name=development\nkube-node-lease   Active   9m    kubernetes.io/metadata.name=kube-node-lease\nkube-public       Active   9m    kubernetes.io/metadata.name=kube-public\nkube-system       Active   9m    kubernetes.io/metadata.name=kube-system\nproduction        Active   11s   kubernetes.io/metadata.name=production,name=production\n",
			Similar, FormatTable, "extra rows: kube-node-lease, kube-public, kube-system"},
		{"deployment", ns, "kubectl get deployment -n=development", 0,
			"NAME        READY   UP-TO-DATE   AVAILABLE   AGE\nsnowflake   2/2     2            2           19s\n", Similar, FormatTable, "instance data differs: AGE"},
		{"deployment pods", ns, "kubectl get pods -l app=snowflake -n=development", 0,
			"NAME                         READY   STATUS    RESTARTS   AGE\nsnowflake-5d8f4b7c9d-kx7vw   1/1     Running   0          25s\nsnowflake-5d8f4b7c9d-q2lrn   1/1     Running   0          25s\n",
			Similar, FormatTable, "instance data differs: NAME, AGE"},
		{"pods not running yet", ns, "kubectl get pods -l app=cattle -n=production", 0,
			"NAME                      READY   STATUS              RESTARTS   AGE\ncattle-6c9d5b7f48-2xkqp   0/1     ContainerCreating   0          3s\ncattle-6c9d5b7f48-9wlzt   1/1     Running             0          3s\n",
			Similar, FormatTable, "STATUS Running -> ContainerCreating"},
		{"no pods", ns, "kubectl get pods -l app=cattle -n=production", 0,
			"No resources found in production namespace.\n", Differs, FormatTable, "actual output has no table"},
		{"containers excerpt", mem, "kubectl get pod default-mem-demo --output=yaml", 0, fullPod, Similar, FormatYAML, "expected is an excerpt, compared with spec"},
		{"resources excerpt", mem, "kubectl get pod default-mem-demo-2 --output=yaml", 0, pod2, Similar, FormatYAML, "compared with spec.containers[0]"},
		{"resources excerpt, other values", mem, "kubectl get pod default-mem-demo-2 --output=yaml", 0, pod, Similar, FormatYAML, "resources.limits.memory: 1Gi -> 512Mi"},
		{"describe deployment", deploy, "kubectl describe deployment nginx-deployment", 0,
			"Name:                   nginx-deployment\nNamespace:              default\nCreationTimestamp:      Sat, 02 May 2026 10:20:31 +0000\nLabels:                 <none>\nAnnotations:            deployment.kubernetes.io/revision: 1\nSelector:               app=nginx\nReplicas:               2 desired | 2 updated | 2 total | 2 available | 0 unavailable\nStrategyType:           RollingUpdate\nMinReadySeconds:        0\nRollingUpdateStrategy:  25% max unavailable, 25% max surge\nPod Template:\n  Labels:  app=nginx\n  Containers:\n   nginx:\n    Image:         nginx:1.14.2\n    Port:          80/TCP\n    Host Port:     0/TCP\n    Environment:   <none>\n    Mounts:        <none>\n  Volumes:         <none>\n  Node-Selectors:  <none>\n  Tolerations:     <none>\nConditions:\n  Type           Status  Reason\n  ----           ------  ------\n  Available      True    MinimumReplicasAvailable\n  Progressing    True    NewReplicaSetAvailable\nOldReplicaSets:  <none>\nNewReplicaSet:   nginx-deployment-647677fc66 (2/2 replicas created)\nEvents:\n  Type    Reason             Age   From                   Message\n  ----    ------             ----  ----                   -------\n  Normal  ScalingReplicaSet  12s   deployment-controller  Scaled up replica set nginx-deployment-647677fc66 from 0 to 2\n",
			Differs, FormatText, "+Events:"},
		{"deployment's pods", deploy, "kubectl get pods -l app=nginx", 0,
			"NAME                                READY   STATUS    RESTARTS   AGE\nnginx-deployment-647677fc66-4vx9h   1/1     Running   0          31s\nnginx-deployment-647677fc66-tq5rz   1/1     Running   0          31s\n",
			Similar, FormatTable, "instance data differs: NAME, AGE"},
		{"secret created", secret, "With either method, the output is similar to", 0, "secret/db-user-pass created\n", Match, FormatText, ""},
		{"secrets", secret, "kubectl get secrets", 0, "NAME           TYPE     DATA   AGE\ndb-user-pass   Opaque   2      40s\n", Similar, FormatTable, "instance data differs: AGE"},
		{"describe secret", secret, "kubectl describe secret db-user-pass", 0,
			"Name:         db-user-pass\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\nType:  Opaque\n\nData\n====\npassword:  12 bytes\nusername:  5 bytes\n", Similar, FormatText, "whitespace differs"},
		{"secret data", secret, "kubectl get secret db-user-pass -o jsonpath='{.data}'", 0,
			`{"password":"UyFCXCpkJHpEc2I9","username":"YWRtaW4="}`, Similar, FormatJSON, "same data, formatted differently"},
		{"nodes with labels", nodeAff, "kubectl get nodes --show-labels", 0,
			"NAME                   STATUS   ROLES           AGE   VERSION   LABELS\ndocrun-control-plane   Ready    control-plane   20m   v1.37.2   beta.kubernetes.io/arch=amd64,beta.kubernetes.io/os=linux,kubernetes.io/arch=amd64,kubernetes.io/hostname=docrun-control-plane,kubernetes.io/os=linux,node-role.kubernetes.io/control-plane=\n",
			Similar, FormatTable, "missing rows: worker1, worker2"},
		// kubectl has printed NOMINATED NODE and READINESS GATES with -o
		// wide since 1.11: a column set that changed is a different shape.
		{"wide pods", nodeAff, "kubectl get pods --output=wide", 0,
			"NAME    READY   STATUS    RESTARTS   AGE   IP            NODE                   NOMINATED NODE   READINESS GATES\nnginx   1/1     Running   0          8s    10.244.0.13   docrun-control-plane   <none>           <none>\n",
			Differs, FormatTable, "columns differ"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lang, expected := corpusBlock(t, c.page, c.marker, c.skip)
			r := Compare(expected, c.actual, lang, ModeSimilar)
			if testing.Verbose() {
				t.Logf("%s %s\n%s", r.Verdict, r.Format, r.Diff)
			}
			if r.Verdict != c.want || r.Format != c.format || !strings.Contains(r.Diff, c.diffHas) {
				t.Errorf("Compare = %s %s, want %s %s with %q; diff:\n%s", r.Verdict, r.Format, c.want, c.format, c.diffHas, r.Diff)
			}
		})
	}
}

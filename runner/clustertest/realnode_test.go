package clustertest_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/docrun/docrun/runner/clustertest"
)

// The real-node tests run containers on the local cluster's real node
// (tools/node.sh) with the commands a reader of the documentation types, and
// check what they print. They skip when the cluster has no real node.

// onRealNode is the part of a Pod spec that puts it on the real node.
const onRealNode = `
  nodeSelector: {docrun.dev/real: "true"}
  tolerations: [{key: docrun.dev/real, operator: Exists}]
`

// podYAML is a Pod of the image with the shell command as its only container.
func podYAML(name, image, script string) string {
	return fmt.Sprintf(`apiVersion: v1
kind: Pod
metadata: {name: %s, labels: {app: %s}}
spec:%s
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: %s
    command: [sh, -c, %q]
`, name, name, onRealNode, image, script)
}

func waitFor(t *testing.T, e *clustertest.Env, args ...string) {
	t.Helper()
	e.Run(t, "", "kubectl", append([]string{"wait", "--timeout=120s"}, args...)...)
}

func TestRealNodeLogsAndExec(t *testing.T) {
	t.Parallel()
	e, _ := clustertest.RequireRealNode(t)
	e.Run(t, podYAML("talker", "busybox:1.28", "echo hello from the pod; sleep 3600"), "kubectl", "apply", "-f", "-")
	waitFor(t, e, "--for=condition=Ready", "pod/talker")
	if out := e.Run(t, "", "kubectl", "logs", "talker"); out != "hello from the pod\n" {
		t.Errorf("kubectl logs talker: got %q", out)
	}
	if out := e.Run(t, "", "kubectl", "exec", "talker", "--", "sh", "-c", "echo $((6 * 7)) $(hostname)"); out != "42 talker\n" {
		t.Errorf("kubectl exec talker: got %q, want %q", out, "42 talker\n")
	}
}

func TestRealNodeServiceByNameAndClusterIP(t *testing.T) {
	t.Parallel()
	e, _ := clustertest.RequireRealNode(t)
	e.Run(t, fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:%s
      containers:
      - {name: nginx, image: nginx:1.14.2, ports: [{containerPort: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
`, strings.ReplaceAll(onRealNode, "\n  ", "\n      ")), "kubectl", "apply", "-f", "-")
	e.Run(t, podYAML("client", "busybox:1.28", "sleep 3600"), "kubectl", "apply", "-f", "-")
	waitFor(t, e, "--for=condition=Available", "deployment/web")
	waitFor(t, e, "--for=condition=Ready", "pod/client")
	ip := strings.TrimSpace(e.Run(t, "", "kubectl", "get", "service", "web", "-o", "jsonpath={.spec.clusterIP}"))
	for _, host := range []string{"web", "web." + e.Namespace + ".svc.cluster.local", ip} {
		out := e.Run(t, "", "kubectl", "exec", "client", "--", "wget", "-q", "-O", "-", "http://"+host+"/")
		if !strings.Contains(out, "Welcome to nginx!") {
			t.Errorf("wget http://%s/ from a Pod: no nginx welcome page:\n%s", host, out)
		}
	}
	// (Debian's busybox 1.35 wget crashes with -T.)
	// A name outside the cluster is not forwarded anywhere: NXDOMAIN.
	out, err := kubectlOutput(e, "exec", "client", "--", "nslookup", "example.com")
	if err == nil || !strings.Contains(out, "NXDOMAIN") {
		t.Errorf("nslookup example.com in a Pod: want NXDOMAIN (no upstream), got err %v:\n%s", err, out)
	}
}

func kubectlOutput(e *clustertest.Env, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := e.Cmd(ctx, "kubectl", args...).CombinedOutput()
	return string(out), err
}

func TestRealNodePortForward(t *testing.T) {
	t.Parallel()
	e, _ := clustertest.RequireRealNode(t)
	e.Run(t, fmt.Sprintf(`apiVersion: v1
kind: Pod
metadata: {name: pf}
spec:%s
  containers:
  - {name: nginx, image: nginx, ports: [{containerPort: 80}]}
`, onRealNode), "kubectl", "apply", "-f", "-")
	waitFor(t, e, "--for=condition=Ready", "pod/pf")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := e.Cmd(ctx, "kubectl", "port-forward", "pod/pf", ":80")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer cancel()
	port := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`Forwarding from 127\.0\.0\.1:(\d+) -> 80`)
		s := bufio.NewScanner(stdout)
		for s.Scan() {
			if m := re.FindStringSubmatch(s.Text()); m != nil {
				port <- m[1]
			}
		}
		close(port)
	}()
	var p string
	select {
	case p = <-port:
	case <-time.After(60 * time.Second):
	}
	if _, err := strconv.Atoi(p); err != nil {
		t.Fatalf("kubectl port-forward pod/pf :80 printed no local port")
	}
	resp, err := http.Get("http://127.0.0.1:" + p + "/")
	if err != nil {
		t.Fatalf("GET through the port-forward: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "Welcome to nginx!") {
		t.Errorf("GET http://127.0.0.1:%s/: no nginx welcome page:\n%s", p, body)
	}
}

func TestRealNodeJobCompletes(t *testing.T) {
	t.Parallel()
	e, _ := clustertest.RequireRealNode(t)
	e.Run(t, fmt.Sprintf(`apiVersion: batch/v1
kind: Job
metadata: {name: pi}
spec:
  backoffLimit: 0
  template:
    spec:%s
      restartPolicy: Never
      containers:
      - {name: pi, image: busybox, command: [sh, -c, "echo $((355 * 1000 / 113))"]}
`, strings.ReplaceAll(onRealNode, "\n  ", "\n      ")), "kubectl", "apply", "-f", "-")
	waitFor(t, e, "--for=condition=Complete", "job/pi")
	if out := e.Run(t, "", "kubectl", "logs", "job/pi"); out != "3141\n" {
		t.Errorf("kubectl logs job/pi: got %q, want 3141", out)
	}
}

func TestRealNodeLivenessRestart(t *testing.T) {
	t.Parallel()
	e, _ := clustertest.RequireRealNode(t)
	e.Run(t, fmt.Sprintf(`apiVersion: v1
kind: Pod
metadata: {name: liveness}
spec:%s
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: registry.k8s.io/busybox:1.27.2
    command: [sh, -c, "touch /tmp/healthy; sleep 5; rm -f /tmp/healthy; sleep 600"]
    livenessProbe:
      exec: {command: [cat, /tmp/healthy]}
      initialDelaySeconds: 1
      periodSeconds: 2
      failureThreshold: 1
`, onRealNode), "kubectl", "apply", "-f", "-")
	waitFor(t, e, "--for=jsonpath={.status.containerStatuses[0].restartCount}=1", "pod/liveness")
	out := e.Run(t, "", "kubectl", "get", "events", "--field-selector", "involvedObject.name=liveness,reason=Unhealthy", "-o", "name")
	if strings.TrimSpace(out) == "" {
		t.Errorf("no Unhealthy event for the failed liveness probe")
	}
}

// TestRealNodeNetworkSafety checks, without sending a packet anywhere, that
// nothing of the node can leave the machine: a Pod has no route out, the
// safety chain is the first rule of mangle POSTROUTING, nothing masquerades
// but kube-proxy's rule for the packets it marks, and the Pod's processes are
// in the node's cgroups, below the cluster script's own.
func TestRealNodeNetworkSafety(t *testing.T) {
	t.Parallel()
	e, _ := clustertest.RequireRealNode(t)
	e.Run(t, podYAML("probe", "busybox:1.28", "sleep 3600"), "kubectl", "apply", "-f", "-")
	waitFor(t, e, "--for=condition=Ready", "pod/probe")

	routes := e.Run(t, "", "kubectl", "exec", "probe", "--", "ip", "route")
	if strings.Contains(routes, "default") {
		t.Errorf("the Pod has a default route:\n%s", routes)
	}
	// 198.51.100.1 (TEST-NET-2) is outside the cluster; `ip route get` only
	// asks the Pod's routing table, it sends nothing.
	out, err := kubectlOutput(e, "exec", "probe", "--", "ip", "route", "get", "198.51.100.1")
	if err == nil || !strings.Contains(out, "unreachable") {
		t.Errorf("ip route get 198.51.100.1 in the Pod: want unreachable, got err %v:\n%s", err, out)
	}

	if os.Geteuid() != 0 {
		t.Skip("the node's iptables and cgroups are read as root only")
	}
	mangle := run(t, "iptables", "-t", "mangle", "-S", "POSTROUTING")
	if first := strings.SplitN(mangle, "\n", 3); len(first) < 2 || first[1] != "-A POSTROUTING -j DOCRUN-NODE-SAFETY" {
		t.Errorf("the safety chain is not the first rule of mangle POSTROUTING:\n%s", mangle)
	}
	for _, l := range strings.Split(run(t, "iptables-save", "-t", "nat"), "\n") {
		if strings.Contains(l, "MASQUERADE") && !strings.HasPrefix(l, "-A KUBE-POSTROUTING ") {
			t.Errorf("a masquerade rule other than kube-proxy's for marked packets: %s", l)
		}
	}
	cg := e.Run(t, "", "kubectl", "exec", "probe", "--", "cat", "/proc/1/cgroup")
	for _, l := range strings.Split(strings.TrimSpace(cg), "\n") {
		f := strings.SplitN(l, ":", 3)
		if len(f) == 3 && f[1] != "" && !strings.Contains(f[2], "/docrun-node/kubepods") {
			t.Errorf("a Pod's process is outside the node's cgroup root: %s", l)
		}
	}
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return string(out)
}

// TestRealNodeKeepsNetworkPodsOff: Pods that could reach the machine's
// network from the real node (hostNetwork, privileged, NET_ADMIN) are put
// on the simulated nodes, whatever node selector they have, and refused
// when they name the real node; a privileged ephemeral container is refused
// in a Pod on the real node.
func TestRealNodeKeepsNetworkPodsOff(t *testing.T) {
	t.Parallel()
	e, node := clustertest.RequireRealNode(t)
	e.Run(t, fmt.Sprintf(`apiVersion: v1
kind: Pod
metadata: {name: hostnet}
spec:
  hostNetwork: true
  containers:
  - {name: main, image: busybox, command: [sleep, "3600"]}
---
apiVersion: v1
kind: Pod
metadata: {name: netadmin}
spec:%s
  containers:
  - name: main
    image: busybox
    command: [sleep, "3600"]
    securityContext: {capabilities: {add: [NET_ADMIN]}}
`, onRealNode), "kubectl", "apply", "-f", "-")
	for _, pod := range []string{"hostnet", "netadmin"} {
		if sel := e.Run(t, "", "kubectl", "get", "pod", pod, "-o", "jsonpath={.spec.nodeSelector.type}"); sel != "kwok" {
			t.Errorf("Pod %s: node selector type=%q, want kwok (the simulated nodes)", pod, sel)
		}
	}
	waitFor(t, e, "--for=jsonpath={.status.phase}=Running", "pod/hostnet")
	if on := e.Run(t, "", "kubectl", "get", "pod", "hostnet", "-o", "jsonpath={.spec.nodeName}"); on == node {
		t.Errorf("the hostNetwork Pod runs on the real node %s", on)
	}

	named := fmt.Sprintf(`apiVersion: v1
kind: Pod
metadata: {name: named}
spec:
  nodeName: %s
  containers:
  - {name: main, image: busybox, command: [sleep, "3600"], securityContext: {privileged: true}}
`, node)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := e.Cmd(ctx, "kubectl", "apply", "-f", "-")
	cmd.Stdin = strings.NewReader(named)
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "never on the real node") {
		t.Errorf("kubectl apply of a privileged Pod naming the real node: want it refused, got err %v:\n%s", err, out)
	}

	e.Run(t, podYAML("plain", "busybox:1.28", "sleep 3600"), "kubectl", "apply", "-f", "-")
	waitFor(t, e, "--for=condition=Ready", "pod/plain")
	out, err := kubectlOutput(e, "debug", "plain", "--profile=sysadmin", "--image=busybox:1.28", "--", "true")
	if err == nil || !strings.Contains(out, "never on the real node") {
		t.Errorf("kubectl debug --profile=sysadmin of a Pod on the real node: want it refused, got err %v:\n%s", err, out)
	}
}

// TestRealNodeRedisAndAlpine: the offline redis image answers on port 6379
// (redis-server as the image's command), reached from the alpine image by
// the Pod's address with busybox's nc.
func TestRealNodeRedisAndAlpine(t *testing.T) {
	t.Parallel()
	e, _ := clustertest.RequireRealNode(t)
	e.Run(t, fmt.Sprintf(`apiVersion: v1
kind: Pod
metadata: {name: redis}
spec:%s
  terminationGracePeriodSeconds: 1
  containers:
  - {name: redis, image: redis, ports: [{containerPort: 6379}]}
`, onRealNode)+"---\n"+podYAML("alpine", "alpine:3", "sleep 3600"), "kubectl", "apply", "-f", "-")
	waitFor(t, e, "--for=condition=Ready", "pod/redis", "pod/alpine")
	if out := e.Run(t, "", "kubectl", "exec", "redis", "--", "redis-cli", "ping"); strings.TrimSpace(out) != "PONG" {
		t.Errorf("redis-cli ping: %q", out)
	}
	ip := e.Run(t, "", "kubectl", "get", "pod", "redis", "-o", "jsonpath={.status.podIP}")
	out := e.Run(t, "", "kubectl", "exec", "alpine", "--", "sh", "-c", "printf 'PING\\r\\n' | nc -w 2 "+ip+" 6379")
	if strings.TrimSpace(out) != "+PONG" {
		t.Errorf("PING to redis from alpine: %q", out)
	}
}

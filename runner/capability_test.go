package runner

import (
	"strings"
	"testing"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/markdown/shell"
	"github.com/docrun/docrun/runner/cluster"

	"github.com/docrun/docrun/result"
)

func TestVersionLack(t *testing.T) {
	tests := []struct {
		server, want string
		lacks        bool
	}{
		{"v1.37.2", "v1.21", false},
		{"v1.37.2", "1.37", false},
		{"v1.37.2", "v1.37.2", false},
		{"v1.37.2", "v1.37.3", true},
		{"v1.37.2", "v1.38", true},
		{"v1.37.2+k3s1", "v1.40", true},
		{"v1.37.2", "next", false},
		{"", "v1.38", false},
	}
	for _, tc := range tests {
		l := versionLack(tc.server, tc.want)
		if (l != nil) != tc.lacks {
			t.Errorf("versionLack(%q, %q) = %v, want lack %v", tc.server, tc.want, l, tc.lacks)
		}
	}
	if l := versionLack("v1.37.2", "1.40"); l.why != "server v1.37.2 is below the page's min-kubernetes-server-version v1.40" {
		t.Errorf("reason: %q", l.why)
	}
}

func TestCommandLack(t *testing.T) {
	kwok := &cluster.Capabilities{Capabilities: result.Capabilities{Containers: false, SchedulableNodes: 2}}
	bare := &cluster.Capabilities{Capabilities: result.Capabilities{Containers: true, SchedulableNodes: 1}}
	full := &cluster.Capabilities{Capabilities: result.Capabilities{Containers: true, Metrics: true, SchedulableNodes: 3, DNS: "kube-system/kube-dns", DefaultStorageClass: "standard"}}
	tests := []struct {
		caps *cluster.Capabilities
		code string
		want string // what is lacking, "" for nothing
	}{
		{kwok, "kubectl logs web-0", "running containers"},
		{kwok, "kubectl exec web-0 -- nslookup web-1.nginx", "running containers"},
		{kwok, "kubectl get pods", ""},
		{kwok, "kubectl top pod memory-demo --namespace=mem-example", "metrics-server"},
		{kwok, "kubectl top node", "metrics-server"},
		{full, "kubectl top node", ""},
		{bare, "kubectl drain node-1 --ignore-daemonsets", "a second schedulable node"},
		{full, "kubectl drain node-1 --ignore-daemonsets", ""},
		{bare, "kubectl exec web-0 -- nslookup web-1.nginx", "cluster DNS"},
		{bare, "kubectl run -i --rm --image busybox:1.28 dns-test --restart=Never -- nslookup web-0.nginx", "cluster DNS"},
		{full, "kubectl exec web-0 -- nslookup web-1.nginx", ""},
		{bare, "nslookup example.com", ""}, // the reader's own machine
		{bare, "kubectl exec web-0 -- cat /etc/hostname", ""},
		{bare, "kubectl --namespace x top pods", "metrics-server"},
	}
	for _, tc := range tests {
		got := ""
		if l := commandLack(tc.caps, shell.Parse(tc.code)); l != nil {
			got = l.what
		}
		if got != tc.want {
			t.Errorf("commandLack(%q) = %q, want %q", tc.code, got, tc.want)
		}
	}
}

func TestDNSLackInContainer(t *testing.T) {
	if l := dnsLack(shell.Parse("nslookup web-0.nginx\n").Calls, true); l == nil || !strings.Contains(l.why, "nslookup cannot resolve") {
		t.Errorf("nslookup typed in a container: %v", l)
	}
	if l := dnsLack(shell.Parse("cat /etc/resolv.conf\n").Calls, true); l != nil {
		t.Errorf("no lookup: %v", l)
	}
}

func TestExecCode(t *testing.T) {
	tests := []struct {
		t    markdown.Target
		code string
		want string
	}{
		{markdown.Target{Kind: "container", Pod: "shell-demo"}, "ls /\n",
			"kubectl exec shell-demo -- sh -c 'ls /'\n"},
		{markdown.Target{Kind: "container", Pod: "<pod-name>", Container: "nginx", Namespace: "web"},
			"echo 'Hello' > /usr/share/nginx/html/index.html\ncat /usr/share/nginx/html/index.html\n",
			"kubectl exec <pod-name> -c nginx -n web -- sh -c 'echo '\\''Hello'\\'' > /usr/share/nginx/html/index.html\ncat /usr/share/nginx/html/index.html'\n"},
	}
	for _, tc := range tests {
		if got := execCode(&tc.t, tc.code); got != tc.want {
			t.Errorf("execCode(%q):\n got %q\nwant %q", tc.code, got, tc.want)
		}
	}
	s := markdown.Step{Placeholders: []string{"file"}, Target: &markdown.Target{Kind: "container", Pod: "<pod-name>"}}
	if got := targetPlaceholders(&s); strings.Join(got, ",") != "file,pod-name" {
		t.Errorf("targetPlaceholders = %v", got)
	}
}

func TestLackString(t *testing.T) {
	l := result.Lack{What: "metrics-server", Reason: "no metrics-server: kubectl top has no data", Steps: []int{7, 16}}
	if got := l.String(); got != "metrics-server: no metrics-server: kubectl top has no data; skipped steps 7, 16" {
		t.Errorf("String() = %q", got)
	}
}

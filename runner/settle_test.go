package runner

import "testing"

func TestUnsettled(t *testing.T) {
	const running = "NAME    READY   STATUS    RESTARTS   AGE\nweb-1   1/1     Running   0          5s\nweb-2   1/1     Running   0          5s\n"
	tests := []struct {
		name, expected, actual string
		want                   bool
	}{
		{"pending", running, "NAME    READY   STATUS    RESTARTS   AGE\nweb-1   0/1     Pending   0          1s\nweb-2   1/1     Running   0          1s\n", true},
		{"creating", running, "NAME    READY   STATUS              RESTARTS   AGE\nweb-1   0/1     ContainerCreating   0          1s\n", true},
		{"not ready", running, "NAME    READY   STATUS    RESTARTS   AGE\nweb-1   0/1     Running   0          1s\nweb-2   1/1     Running   0          1s\n", true},
		{"no pods yet", running, "No resources found in docrun-x namespace.\n", true},
		{"not found yet", running, "Error from server (NotFound): pods \"web-1\" not found\n", true},
		{"terminating", "No resources found in default namespace.\n", "NAME    READY   STATUS        RESTARTS   AGE\nweb-1   1/1     Terminating   0          1m\n", true},
		{"deployment", "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    3/3     3            3           1m\n", "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    1/3     3            1           2s\n", true},
		{"job", "NAME   READY   STATUS      RESTARTS   AGE\npi-x   0/1     Completed   0          1m\n", "NAME   READY   STATUS    RESTARTS   AGE\npi-x   1/1     Running   0          5s\n", true},
		{"endpoints", "NAME   ENDPOINTS                     AGE\nweb    10.244.0.5:80,10.244.0.6:80   1m\n", "NAME   ENDPOINTS   AGE\nweb    <none>      2s\n", true},
		{"external ip", "NAME   TYPE           CLUSTER-IP   EXTERNAL-IP    PORT(S)        AGE\nweb    LoadBalancer   10.0.0.1     203.0.113.10   80:30000/TCP   1m\n", "NAME   TYPE           CLUSTER-IP   EXTERNAL-IP   PORT(S)        AGE\nweb    LoadBalancer   10.0.0.1     <pending>     80:30000/TCP   2s\n", true},

		{"settled", running, "NAME    READY   STATUS    RESTARTS   AGE\nweb-1   1/1     Running   0          9s\nweb-2   1/1     Running   0          9s\n", false},
		{"other columns", "NAME   AGE\ncron   6s\n", "NAME   SPEC   REPLICAS   AGE\ncron   * * * * */5   1   1s\n", false},
		{"fewer nodes", "NAME   STATUS   ROLES   AGE   VERSION\nn1   Ready   <none>   1d   v1.30\nn2   Ready   <none>   1d   v1.30\nn3   Ready   <none>   1d   v1.30\n", "NAME   STATUS   ROLES   AGE   VERSION\nn1   Ready   agent   1d   fake\n", false},
		{"other wording", "daemonset \"fluentd\" successfully rolled out\n", "daemon set \"fluentd\" successfully rolled out\n", false},
		{"pending in both", "NAME   STATUS    AGE\npvc    Pending   1s\n", "NAME   STATUS    AGE\npvc    Pending   2s\n", false},
		{"absent in both", "No resources found in default namespace.\n", "No resources found in docrun-x namespace.\n", false},
		{"describe's <none>", "Labels:  app=nginx\nMounts:  <none>\n", "Labels:  <none>\nMounts:  <none>\nTolerations:  <none>\n", false},
		{"wide", "NAME    READY   STATUS    RESTARTS   AGE   IP           NODE\nnginx   1/1     Running   0          13s   10.200.0.4   worker0\n", "NAME    READY   STATUS    RESTARTS   AGE   IP          NODE     NOMINATED NODE   READINESS GATES\nnginx   1/1     Running   0          57s   10.0.0.21   node-0   <none>           <none>\n", false},
		{"describe", "Replicas:  2 desired | 2 updated | 2 total | 2 available | 0 unavailable\n", "Replicas:  2 desired | 2 updated | 2 total | 0 available | 2 unavailable\n", false},
		{"describe excerpt", "Events:\n  Reason            Message\n  FailedScheduling  Insufficient memory\n", "Status:  Pending\nEvents:\n  FailedScheduling  Insufficient memory\n", false},
		{"pvc", "NAME   STATUS   VOLUME   CAPACITY   ACCESS MODES   AGE\nwww    Bound    pvc-1    1Gi        RWO            1m\n", "NAME   STATUS    VOLUME   CAPACITY   ACCESS MODES   AGE\nwww    Pending                                     2s\n", true},
		{"an error", running, "error: the server doesn't have a resource type \"pods\"\n", false},
	}
	for _, tt := range tests {
		if got := unsettled(tt.expected, tt.actual); got != tt.want {
			t.Errorf("%s: unsettled = %v, want %v", tt.name, got, tt.want)
		}
	}
}

package match

import "testing"

func TestUnassigned(t *testing.T) {
	tests := []struct {
		output string
		want   int
	}{
		{"NAME   ENDPOINTS   AGE\nweb    <none>      2s\n", 1},
		{"NAME   ENDPOINTS                     AGE\nweb    10.244.0.5:80,10.244.0.6:80   1m\n", 0},
		{"NAME   TYPE           CLUSTER-IP   EXTERNAL-IP   PORT(S)        AGE\nweb    LoadBalancer   10.0.0.1     <pending>     80:30000/TCP   2s\n", 1},
		{"NAME   TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\nweb    ClusterIP   10.0.0.1     <none>        80/TCP    2s\n", 1},
		{"NAME    READY   STATUS    RESTARTS   AGE   IP          NODE     NOMINATED NODE   READINESS GATES\nnginx   1/1     Running   0          57s   10.0.0.21   node-0   <none>           <none>\n", 0},
		{"NAME    READY   STATUS    RESTARTS   AGE   IP       NODE     NOMINATED NODE   READINESS GATES\nnginx   0/1     Pending   0          1s    <none>   <none>   <none>           <none>\n", 2},
		{"Labels:  <none>\nMounts:  <none>\n", 0},
	}
	for _, tt := range tests {
		if got := Unassigned(tt.output); got != tt.want {
			t.Errorf("Unassigned(%q) = %d, want %d", tt.output, got, tt.want)
		}
	}
}

package match

import "testing"

func TestReadState(t *testing.T) {
	tests := []struct {
		output string
		want   State
	}{
		{"NAME    READY   STATUS              RESTARTS   AGE\nweb-1   0/1     ContainerCreating   0          1s\nweb-2   1/1     Running             0          1s\n",
			State{Rows: 2, Transient: 1, Incomplete: 1}},
		{"NAME   READY   STATUS      RESTARTS   AGE\npi-x   0/1     Completed   0          1m\n", State{Rows: 1, Finished: 1, Incomplete: 1}},
		{"NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    1/3     3            1           2s\n", State{Rows: 1, Incomplete: 1}},
		{"NAME   ENDPOINTS   AGE\nweb    <none>      2s\n", State{Rows: 1, Unassigned: 1}},
		{"NAME   TYPE           CLUSTER-IP   EXTERNAL-IP   PORT(S)        AGE\nweb    LoadBalancer   10.0.0.1     <pending>     80:30000/TCP   2s\n", State{Rows: 1, Unassigned: 1}},
		{"NAME    READY   STATUS    RESTARTS   AGE   IP          NODE     NOMINATED NODE   READINESS GATES\nnginx   1/1     Running   0          57s   10.0.0.21   node-0   <none>           <none>\n", State{Rows: 1}},
		{"NAME    READY   STATUS    RESTARTS   AGE   IP       NODE     NOMINATED NODE   READINESS GATES\nnginx   0/1     Pending   0          1s    <none>   <none>   <none>           <none>\n",
			State{Rows: 1, Transient: 1, Incomplete: 1, Unassigned: 2}},
		{"Status:  Pending\nLabels:  <none>\n", State{}},
		{"No resources found in default namespace.\n", State{}},
	}
	for _, tt := range tests {
		if got := ReadState(tt.output); got != tt.want {
			t.Errorf("ReadState(%q) = %+v, want %+v", tt.output, got, tt.want)
		}
	}
}

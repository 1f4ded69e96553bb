package markdown

import "testing"

func TestOutputShape(t *testing.T) {
	tests := []struct {
		code   string
		shape  string
		strong bool
	}{
		{"NAME    READY   STATUS    RESTARTS   AGE\nweb-0   1/1     Running   0          3s\n", "table", true},
		{"NAME\nv1.apps\n", "table", true},
		{"  PID USER     TIME  COMMAND\n    1 root      0:00 sleep 1h\n", "table", true},
		{"NAME   CPU(cores)   MEMORY(bytes)\nweb    3m           12Mi\n", "table", true},
		{"+------+\n| ID   |\n+------+\n", "box", true},
		{"deployment.apps/web created\nservice/web unchanged\n", "status", true},
		{"pod \"web-0\" deleted\n", "status", true},
		{"configmap/app configured (server dry run)\n", "status", true},
		{"Forwarding from 127.0.0.1:9000 -> 80\n", "status", true},
		{"Error from server (NotFound): pods \"x\" not found\n", "error", true},
		{"The Deployment \"web\" is invalid: spec.replicas: Invalid value\n", "error", true},
		{"...\nWarning: would violate PodSecurity\n", "error", true},
		{"2024-03-01T10:00:00Z starting\n", "log", true},
		{"I0301 10:00:00.000000       1 main.go:10] ready\n", "log", true},
		{"Mon Mar  4 10:00:00 UTC 2024 hello\n", "log", true},
		{"Name:         web\nNamespace:    default\n", "describe", true},
		{"Events:\n  Type  Reason\n", "describe", true},
		{"-rw-r--r-- 1 root root 6 Mar  4 10:00 file\n", "listing", true},
		{"metadata:\n  name: web\n  uid: 1234\n", "object", false},
		{"{\n  \"kind\": \"Status\",\n  \"status\": \"Success\"\n}\n", "object", false},
		{"HOSTNAME=web-0\nKUBERNETES_PORT=tcp://10.0.0.1:443\n", "env", false},
		// Not output.
		{"kubectl get pods\n", "", false},
		{"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n", "", false},
		{"FOO=\"$(date)\"\nBAR=2\n", "", false},
		{"A single line of prose-like text\n", "", false},
		{"ONE=1\n", "", false},
	}
	for _, tt := range tests {
		shape, strong := outputShape(tt.code)
		if shape != tt.shape || strong != tt.strong {
			t.Errorf("outputShape(%q) = %q, %v; want %q, %v", tt.code, shape, strong, tt.shape, tt.strong)
		}
	}
}

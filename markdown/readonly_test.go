package markdown

import "testing"

func TestReadOnly(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"kubectl get pods", true},
		{"kubectl get pods -l app=nginx -o wide", true},
		{"kubectl -n kube-system describe pod web", true},
		{"kubectl get deployment web -o jsonpath='{.status.readyReplicas}'", true},
		{"kubectl rollout status deployment/web", true},
		{"kubectl logs web --tail=5", true},
		{"kubectl top pod", true},
		{"kubectl get pods | grep web", true},
		{"kubectl get secret db -o jsonpath='{.data.password}' | base64 --decode", true},
		{"kubectl get pods\nkubectl get services", true},
		{"for p in a b; do kubectl get pod $p; done", true},
		{"kubectl get pods > /dev/null && echo ok", true},
		{"curl http://localhost:8080/api/", true},
		{"curl -sSL http://localhost:8080/healthz | jq .", true},
		{"curl -X GET http://localhost:8080/api/", true},
		{"wget -qO- http://localhost:8080/", true},
		{"kubectl apply -f pod.yaml --dry-run=server", true},

		{"kubectl apply -f pod.yaml", false},
		{"kubectl delete pod web", false},
		{"kubectl scale deployment web --replicas=3", false},
		{"kubectl label pod web tier=db", false},
		{"kubectl annotate pod web a=b", false},
		{"kubectl patch deployment web -p '{}'", false},
		{"kubectl rollout restart deployment/web", false},
		{"kubectl exec web -- cat /etc/hosts", false},
		{"kubectl get pods --watch", false},
		{"kubectl logs -f web", false},
		{"kubectl get pods -o yaml > pods.yaml", false},
		{"kubectl get pods; kubectl delete pod web", false},
		{"kubectl get pods &", false},
		{"POD=$(kubectl get pods -o name)", false},
		{"kubectl krew list", false},
		{"kubectl frobnicate", false},
		{"curl -X POST http://localhost:8080/api/", false},
		{"curl -XDELETE http://localhost:8080/api/x", false},
		{"curl -d '{}' http://localhost:8080/api/", false},
		{"curl --data-binary @x.json http://localhost:8080/api/", false},
		{"curl -sLO https://dl.k8s.io/release/kubectl", false},
		{"curl -o kubectl https://dl.k8s.io/release/kubectl", false},
		{"wget https://k8s.io/examples/pods/simple-pod.yaml", false},
		{"sed -i s/a/b/ x.yaml", false},
		{"rm -f x.yaml", false},
		{"cd /tmp", false},
		{"echo hi | tee out.txt", false},
		{"kubectl get pods 'unterminated", false},
	}
	for _, tt := range tests {
		got, why := ReadOnly(tt.code)
		if got != tt.want {
			t.Errorf("ReadOnly(%q) = %v (%s), want %v", tt.code, got, why, tt.want)
		}
		if !got && why == "" {
			t.Errorf("ReadOnly(%q) = false without a reason", tt.code)
		}
	}
}

func TestReadOnlyVars(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"pods=$(kubectl get pods --selector=job-name=hello --output=jsonpath={.items[*].metadata.name})", true},
		{"export POD_NAME=\"$(kubectl get pods -o go-template --template '{{range .items}}{{.metadata.name}}{{end}}')\"\necho Name of the Pod: $POD_NAME", true},
		{"TOKEN=$(kubectl create token default)", false},
		{"X=1 kubectl apply -f x.yaml", false},
		{"NAME=$(kubectl get pods -o name) > out.txt", false},
		{"kubectl get pods", true},
	}
	if ok, _ := ReadOnly(tests[0].code); ok {
		t.Errorf("ReadOnly(%q) = true: it sets a variable", tests[0].code)
	}
	for _, tt := range tests {
		if got, why := ReadOnlyVars(tt.code); got != tt.want {
			t.Errorf("ReadOnlyVars(%q) = %v (%s), want %v", tt.code, got, why, tt.want)
		}
	}
}

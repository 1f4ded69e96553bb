package runner

import "testing"

func TestWaitable(t *testing.T) {
	cases := map[string]bool{
		`Error from server (BadRequest): container "alpine" in pod "web-1" is waiting to start: ContainerCreating`:                 true,
		`Error from server (BadRequest): container "app" in pod "web-1" is waiting to start: PodInitializing`:                      true,
		`error: unable to upgrade connection: container not found ("main")`:                                                        true,
		`Error from server (BadRequest): pod web-1 does not have a host assigned`:                                                  true,
		`Error from server (BadRequest): container "app" in pod "web-1" is waiting to start: trying and failing to pull image`:     false,
		`Error from server (BadRequest): container "app" in pod "web-1" is waiting to start: image can't be pulled (ErrImagePull)`: false,
		`back-off restarting failed container (CrashLoopBackOff) container not found`:                                              false,
		`Error from server (NotFound): pods "web-1" not found`:                                                                     false,
		`error: the server doesn't have a resource type "pod"`:                                                                     false,
	}
	for in, want := range cases {
		if got := waitable(in); got != want {
			t.Errorf("waitable(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestRerunnable(t *testing.T) {
	cases := map[string]bool{
		"kubectl logs deployment/web\n":                    true,
		"kubectl exec web -- touch /tmp/x\n":               true,
		"kubectl get pods\n":                               true,
		"kubectl exec web -- ls; kubectl delete pod web\n": false,
		"kubectl apply -f pod.yaml && kubectl logs web\n":  false,
		"kubectl port-forward pod/web 8080:80\n":           false,
		"kubectl debug -it web --image=busybox -- sh\n":    false,
	}
	for in, want := range cases {
		if got := rerunnable(in); got != want {
			t.Errorf("rerunnable(%q) = %v, want %v", in, got, want)
		}
	}
}

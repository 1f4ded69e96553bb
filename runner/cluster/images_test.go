package cluster

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
)

const digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// TestImageAvailable checks that page references match the served list
// as containerd resolves them.
func TestImageAvailable(t *testing.T) {
	served := "docker.io/library/nginx:1.14.2\ndocker.io/library/busybox:latest\n" +
		"registry.k8s.io/e2e-test-images/agnhost:2.39\ndocker.io/bitnami/kubectl:latest\n" +
		"docker.io/library/redis@" + digest + "\n"
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: OfflineImagesConfigMap, Namespace: "kube-system"},
		Data: map[string]string{"images": served}}
	c := Detect(context.Background(), fake.NewClientset(cm), nil)
	tests := []struct {
		ref  string
		want bool
	}{
		{"nginx:1.14.2", true},
		{"docker.io/nginx:1.14.2", true},
		{"docker.io/library/nginx:1.14.2", true},
		{"library/nginx:1.14.2", true},
		{"nginx", false},                  // nginx:latest is not listed
		{"nginx:1.16", false},             // another tag
		{"busybox", true},                 // latest by default
		{"busybox:latest", true},          //
		{"index.docker.io/busybox", true}, // the legacy name of docker.io
		{"quay.io/nginx:1.14.2", false},   // another registry
		{"registry.k8s.io/e2e-test-images/agnhost:2.39", true},
		{"e2e-test-images/agnhost:2.39", false}, // docker.io/e2e-test-images/agnhost
		{"bitnami/kubectl", true},
		{"redis@" + digest, true},
		{"redis:7@" + digest, true}, // the digest decides, the tag is ignored
		{"redis:7", false},
		{"nginx@" + digest, false},
		{"$IMAGE", true}, // not a reference: unknown, so available
		{"<your-image>", true},
		{"Nginx", true},
	}
	for _, tc := range tests {
		if got := c.ImageAvailable(tc.ref); got != tc.want {
			n, _ := NormalizeImage(tc.ref)
			t.Errorf("ImageAvailable(%q) = %v, want %v (normalized %q)", tc.ref, got, tc.want, n)
		}
	}
	if len(c.OfflineImages) != 5 {
		t.Errorf("OfflineImages = %q, want the 5 lines", c.OfflineImages)
	}
}

// TestImageAvailableWithoutList checks that a cluster that does not list
// its images (no ConfigMap, or one without the key) has every image.
func TestImageAvailableWithoutList(t *testing.T) {
	for name, objs := range map[string][]runtime.Object{
		"no ConfigMap":  nil,
		"no images key": {&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: OfflineImagesConfigMap, Namespace: "kube-system"}}},
	} {
		c := Detect(context.Background(), fake.NewClientset(objs...), nil)
		if !c.ImageAvailable("redis:7") || c.OfflineImages != nil {
			t.Errorf("%s: redis:7 not available, or OfflineImages %q", name, c.OfflineImages)
		}
	}
	var none *Capabilities
	if !none.ImageAvailable("redis:7") {
		t.Error("without capabilities every image is available")
	}
}

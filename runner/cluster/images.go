package cluster

import (
	"context"
	"strings"

	"github.com/distribution/reference"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// OfflineImagesConfigMap is the ConfigMap (in kube-system) in which the
// local cluster's real node lists the images its registry serves, one
// reference a line under the key "images" (tools/node.sh).
const OfflineImagesConfigMap = "docrun-offline-images"

// offlineImages reads the images the cluster's registry serves. Without
// the ConfigMap (any real cluster, which pulls from the internet), or when
// it cannot be read, every image counts as available.
func (c *Capabilities) offlineImages(ctx context.Context, cs kubernetes.Interface) {
	cm, err := cs.CoreV1().ConfigMaps("kube-system").Get(ctx, OfflineImagesConfigMap, metav1.GetOptions{})
	if err != nil {
		return
	}
	list, ok := cm.Data["images"]
	if !ok {
		return
	}
	c.OfflineImages = []string{}
	c.offline = map[string]bool{}
	for _, l := range strings.Split(list, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		c.OfflineImages = append(c.OfflineImages, l)
		if n, ok := NormalizeImage(l); ok {
			c.offline[n] = true
		}
	}
}

// NormalizeImage completes an image reference as containerd resolves it
// (the Docker convention): docker.io/library/ for a name without a
// registry, the tag latest when there is neither tag nor digest, and the
// digest alone when both are given. ok is false when ref is not a
// reference (a shell variable, a placeholder, upper case).
func NormalizeImage(ref string) (string, bool) {
	n, err := reference.ParseDockerRef(ref)
	if err != nil {
		return "", false
	}
	return n.String(), true
}

// ImageAvailable reports whether the cluster can start a container from
// the image: true unless the cluster lists the images it serves offline
// and this one, as containerd would resolve it, is not among them. A
// reference that does not read as one counts as available.
func (c *Capabilities) ImageAvailable(ref string) bool {
	if c == nil || c.offline == nil {
		return true
	}
	n, ok := NormalizeImage(ref)
	return !ok || c.offline[n]
}

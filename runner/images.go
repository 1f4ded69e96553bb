package runner

import (
	"fmt"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
	"github.com/docrun/docrun/runner/cluster"
)

// imageLack returns the lack of a step that would start a container from
// an image the cluster cannot pull (its registry serves a list of images
// offline, and this one is not among them), with the objects the step
// would have made, for the steps that follow it. Only on a cluster where
// containers run: simulated nodes pull nothing. A dry run starts nothing.
func imageLack(c *cluster.Capabilities, sc *shell.Script, uses []markdown.ObjectUse) (*lack, []markdown.Object) {
	if !c.Containers {
		return nil, nil
	}
	objs := stepMade(c, uses)
	for _, o := range objs {
		for _, img := range o.Images {
			if !c.ImageAvailable(img) {
				return offlineLack(img, o.Kind+" "+o.Name), objs
			}
		}
	}
	for _, inv := range kubectl.Calls(sc) {
		if inv.Err != nil || inv.DryRun() != "none" {
			continue
		}
		for _, img := range markdown.CommandImages(inv.Invocation) {
			if !c.ImageAvailable(img) {
				return offlineLack(img, "kubectl "+inv.Command()), objs
			}
		}
	}
	return nil, nil
}

// offlineLack is the lack of an image not served offline, for what would
// start a container from it.
func offlineLack(img, what string) *lack {
	return &lack{"offline image " + img, fmt.Sprintf("image %s is not available offline (%s; the cluster's registry serves only the images of ConfigMap kube-system/%s)",
		img, what, cluster.OfflineImagesConfigMap)}
}

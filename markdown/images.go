package markdown

import (
	"github.com/docrun/docrun/markdown/kubectl"
)

// Images of a step's containers.
//
// Which images the containers of an object would be started from is read
// with the object (Object.Images): the containers, initContainers and
// ephemeralContainers of a Pod's spec or of a workload's Pod template, or
// the --image flags of the kubectl command that makes it. The runner's
// rule for images a cluster cannot pull reads them.

// podSpecs are, for each kind that starts containers, the path of its Pod
// spec.
var podSpecs = map[string][]string{
	"Pod":                   {"spec"},
	"PodTemplate":           {"template", "spec"},
	"Deployment":            {"spec", "template", "spec"},
	"ReplicaSet":            {"spec", "template", "spec"},
	"ReplicationController": {"spec", "template", "spec"},
	"StatefulSet":           {"spec", "template", "spec"},
	"DaemonSet":             {"spec", "template", "spec"},
	"Job":                   {"spec", "template", "spec"},
	"CronJob":               {"spec", "jobTemplate", "spec", "template", "spec"},
}

// podImages are the images of the containers of a decoded object of a kind
// that starts containers, in the order of its spec; nil for other kinds.
func podImages(m map[string]any, kind string) []string {
	path, ok := podSpecs[kind]
	if !ok {
		return nil
	}
	spec, _ := at(m, path...).(map[string]any)
	var out []string
	for _, list := range []string{"initContainers", "containers", "ephemeralContainers"} {
		cs, _ := spec[list].([]any)
		for _, c := range cs {
			cm, _ := c.(map[string]any)
			if img := str(cm, "image"); img != "" {
				out = appendNew(out, img)
			}
		}
	}
	return out
}

// imageCommands are the kubectl commands that start containers from the
// images of their --image flags (create deployment takes several).
var imageCommands = map[string]bool{
	"run": true, "create deployment": true, "create job": true, "create cronjob": true, "debug": true,
}

// CommandImages are the images a kubectl command starts containers from by
// its flags: kubectl run, create deployment, create job and create cronjob
// --image, and the debugging container of kubectl debug --image. It is nil
// for other commands, whatever their dry run.
func CommandImages(inv kubectl.Invocation) []string {
	if !imageCommands[inv.Command()] {
		return nil
	}
	var out []string
	for _, img := range inv.Values("image") {
		if img != "" {
			out = appendNew(out, img)
		}
	}
	return out
}

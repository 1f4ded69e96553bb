package runner

import (
	"context"
	"fmt"
	"regexp"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/docrun/docrun/result"
)

// crdReport is kubectl's report of a CustomResourceDefinition it created or
// changed.
var crdReport = regexp.MustCompile(`(?m)^customresourcedefinition\.apiextensions\.k8s\.io/(\S+) (created|configured|serverside-applied|replaced)`)

var crdResource = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

// crdWait bounds the wait for a new CustomResourceDefinition.
const crdWait = 30 * time.Second

// waitEstablished waits after a step that created or changed
// CustomResourceDefinitions until each is Established and the API server
// serves its resource, at most crdWait: the API needs a moment before the
// custom objects the next steps create can be read, which a reader never
// notices between two commands. The step's note says how long it took
// when it was noticeable, or that the definition never became ready.
func (pr *pageRun) waitEstablished(ctx context.Context, st *result.StepResult) {
	c := pr.r.Cluster
	if c == nil || c.Dynamic == nil || st.Status != result.Passed {
		return
	}
	for _, m := range crdReport.FindAllStringSubmatch(st.Stdout, -1) {
		name := m[1]
		start := time.Now()
		ok := pollUntil(ctx, start.Add(crdWait), func() bool { return pr.crdServed(ctx, name) })
		switch waited := time.Since(start); {
		case !ok && ctx.Err() == nil:
			addNote(st, fmt.Sprintf("CustomResourceDefinition %s was not established within %s", name, crdWait))
		case waited >= time.Second:
			addNote(st, fmt.Sprintf("waited %.0f s for CustomResourceDefinition %s to be established", waited.Seconds(), name))
		}
	}
}

// crdServed reports whether a CustomResourceDefinition is Established and
// discovery lists its resource in each served version.
func (pr *pageRun) crdServed(ctx context.Context, name string) bool {
	c := pr.r.Cluster
	u, err := c.Dynamic.Resource(crdResource).Get(ctx, name, metav1.GetOptions{})
	if err != nil || !established(u) {
		return false
	}
	group, _, _ := unstructured.NestedString(u.Object, "spec", "group")
	plural, _, _ := unstructured.NestedString(u.Object, "spec", "names", "plural")
	versions, _, _ := unstructured.NestedSlice(u.Object, "spec", "versions")
	if c.Discovery == nil {
		return true
	}
	for _, v := range versions {
		vm, _ := v.(map[string]any)
		if served, _ := vm["served"].(bool); !served {
			continue
		}
		version, _ := vm["name"].(string)
		list, err := c.Discovery.ServerResourcesForGroupVersion(group + "/" + version)
		if err != nil {
			return false
		}
		found := false
		for _, r := range list.APIResources {
			found = found || r.Name == plural
		}
		if !found {
			return false
		}
	}
	return true
}

// established reports whether a CustomResourceDefinition's Established
// condition is True.
func established(u *unstructured.Unstructured) bool {
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	for _, c := range conds {
		cm, _ := c.(map[string]any)
		if cm["type"] == "Established" && cm["status"] == "True" {
			return true
		}
	}
	return false
}

// pollUntil calls done every 200 ms until it returns true (true), the
// deadline passes or ctx ends (false).
func pollUntil(ctx context.Context, deadline time.Time, done func() bool) bool {
	for {
		if done() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(200 * time.Millisecond):
		}
	}
}

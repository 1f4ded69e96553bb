package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/docrun/docrun/runner/clustertest"
)

// TestBackgroundDeletion checks that the namespaces of pages run one at a
// time, deleted in the background while the later pages run, are all gone
// when docrun exits, and that the result names none as still terminating.
func TestBackgroundDeletion(t *testing.T) {
	env := clustertest.Require(t)
	files := map[string]string{}
	var pages []string
	for i := range 3 {
		rel := fmt.Sprintf("content/en/docs/p%d.md", i)
		files[rel] = pageOf(fence(fmt.Sprintf("kubectl create configmap c%d && echo page %d", i, i)))
		pages = append(pages, rel)
	}
	dir := site(t, files)
	for i := range pages {
		pages[i] = filepath.Join(dir, pages[i])
	}
	o := docrun(t, env, append([]string{"--offline", "--yes", "-j", "1"}, pages...)...)
	if o.code != 0 || o.res.Summary.Passed != 3 {
		t.Fatalf("exit %d, %d passed:\n%s", o.code, o.res.Summary.Passed, o.stderr)
	}
	var extra struct {
		Terminating []string `json:"terminating"`
	}
	if err := json.Unmarshal([]byte(o.stdout), &extra); err != nil {
		t.Fatal(err)
	}
	if len(extra.Terminating) > 0 {
		t.Errorf("terminating %v after the default wait", extra.Terminating)
	}
	for _, p := range o.res.Pages {
		_, err := env.Client.CoreV1().Namespaces().Get(context.Background(), p.Cluster.Namespace, metav1.GetOptions{})
		if !apierrors.IsNotFound(err) {
			t.Errorf("namespace %s of %s is still there when docrun exited (%v)", p.Cluster.Namespace, p.Path, err)
		}
	}
}

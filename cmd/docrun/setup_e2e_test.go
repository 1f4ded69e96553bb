package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/docrun/docrun/runner/clustertest"
)

// TestLinkedSetup runs a page whose prerequisites have the reader create
// a Deployment by following a link to a section of another page of the
// site, and say to create it anew for each part: docrun runs that
// section's command first, as a setup step, and again before the second
// delete, so that both deletes find the Deployment.
func TestLinkedSetup(t *testing.T) {
	env := clustertest.Require(t)
	before := mustRead(t, env.Kubeconfig)
	dir := site(t, map[string]string{
		"content/en/docs/tasks/make.md": pageOf("## Make the web Deployment {#make-web}\n\n",
			"```shell\nkubectl create deployment web --image=registry.k8s.io/pause:3.10\n```\n\n",
			"```shell\nkubectl get deployment web\n```\n\n## Other\n\n```shell\nkubectl create namespace other\n```\n"),
		"content/en/docs/tasks/use.md": pageOf("## {{% heading \"prerequisites\" %}}\n\n",
			"You need to [create a web Deployment](/docs/tasks/make/#make-web).\n",
			"You will need to recreate the Deployment for each part.\n\n",
			"## One\n\n```shell\nkubectl delete deployment web --cascade=foreground\n```\n\n",
			"## Two\n\n```shell\nkubectl delete deployment web --cascade=orphan\n```\n"),
	})
	o := docrun(t, env, "--offline", "--yes", filepath.Join(dir, "content/en/docs/tasks/use.md"))
	if o.code != 0 {
		t.Fatalf("exit %d\n%s", o.code, o.stderr)
	}
	st := o.res.Pages[0].Steps
	if len(st) != 4 {
		t.Fatalf("%d steps, want a setup step before each of the 2 page steps: %+v", len(st), st)
	}
	for i, s := range st {
		setup := i%2 == 0
		if s.Status != "passed" || (s.Setup != "") != setup {
			t.Errorf("step %d (%q): %s, setup %q (stderr %q)", i, s.Code, s.Status, s.Setup, s.Stderr)
		}
		if setup && (s.Setup != "content/en/docs/tasks/make.md#make-web" || !strings.HasPrefix(s.Reason, "setup: ") || !strings.Contains(s.Code, "kubectl create deployment web")) {
			t.Errorf("setup step %d: %q %q %q", i, s.Setup, s.Reason, s.Code)
		}
	}
	checkClean(t, env, before)
}

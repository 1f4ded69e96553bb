package dispatch

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/docrun/docrun/internal/golden"
)

// TestManifests checks the objects of a dispatch against
// testdata/manifests/*.txtar (want.yaml; -update rewrites it).
func TestManifests(t *testing.T) {
	golden.Run(t, "testdata/manifests/*.txtar", func(t *testing.T, c *golden.Case) {
		setting := func(key string) string { v, _ := c.Setting(key); return v }
		atoi := func(key string) int {
			n, _ := strconv.Atoi(setting(key))
			return n
		}
		s := &Spec{ID: "abc123", Image: "docrun.dev/docrun:v0.0.0-test", Shards: atoi("shards"),
			Parallelism: atoi("parallelism"), ClusterAdmin: setting("cluster-admin") == "true",
			Server: setting("server"),
			Bundle: &Bundle{Root: "/work", Workdir: "/work/site", Pages: []string{"content/en/a.md", "../shared/b page.md"}}}
		if a := setting("run-args"); a != "" {
			s.RunArgs = strings.Fields(a)
		}
		if k, v, ok := strings.Cut(setting("node-selector"), "="); ok {
			s.NodeSelector = map[string]string{k: v}
		}
		for i := range atoi("chunks") {
			s.Chunks = append(s.Chunks, []byte(fmt.Sprintf("chunk %d", i)))
		}
		out, err := s.Objects().YAML()
		if err != nil {
			t.Fatal(err)
		}
		c.Check(t, map[string]string{"want.yaml": string(out)})
	})
}

func TestImageTag(t *testing.T) {
	for in, want := range map[string]string{
		"devel":  "devel",
		"v0.1.0": "v0.1.0",
		"v0.0.0-20261130201234-885ba04abcde+dirty": "v0.0.0-20261130201234-885ba04abcde-dirty",
		"":                       "devel",
		strings.Repeat("a", 200): strings.Repeat("a", 128),
	} {
		if got := ImageTag(in); got != want {
			t.Errorf("ImageTag(%q) = %q, want %q", in, got, want)
		}
	}
}

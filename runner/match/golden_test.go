package match

import (
	"strings"
	"testing"

	"github.com/docrun/docrun/internal/golden"
)

// TestGolden runs each testdata/*.txtar case: Compare of its "expected"
// and "actual" files, with the fence language and mode named in the
// archive's comment ("lang: json", "mode: exact", and "namespaces:
// docrun-x7k2p" for the run's namespaces), must give its "want"
// file: the verdict and format on the first line, then the diff. Run
// with -update to rewrite the want files after checking the changes.
func TestGolden(t *testing.T) {
	golden.Run(t, "testdata/*.txtar", runGolden)
}

func runGolden(t *testing.T, c *golden.Case) {
	lang, _ := c.Setting("lang")
	o := Options{Mode: ModeSimilar}
	if v, ok := c.Setting("mode"); ok {
		m, ok := ParseMode(v)
		if !ok {
			t.Fatalf("%s: unknown mode %q", c.File, v)
		}
		o.Mode = m
	}
	if v, ok := c.Setting("namespaces"); ok {
		o.Namespaces = strings.Fields(v)
	}
	exp, ok1 := c.Get("expected")
	act, ok2 := c.Get("actual")
	if !ok1 || !ok2 {
		t.Fatalf("%s: needs expected and actual files", c.File)
	}
	r := CompareWith(string(exp), string(act), lang, o)
	c.Check(t, map[string]string{"want": string(r.Verdict) + " " + r.Format + "\n" + r.Diff})
}

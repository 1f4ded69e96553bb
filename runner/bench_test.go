package runner

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docrun/docrun/result"
)

// BenchmarkPage200 runs a page of 200 trivial shell steps through the
// whole runner (parse, plan, one bash session, per-step results), without
// a cluster. BenchmarkScript200 runs the same commands as one bash script:
// the difference per step is what docrun adds.
func BenchmarkPage200(b *testing.B) {
	var page strings.Builder
	page.WriteString("---\ntitle: bench\n---\n\n")
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&page, "```shell\necho step %d\n```\n\n", i)
	}
	path := filepath.Join(b.TempDir(), "page.md")
	if err := os.WriteFile(path, []byte(page.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	r := &Runner{Opts: Options{Only: -1, From: -1, To: -1}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := r.RunPage(context.Background(), path)
		if res.Error != "" || len(res.Steps) != 200 || res.Steps[199].Status != result.Passed {
			b.Fatalf("run: %q %d steps", res.Error, len(res.Steps))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*200), "µs/step")
}

func BenchmarkScript200(b *testing.B) {
	var script strings.Builder
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&script, "echo step %d\n", i)
	}
	for i := 0; i < b.N; i++ {
		if err := exec.Command("bash", "--norc", "--noprofile", "-c", script.String()).Run(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*200), "µs/step")
}

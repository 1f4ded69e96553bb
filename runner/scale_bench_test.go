package runner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"k8s.io/cli-runtime/pkg/genericclioptions"

	"github.com/docrun/docrun/runner/cluster"
	"github.com/docrun/docrun/runner/clustertest"
)

// BenchmarkPages20 runs 20 pages of one echo step each with -j 1 against
// the local cluster (DOCRUN_E2E=1, make bench): the cost docrun adds to
// every page (its namespace, kubeconfig copy, shell, leak snapshots, the
// namespace's deletion), which at site scale is most of a run. It reports
// the seconds of the whole run (the final wait for the namespaces
// included) and per page.
func BenchmarkPages20(b *testing.B) {
	env := clustertest.Require(b)
	dir := b.TempDir()
	var pages []string
	for i := range 20 {
		p := filepath.Join(dir, fmt.Sprintf("page%02d.md", i))
		if err := os.WriteFile(p, []byte(fmt.Sprintf("---\ntitle: page %d\n---\n\n```shell\necho page %d\n```\n", i, i)), 0o644); err != nil {
			b.Fatal(err)
		}
		pages = append(pages, p)
	}
	flags := genericclioptions.NewConfigFlags(false)
	flags.KubeConfig = &env.Kubeconfig
	c, err := cluster.Connect(context.Background(), flags)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		r := &Runner{Opts: Options{Only: -1, From: -1, To: -1, Parallel: 1}, Cluster: c}
		res := r.Run(context.Background(), pages)
		if res.Summary.Passed != 20 {
			b.Fatalf("%d of 20 steps passed", res.Summary.Passed)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N*20), "s/page")
}

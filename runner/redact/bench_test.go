package redact

import (
	"strings"
	"testing"
)

// benchText is about 1 MB of kubectl-like output: YAML objects, a table
// and log lines.
var benchText = strings.Repeat("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-0\n  labels:\n    app: web\nspec:\n"+
	"  containers:\n  - name: nginx\n    image: nginx:1.27\n    env:\n    - name: COLOR\n      value: blue\n"+
	"NAME    READY   STATUS    RESTARTS   AGE\nweb-0   1/1     Running   0          5m\n"+
	"2026-01-01T00:00:00Z INFO request served path=/healthz status=200 took=1.2ms\n", 2800)

// BenchmarkString redacts benchText at once, with ten known values.
func BenchmarkString(b *testing.B) {
	r := New()
	for _, v := range []string{"hunter22", "s3cr3t-value", "abcdef0123456789", "tok-1", "tok-2", "tok-3", "tok-4", "pw-5555", "pw-6666", "pw-7777"} {
		r.Add(v)
	}
	b.SetBytes(int64(len(benchText)))
	for b.Loop() {
		r.String(benchText)
	}
}

package render

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/docrun/docrun/internal/golden"
	"github.com/docrun/docrun/result"
)

// TestHistoryGolden renders the history of the runs of each archive in
// testdata/history (files named run-*.json, oldest first, as the archive
// lists them) and compares it with its index.html (-update rewrites it).
func TestHistoryGolden(t *testing.T) {
	golden.Run(t, "testdata/history/*.txtar", func(t *testing.T, c *golden.Case) {
		var runs []Run
		for _, f := range c.Archive.Files {
			if !strings.HasSuffix(f.Name, ".json") {
				continue
			}
			var res result.Result
			if err := json.Unmarshal(f.Data, &res); err != nil {
				t.Fatalf("%s: %v", f.Name, err)
			}
			name := strings.TrimSuffix(f.Name, ".json")
			runs = append(runs, Run{Name: name, Result: &res, Report: "runs/" + name})
		}
		var b bytes.Buffer
		if err := WriteHistory(&b, runs, "docrun test", time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		c.Check(t, map[string]string{"index.html": b.String()})
	})
}

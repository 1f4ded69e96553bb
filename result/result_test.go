package result

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/docrun/docrun/markdown"
)

// sample is a result with every field of the model set.
func sample() *Result {
	step := &StepResult{
		Step:       markdown.Step{Index: 1, Line: 12, Kind: markdown.KindCommand, Lang: "shell", Code: "kubectl get pods\n", Runnable: true},
		Status:     Passed,
		ExitCode:   0,
		DurationMS: 42,
		Stdout:     "NAME READY\n",
		Stderr:     "warning\n",
		Ran:        "kubectl get pods -n x\n",
		Bindings:   []Binding{{Name: "pod-name", Value: "web-0", Source: "object", Description: "the Pod of deployment web, created at step 0"}},
		Verdict:    VerdictSimilar,
		Diff:       "-a\n+b\n",
		SkipReason: "",
		Created:    []string{"x.yaml"},
		Note:       "settled after 3 s, 2 tries",
		Stale:      true,
		Settle:     &Settle{Tries: 2, DurationMS: 3000, Settled: true},
	}
	page := &PageResult{
		Document:   markdown.Document{Path: "p.md", Title: "P", Lang: "en"},
		Steps:      []*StepResult{step, {Step: markdown.Step{Index: 2}, Status: Skipped, SkipReason: "interactive"}},
		Cluster:    &ClusterInfo{Namespace: "docrun-x"},
		Started:    time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC),
		DurationMS: 1000,
		Leaks:      []string{"namespace/dev"},
		Deleted:    true,
		Error:      "p.md:3: bad",
		Notes:      []string{"kept"},
	}
	r := &Result{Pages: []*PageResult{page}, Leaks: []string{"clusterrole/x"}, Deleted: true, Notes: []string{"n"}}
	r.Summary.Add(page)
	return r
}

// TestJSONRoundTrip: the JSON form (the contract of render --from, the
// scoreboard and CI) reads back into the same model.
func TestJSONRoundTrip(t *testing.T) {
	want := sample()
	b, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var got Result
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&got, want) {
		g, _ := json.MarshalIndent(&got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("round trip differs:\n%s\nwant\n%s", g, w)
	}
}

func TestSummaryAndClone(t *testing.T) {
	r := sample()
	s := r.Summary
	if s.Pages != 1 || s.Steps != 2 || s.Passed != 1 || s.Skipped != 1 || s.Errors != 1 || s.OK() {
		t.Errorf("summary %+v", s)
	}
	c := r.Pages[0].Clone()
	c.Steps[0].Bindings[0].Value = "changed"
	c.Notes[0] = "changed"
	if r.Pages[0].Steps[0].Bindings[0].Value != "web-0" || r.Pages[0].Notes[0] != "kept" {
		t.Error("Clone shares slices with the original")
	}
	if (&StepResult{}).State() != NotRun {
		t.Error("a step without status is not NotRun")
	}
}

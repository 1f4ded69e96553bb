package result

import (
	"strings"
	"testing"

	"github.com/docrun/docrun/markdown"
)

func page(path string, statuses ...Status) *PageResult {
	p := &PageResult{Document: markdown.Document{Path: path}, Cluster: &ClusterInfo{Namespace: "ns-" + path}}
	for _, s := range statuses {
		p.Steps = append(p.Steps, &StepResult{Status: s})
	}
	return p
}

func TestMerge(t *testing.T) {
	list := []string{"a.md", "b.md", "c.md", "d.md"}
	one := &Result{Version: "v1", Shard: &Shard{K: 1, N: 2, Pages: list}, Pages: []*PageResult{page("b.md", Passed), page("d.md", Failed)},
		Summary: Summary{DurationMS: 900}, Leaks: []string{"clusterrole/x"}}
	two := &Result{Version: "v1", Shard: &Shard{K: 2, N: 2, Pages: list}, Pages: []*PageResult{page("a.md", Passed, Skipped), page("c.md")},
		Summary: Summary{DurationMS: 1200}, Terminating: []string{"docrun-1"}}
	m, err := Merge([]*Result{one, two}, []string{"one.json", "two.json"})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, p := range m.Pages {
		paths = append(paths, p.Path+"@"+p.Cluster.Namespace)
	}
	if got := strings.Join(paths, " "); got != "a.md@ns-a.md b.md@ns-b.md c.md@ns-c.md d.md@ns-d.md" {
		t.Errorf("pages %s", got)
	}
	want := Summary{Pages: 4, Steps: 4, Passed: 2, Failed: 1, Skipped: 1, DurationMS: 1200}
	if m.Summary != want {
		t.Errorf("summary %+v, want %+v", m.Summary, want)
	}
	if m.Version != "v1" || m.Shard != nil || len(m.Leaks) != 1 || m.Deleted || len(m.Terminating) != 1 {
		t.Errorf("merged %+v", m)
	}

	tests := []struct {
		name string
		rs   []*Result
		err  string
	}{
		{"versions", []*Result{{Version: "v1"}, {Version: "v2"}}, "x.json was made by docrun v1 and y.json by docrun v2: merge results of one docrun version"},
		{"unknown version", []*Result{{Version: "v1"}, {}}, "y.json by docrun of an unknown version"},
		{"overlap", []*Result{{Pages: []*PageResult{page("a.md")}}, {Pages: []*PageResult{page("b.md"), page("a.md")}}}, "page a.md is in both x.json and y.json: merge results of different pages"},
		{"lists", []*Result{{Shard: &Shard{K: 1, N: 2, Pages: list}}, {Shard: &Shard{K: 2, N: 2, Pages: list[:2]}}}, "x.json and y.json are parts of different page lists"},
	}
	for _, tc := range tests {
		_, err := Merge(tc.rs, []string{"x.json", "y.json"})
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.err)
		}
	}
}

package result

import (
	"fmt"
	"slices"
)

// Merge joins the results of runs of parts of one page list (docrun run
// --shard, one result per CI runner) into one: its pages in the order of
// the whole list (when the results say it, see Shard; else in the order
// given), each keeping its own cluster block; the summary counted again,
// its duration the longest run's (the parts ran side by side); the runs'
// leaks, notes and namespaces still terminating together. names name the
// results in errors. Results of different docrun versions, or sharing a
// page, are refused.
func Merge(results []*Result, names []string) (*Result, error) {
	out := &Result{Pages: []*PageResult{}}
	where := map[string]string{}
	var list []string
	deleted := true
	for i, r := range results {
		if i == 0 {
			out.Version = r.Version
		} else if r.Version != out.Version {
			return nil, fmt.Errorf("%s was made by docrun %s and %s by docrun %s: merge results of one docrun version", names[0], versionName(out.Version), names[i], versionName(r.Version))
		}
		if r.Shard != nil {
			if list == nil {
				list = r.Shard.Pages
			} else if !slices.Equal(list, r.Shard.Pages) {
				return nil, fmt.Errorf("%s and %s are parts of different page lists: merge the parts of one list", names[0], names[i])
			}
		}
		for _, p := range r.Pages {
			if first, ok := where[p.Path]; ok {
				return nil, fmt.Errorf("page %s is in both %s and %s: merge results of different pages", p.Path, first, names[i])
			}
			where[p.Path] = names[i]
			out.Pages = append(out.Pages, p)
		}
		out.Leaks = append(out.Leaks, r.Leaks...)
		if len(r.Leaks) > 0 && !r.Deleted {
			deleted = false
		}
		out.Notes = append(out.Notes, r.Notes...)
		out.Terminating = append(out.Terminating, r.Terminating...)
		out.Summary.DurationMS = max(out.Summary.DurationMS, r.Summary.DurationMS)
	}
	out.Deleted = len(out.Leaks) > 0 && deleted
	if list != nil {
		at := map[string]int{}
		for i, p := range list {
			at[p] = i
		}
		pos := func(p *PageResult) int {
			if i, ok := at[p.Path]; ok {
				return i
			}
			return len(list)
		}
		slices.SortStableFunc(out.Pages, func(a, b *PageResult) int { return pos(a) - pos(b) })
	}
	for _, p := range out.Pages {
		out.Summary.Add(p)
	}
	return out, nil
}

func versionName(v string) string {
	if v == "" {
		return "of an unknown version"
	}
	return v
}

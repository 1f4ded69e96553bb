package app

import (
	"github.com/docrun/docrun/internal/shard"
	"github.com/docrun/docrun/markdown"

	"github.com/docrun/docrun/result"
)

// selectShard keeps the pages of part spec ("K/N") of pages, balanced by
// the durations of a previous result (durations, a docrun run --json file)
// or else by the pages' step counts, and returns them with the Shard the
// result records.
func selectShard(pages []string, spec, durations string, parse markdown.Options) ([]string, *result.Shard, error) {
	s, err := shard.Parse(spec)
	if err != nil {
		return nil, nil, usageError{err}
	}
	var weights []int64
	if durations != "" {
		prev, err := readResult(durations)
		if err != nil {
			return nil, nil, exitError{code: ExitFail, msg: "docrun: --durations: " + err.Error()}
		}
		ms := map[string]int64{}
		for _, p := range prev.Pages {
			ms[p.Path] = p.DurationMS
		}
		weights = shard.Durations(pages, ms)
	} else {
		weights = stepCounts(pages, parse)
	}
	return shard.Select(pages, weights, s), &result.Shard{K: s.K, N: s.N, Pages: pages}, nil
}

// stepCounts weighs each page by its runnable steps, plus one for what
// every page costs (its namespace, shell, cleanup); a page that does not
// parse weighs one.
func stepCounts(pages []string, parse markdown.Options) []int64 {
	sites := siteCache{}
	w := make([]int64, len(pages))
	for i, p := range pages {
		w[i] = 1
		opts := parse
		if opts.Site == nil {
			opts.Site = sites.find(p)
		}
		page, err := markdown.ParsePage(p, opts)
		if err != nil {
			continue
		}
		for _, st := range page.Doc.Steps {
			if st.Runnable {
				w[i]++
			}
		}
	}
	return w
}

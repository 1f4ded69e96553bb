package html

import (
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/docrun/docrun/markdown"
)

func TestProbeLangs(t *testing.T) {
	ps := probePages(nil)
	var docs []*markdown.Document
	for _, p := range ps { d, err := markdown.Parse(p, markdown.Options{}); if err == nil { docs = append(docs, d) } }
	cost := map[string]time.Duration{}
	size := map[string]int{}
	cache := map[string]chroma.Lexer{}
	for round := 0; round < 2; round++ {
		for _, d := range docs {
			for _, s := range d.Steps {
				l := cache[s.Lang]
				if l == nil { l = lexers.Get(s.Lang); if l == nil { l = lexers.Fallback }; l = chroma.Coalesce(l); cache[s.Lang] = l }
				st := time.Now()
				for i := 0; i < 5; i++ { it, _ := l.Tokenise(nil, s.Code); it.Tokens() }
				if round == 1 { cost[s.Lang+"/"+l.Config().Name] += time.Since(st) / 5; size[s.Lang+"/"+l.Config().Name] += len(s.Code) }
			}
		}
	}
	var ks []string
	for k := range cost { ks = append(ks, k) }
	sort.Slice(ks, func(i, j int) bool { return cost[ks[i]] > cost[ks[j]] })
	for _, k := range ks { fmt.Printf("%-30s %8v %7d bytes %6.1f MB/s\n", k, cost[k], size[k], float64(size[k])/cost[k].Seconds()/1e6) }
}

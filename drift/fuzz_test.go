package drift

import (
	"strconv"
	"strings"
	"testing"

	"github.com/docrun/docrun/markdown"
)

// FuzzAlign compares two pages made of the fuzzer's steps (a blank line
// between steps; a step starting with "yaml" is a manifest): no panic,
// and every step of both pages is in exactly one pair.
func FuzzAlign(f *testing.F) {
	f.Add("kubectl get pods\n\nkubectl apply -f a.yaml", "kubectl apply -f a.yaml\n\nkubectl get pods # Pod")
	f.Add("a\n\nb\n\nc\n\nd", "d\n\nc\n\nb\n\na")
	f.Add("yaml apiVersion: v1\nimage: nginx:1.1\n\nx --f=1", "yaml apiVersion: v2\nimage: nginx:1.2\n\n\n\nx --f=2")
	f.Add("echo 'a\n\necho b", "echo \"$(x\n\n")
	f.Fuzz(func(t *testing.T, a, b string) {
		src, tr := fuzzDoc(a), fuzzDoc(b)
		r := Compare(tr, src)
		seen := map[string]int{}
		for _, p := range r.Pairs {
			if p.Source != nil {
				seen["s"+strconv.Itoa(p.Source.Index)]++
			}
			if p.Translation != nil {
				seen["t"+strconv.Itoa(p.Translation.Index)]++
			}
			if p.Source == nil && p.Translation == nil {
				t.Fatal("a pair of no steps")
			}
		}
		for side, d := range map[string]*markdown.Document{"s": src, "t": tr} {
			for i := range d.Steps {
				if n := seen[side+strconv.Itoa(i)]; n != 1 {
					t.Fatalf("step %s%d is in %d pairs", side, i, n)
				}
			}
		}
		if len(seen) != len(src.Steps)+len(tr.Steps) {
			t.Fatalf("pairs name %d steps, the pages have %d", len(seen), len(src.Steps)+len(tr.Steps))
		}
	})
}

func fuzzDoc(s string) *markdown.Document {
	d := &markdown.Document{Path: "p.md"}
	for i, code := range strings.Split(s, "\n\n") {
		st := markdown.Step{Index: i, Line: i + 1, Kind: markdown.KindCommand, Code: code}
		if c, ok := strings.CutPrefix(code, "yaml"); ok {
			st.Kind, st.Code = markdown.KindManifest, c
		}
		if i%3 == 2 {
			st.Expected = &markdown.Expected{Line: i + 2, Text: code}
		}
		d.Steps = append(d.Steps, st)
	}
	return d
}

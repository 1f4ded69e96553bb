package drift

import (
	"sort"

	"github.com/pmezard/go-difflib/difflib"
)

// link is one entry of an alignment: indices of a source and a translation
// step, -1 for none.
type link struct {
	src, tr int
	moved   bool
}

// threshold is the least similarity of two steps the alignment pairs: at
// least half their words in common. Below it a step of one page and a step
// of the other are a removed and an added step, not one step changed.
const threshold = 0.5

// maxCells bounds the alignment's table (source steps × translation
// steps); past it, only steps with the same code are paired.
const maxCells = 1 << 20

// align aligns the source's steps with the translation's: every step of
// both appears in exactly one link, the paired ones in both pages' order,
// a step only in the source after the links of the steps before it.
// Unpaired steps of the two pages with the same code are then paired as
// moved.
func align(src, tr []step) []link {
	var links []link
	if len(src)*len(tr) <= maxCells {
		links = alignScored(src, tr)
	} else {
		links = alignSame(src, tr)
	}
	return pairMoved(links, src, tr)
}

// alignScored is Needleman–Wunsch with no gap cost: of the alignments that
// keep both orders it takes one whose paired steps' weights sum highest: a
// pair's similarity (at least threshold), plus 1 when its code is the
// same, so that the same steps anchor the alignment and a run of
// look-alike commands (kubectl apply -f of one file after another) does
// not pair off by one.
func alignScored(src, tr []step) []link {
	n, m := len(src), len(tr)
	w := make([]float64, n*m)
	for i := range src {
		for j := range tr {
			if s := similarity(&src[i], &tr[j]); s >= threshold {
				w[i*m+j] = s
				if src[i].key == tr[j].key {
					w[i*m+j]++
				}
			}
		}
	}
	// d[i][j] is the best score of the first i source and j translation
	// steps.
	d := make([]float64, (n+1)*(m+1))
	at := func(i, j int) *float64 { return &d[i*(m+1)+j] }
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			best := max(*at(i-1, j), *at(i, j-1))
			if s := w[(i-1)*m+j-1]; s > 0 {
				best = max(best, *at(i-1, j-1)+s)
			}
			*at(i, j) = best
		}
	}
	var rev []link
	i, j := n, m
	for i > 0 || j > 0 {
		switch {
		case i > 0 && j > 0 && w[(i-1)*m+j-1] > 0 && *at(i, j) == *at(i-1, j-1)+w[(i-1)*m+j-1]:
			i, j = i-1, j-1
			rev = append(rev, link{src: i, tr: j})
		case j > 0 && (i == 0 || *at(i, j) == *at(i, j-1)):
			j--
			rev = append(rev, link{src: -1, tr: j})
		default:
			i--
			rev = append(rev, link{src: i, tr: -1})
		}
	}
	for l, r := 0, len(rev)-1; l < r; l, r = l+1, r-1 {
		rev[l], rev[r] = rev[r], rev[l]
	}
	return rev
}

// alignSame pairs only steps with the same code, in both pages' order
// (difflib's longest matching blocks): the alignment of pages too large
// to score every pair of steps.
func alignSame(src, tr []step) []link {
	a, b := make([]string, len(src)), make([]string, len(tr))
	for i := range src {
		a[i] = src[i].key
	}
	for j := range tr {
		b[j] = tr[j].key
	}
	var links []link
	i, j := 0, 0
	for _, mb := range difflib.NewMatcherWithJunk(a, b, false, nil).GetMatchingBlocks() {
		for ; i < mb.A; i++ {
			links = append(links, link{src: i, tr: -1})
		}
		for ; j < mb.B; j++ {
			links = append(links, link{src: -1, tr: j})
		}
		for k := 0; k < mb.Size; k++ {
			links = append(links, link{src: i, tr: j})
			i, j = i+1, j+1
		}
	}
	return links
}

// movedThreshold is the least similarity of a moved pair whose code
// changed too.
const movedThreshold = 0.9

// pairMoved pairs a step only in the source with a step only in the
// translation that has the same code, then with one whose code is at least
// movedThreshold alike (the most alike first): the link takes the
// translation step's place.
func pairMoved(links []link, src, tr []step) []link {
	var onlySrc, onlyTr []int // indices into links
	for k, l := range links {
		switch {
		case l.tr < 0:
			onlySrc = append(onlySrc, k)
		case l.src < 0 && len(tr[l.tr].words) > 0:
			onlyTr = append(onlyTr, k)
		}
	}
	if len(onlySrc) == 0 || len(onlyTr) == 0 || len(onlySrc)*len(onlyTr) > maxCells {
		return links
	}
	drop := map[int]bool{}
	take := func(ks, kt int) {
		links[kt].src, links[kt].moved = links[ks].src, true
		drop[ks] = true
	}
	for _, ks := range onlySrc {
		for _, kt := range onlyTr {
			if !links[kt].moved && src[links[ks].src].key == tr[links[kt].tr].key {
				take(ks, kt)
				break
			}
		}
	}
	type cand struct {
		ks, kt int
		sim    float64
	}
	var cands []cand
	for _, ks := range onlySrc {
		for _, kt := range onlyTr {
			if !drop[ks] && !links[kt].moved {
				if s := similarity(&src[links[ks].src], &tr[links[kt].tr]); s >= movedThreshold {
					cands = append(cands, cand{ks, kt, s})
				}
			}
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].sim > cands[j].sim })
	for _, c := range cands {
		if !drop[c.ks] && !links[c.kt].moved {
			take(c.ks, c.kt)
		}
	}
	out := links[:0]
	for k, l := range links {
		if !drop[k] {
			out = append(out, l)
		}
	}
	return out
}

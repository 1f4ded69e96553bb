package match

import (
	"fmt"
	"strings"
)

const (
	diffContext = 3         // unchanged lines around a change
	maxEditCost = 1000      // largest edit distance Myers' algorithm searches
	maxEqCalls  = 5_000_000 // line comparisons Myers' algorithm may make
)

// op is one step of an edit script from expected (a) to actual (b).
type op struct {
	kind byte // '=' same, '-' only in a, '+' only in b, '~' b lines elided by a `...`
	i, j int  // index in a ('=', '-'), index in b ('=', '+', first of '~')
	n    int  // b lines covered by '~'
}

// unified renders a unified diff of a (expected) and b (actual), capped at
// maxDiffLines lines. eq says whether a[i] and b[j] are the same line.
// gaps, when not nil, has len(a)+1 entries: gaps[i] means an elision
// preceded a[i] (gaps[len(a)]: trailing), and b lines inserted there are
// shown as one "..." context line rather than as additions.
func unified(a []string, gaps []bool, b []string, eq func(i, j int) bool) string {
	ops := script(len(a), len(b), eq)
	if gaps != nil {
		ops = elide(ops, gaps)
	}
	var out strings.Builder
	out.WriteString("--- expected\n+++ actual\n")
	lines := 2
	var ai, bi int // lines of a and b before ops[k]
	pos := make([][2]int, len(ops)+1)
	for k, o := range ops {
		pos[k] = [2]int{ai, bi}
		switch o.kind {
		case '=':
			ai, bi = ai+1, bi+1
		case '-':
			ai++
		case '+':
			bi++
		case '~':
			bi += o.n
		}
	}
	pos[len(ops)] = [2]int{ai, bi}
	changed := func(k int) bool { return ops[k].kind == '-' || ops[k].kind == '+' }
	for k := 0; k < len(ops); {
		if !changed(k) {
			k++
			continue
		}
		// A hunk runs from diffContext ops before the change to
		// diffContext ops after the last change that is closer than
		// 2*diffContext unchanged ops to the previous one.
		start := max(k-diffContext, 0)
		end := k
		for q := k; q < len(ops); q++ {
			if changed(q) {
				end = q
			} else if q-end > 2*diffContext {
				break
			}
		}
		end = min(end+diffContext+1, len(ops))
		as, bs := pos[start][0], pos[start][1]
		an, bn := pos[end][0]-as, pos[end][1]-bs
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(as, an), hunkRange(bs, bn))
		lines++
		for q := start; q < end; q++ {
			if lines >= maxDiffLines {
				fmt.Fprintf(&out, "… (diff truncated at %d lines)\n", maxDiffLines)
				return out.String()
			}
			o := ops[q]
			switch o.kind {
			case '=':
				out.WriteString(" " + shortLine(a[o.i]) + "\n")
			case '-':
				out.WriteString("-" + shortLine(a[o.i]) + "\n")
			case '+':
				out.WriteString("+" + shortLine(b[o.j]) + "\n")
			case '~':
				fmt.Fprintf(&out, " ... (%d %s)\n", o.n, plural(o.n, "line"))
			}
			lines++
		}
		k = end
	}
	return out.String()
}

func hunkRange(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	if n == 1 {
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

// shortLine cuts a diff line that would flood a report (minified JSON,
// certificates) to a few hundred runes.
func shortLine(s string) string {
	const limit = 300
	if len(s) <= limit {
		return s
	}
	r := []rune(s)
	if len(r) <= limit {
		return s
	}
	return string(r[:limit]) + fmt.Sprintf("… (%d more characters)", len(r)-limit)
}

// elide turns additions that sit where a has an elision into '~' ops. In
// a block of changes at an elision, the additions beyond the number of
// removals are taken as the elided lines: the leading ones when the
// elision precedes the block, else the trailing ones when it follows the
// removals.
func elide(ops []op, gaps []bool) []op {
	out := make([]op, 0, len(ops))
	ai := 0
	for k := 0; k < len(ops); {
		if ops[k].kind == '=' {
			out = append(out, ops[k])
			ai++
			k++
			continue
		}
		var dels, ins []op
		for ; k < len(ops) && ops[k].kind != '='; k++ {
			if ops[k].kind == '-' {
				dels = append(dels, ops[k])
			} else {
				ins = append(ins, ops[k])
			}
		}
		extra := len(ins) - len(dels)
		switch {
		case extra > 0 && gaps[ai]:
			out = append(out, op{kind: '~', j: ins[0].j, n: extra})
			out = append(out, dels...)
			out = append(out, ins[extra:]...)
		case extra > 0 && gaps[ai+len(dels)]:
			out = append(out, dels...)
			out = append(out, ins[:len(dels)]...)
			out = append(out, op{kind: '~', j: ins[len(dels)].j, n: extra})
		default:
			out = append(out, dels...)
			out = append(out, ins...)
		}
		ai += len(dels)
	}
	return out
}

// script returns an edit script from n lines of a to m lines of b: a
// shortest one (Myers' O((n+m)·d) algorithm on what remains after the
// common prefix and suffix), or, when the outputs are too far apart for
// that to be cheap, all remaining a lines removed and b lines added.
func script(n, m int, eq func(i, j int) bool) []op {
	var pre []op
	p := 0
	for p < n && p < m && eq(p, p) {
		pre = append(pre, op{kind: '=', i: p, j: p})
		p++
	}
	s := 0
	for s < n-p && s < m-p && eq(n-1-s, m-1-s) {
		s++
	}
	an, bm := n-p-s, m-p-s
	shifted := func(i, j int) bool { return eq(p+i, p+j) }
	mid, ok := myers(an, bm, shifted)
	if !ok {
		mid = mid[:0]
		for i := 0; i < an; i++ {
			mid = append(mid, op{kind: '-', i: i})
		}
		for j := 0; j < bm; j++ {
			mid = append(mid, op{kind: '+', j: j})
		}
	}
	out := pre
	for _, o := range mid {
		o.i += p
		o.j += p
		out = append(out, o)
	}
	for k := 0; k < s; k++ {
		out = append(out, op{kind: '=', i: n - s + k, j: m - s + k})
	}
	return out
}

// myers finds a shortest edit script with Myers' greedy algorithm. eq may
// be any relation (it need not be transitive): following a diagonal
// whenever a[x] ~ b[y] is still optimal. It gives up (ok false) past
// maxEditCost edits or maxEqCalls comparisons.
func myers(n, m int, eq func(i, j int) bool) (ops []op, ok bool) {
	if n == 0 || m == 0 {
		for i := 0; i < n; i++ {
			ops = append(ops, op{kind: '-', i: i})
		}
		for j := 0; j < m; j++ {
			ops = append(ops, op{kind: '+', j: j})
		}
		return ops, true
	}
	maxD := min(n+m, maxEditCost)
	if n-m > maxD || m-n > maxD {
		return nil, false
	}
	calls := 0
	off := maxD + 1
	v := make([]int, 2*maxD+3)
	var trace [][]int
	for d := 0; d <= maxD; d++ {
		snap := make([]int, 2*d+1)
		copy(snap, v[off-d:off+d+1])
		trace = append(trace, snap)
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m {
				calls++
				if calls > maxEqCalls {
					return nil, false
				}
				if !eq(x, y) {
					break
				}
				x, y = x+1, y+1
			}
			v[off+k] = x
			if x >= n && y >= m {
				return backtrack(trace, n, m), true
			}
		}
	}
	return nil, false
}

// backtrack walks the saved frontier of each edit distance d back from
// (n, m) to (0, 0) and returns the edit script in order.
func backtrack(trace [][]int, n, m int) []op {
	var rev []op
	x, y := n, m
	for d := len(trace) - 1; d >= 0; d-- {
		if d == 0 {
			for x > 0 && y > 0 {
				x, y = x-1, y-1
				rev = append(rev, op{kind: '=', i: x, j: y})
			}
			break
		}
		vd := trace[d]
		get := func(k int) int { return vd[k+d] }
		k := x - y
		var pk int
		if k == -d || (k != d && get(k-1) < get(k+1)) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := get(pk)
		py := px - pk
		for x > px && y > py {
			x, y = x-1, y-1
			rev = append(rev, op{kind: '=', i: x, j: y})
		}
		if x == px {
			rev = append(rev, op{kind: '+', j: y - 1})
		} else {
			rev = append(rev, op{kind: '-', i: x - 1})
		}
		x, y = px, py
	}
	for l, r := 0, len(rev)-1; l < r; l, r = l+1, r-1 {
		rev[l], rev[r] = rev[r], rev[l]
	}
	return rev
}

// plural returns word, with an s unless n is 1.
func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

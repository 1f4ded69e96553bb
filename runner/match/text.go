package match

import (
	"regexp"
)

// maxLineCompares bounds the line comparisons of an elision match.
const maxLineCompares = 4_000_000

// prepared holds the comparison forms of a block's lines: whitespace
// collapsed, volatile tokens masked (interned as ids so that comparing
// two lines is an integer comparison), and for expected lines the
// wildcard pattern and whether the line is an elision.
type prepared struct {
	raw   []string
	norm  []string
	id    []int
	pat   []*regexp.Regexp
	elide []bool
	masks []string
}

// interner gives equal masked lines equal ids across both blocks.
type interner map[string]int

func (in interner) id(s string) int {
	if v, ok := in[s]; ok {
		return v
	}
	v := len(in)
	in[s] = v
	return v
}

func prepare(lines []string, expected bool, in interner, alike names) *prepared {
	p := &prepared{
		raw:   lines,
		norm:  make([]string, len(lines)),
		id:    make([]int, len(lines)),
		masks: make([]string, len(lines)),
	}
	if expected {
		p.pat = make([]*regexp.Regexp, len(lines))
		p.elide = make([]bool, len(lines))
	}
	for i, l := range lines {
		p.norm[i] = collapse(l)
		p.masks[i] = mask(alike.same(p.norm[i]))
		p.id[i] = in.id(p.masks[i])
		if expected {
			p.elide[i] = isElision(l)
			if !p.elide[i] {
				p.pat[i] = wildcard(p.masks[i], `\S+`)
			}
		}
	}
	return p
}

// similar reports whether expected line i and actual line j are the same
// line up to whitespace, volatile tokens and wildcards.
func similar(e *prepared, i int, a *prepared, j int) bool {
	if e.id[i] == a.id[j] {
		return true
	}
	if re := e.pat[i]; re != nil {
		return e.norm[i] == a.norm[j] || re.MatchString(a.masks[j]) || re.MatchString(a.norm[j])
	}
	return false
}

// globLines matches expected lines against actual lines, where an elision
// line in expected stands for any number of actual lines, and returns the
// matched pairs. Segments between elisions are placed leftmost-first,
// which finds a match whenever one exists (as for `*` in glob patterns);
// the first segment is anchored at the start and the last at the end
// unless an elision precedes or follows them.
func globLines(e, a *prepared) (pairs [][2]int, elided bool, ok bool) {
	type seg struct{ lo, hi int }
	var segs []seg
	lo := 0
	for i := 0; i <= len(e.raw); i++ {
		if i == len(e.raw) || e.elide[i] {
			if i > lo {
				segs = append(segs, seg{lo, i})
			}
			lo = i + 1
		}
	}
	n := len(e.raw)
	startAnchored := n > 0 && !e.elide[0]
	endAnchored := n > 0 && !e.elide[n-1]
	elided = len(segs) != 1 || !startAnchored || !endAnchored
	budget := maxLineCompares
	matchAt := func(s seg, p int) bool {
		if p < 0 || p+s.hi-s.lo > len(a.raw) {
			return false
		}
		for k := s.lo; k < s.hi; k++ {
			budget--
			if budget < 0 || !similar(e, k, a, p+k-s.lo) {
				return false
			}
		}
		return true
	}
	pos := 0
	for si, s := range segs {
		size := s.hi - s.lo
		first := si == 0 && startAnchored
		last := si == len(segs)-1 && endAnchored
		at := -1
		switch {
		case first && last:
			if len(a.raw) == size && matchAt(s, 0) {
				at = 0
			}
		case first:
			if matchAt(s, 0) {
				at = 0
			}
		case last:
			if p := len(a.raw) - size; p >= pos && matchAt(s, p) {
				at = p
			}
		default:
			for p := pos; p+size <= len(a.raw) && budget >= 0; p++ {
				if matchAt(s, p) {
					at = p
					break
				}
			}
		}
		if at < 0 {
			return nil, elided, false
		}
		for k := s.lo; k < s.hi; k++ {
			pairs = append(pairs, [2]int{k, at + k - s.lo})
		}
		pos = at + size
	}
	return pairs, elided, true
}

// compareText compares plain text line by line. Lines equal after
// collapsing whitespace, masking volatile tokens (IPs, ports, uids, hex
// hashes, timestamps, ages, generated name suffixes, numbers, kubectl's
// created/configured/unchanged) and expanding wildcards (`...` inside a
// line, `<placeholder>` tokens) are the same line; a line `...` elides
// any number of lines. All lines the same ⇒ Similar, listing the lines
// that differ; else Differs with a unified diff. Warning lines in actual
// (stderr passed along) are left out when that makes the rest match and
// expected shows none.
func compareText(exp, act []string, alike names) Result {
	in := interner{}
	e := prepare(exp, true, in, alike)
	a := prepare(act, false, in, alike)
	var ns notes
	ok := textMatch(e, a, &ns)
	if !ok {
		if rest, warns := splitWarnings(exp, act); warns != nil {
			for _, w := range warns {
				ns.add("+%s", shorten(collapse(w)))
			}
			ok = textMatch(e, prepare(rest, false, in, alike), &ns)
		}
	}
	if !ok {
		return Result{Verdict: Differs, Format: FormatText, Diff: textDiff(e, a)}
	}
	return Result{Verdict: Similar, Format: FormatText, Diff: ns.String()}
}

// textMatch matches prepared lines and adds the differences to ns.
func textMatch(e, a *prepared, ns *notes) bool {
	pairs, elided, ok := globLines(e, a)
	if !ok {
		return false
	}
	n := len(ns.list)
	for _, p := range pairs {
		if e.norm[p[0]] != a.norm[p[1]] {
			ns.add("%s -> %s", shorten(e.norm[p[0]]), shorten(a.norm[p[1]]))
		}
	}
	switch {
	case len(ns.list) > n:
	case elided:
		ns.add("%d expected lines match; `...` stands for %d actual lines", len(pairs), len(a.raw)-len(pairs))
	case n == 0:
		ns.add("whitespace differs")
	}
	return true
}

// warning matches the lines a command writes to stderr beside its
// output: kubectl's "Warning: ..." and klog lines ("W0502 10:00:00.1 ...").
var warning = regexp.MustCompile(`^(?:Warning: |[IWE]\d{4} \d{2}:\d{2}:\d{2})`)

// splitWarnings separates actual's warning lines from the rest; warns is
// nil when there are none or when expected shows warnings itself.
func splitWarnings(exp, act []string) (rest, warns []string) {
	for _, l := range exp {
		if warning.MatchString(l) {
			return act, nil
		}
	}
	for _, l := range act {
		if warning.MatchString(l) {
			warns = append(warns, l)
		} else {
			rest = append(rest, l)
		}
	}
	return rest, warns
}

// textDiff renders a unified diff of prepared expected and actual lines:
// lines that are similar count as unchanged, and actual lines inserted
// where expected has an elision are shown as one `...` context line.
func textDiff(e, a *prepared) string {
	var keep []int
	var gaps []bool
	gap := false
	for i := range e.raw {
		if e.elide[i] {
			gap = true
			continue
		}
		keep = append(keep, i)
		gaps = append(gaps, gap)
		gap = false
	}
	gaps = append(gaps, gap)
	lines := make([]string, len(keep))
	for k, i := range keep {
		lines[k] = e.raw[i]
	}
	eq := func(i, j int) bool { return similar(e, keep[i], a, j) }
	return unified(lines, gaps, a.raw, eq)
}

// diffWithReasons puts the shape differences (at most maxNotes) above a
// unified diff of the two texts.
func diffWithReasons(reasons []string, exp, act []string, alike names) string {
	in := interner{}
	d := textDiff(prepare(exp, true, in, alike), prepare(act, false, in, alike))
	var ns notes
	for _, r := range reasons {
		ns.add("%s", r)
	}
	return ns.String() + "\n" + d
}

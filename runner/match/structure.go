package match

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

const (
	maxTreeWork   = 2_000_000 // node comparisons of one Compare
	maxCandidates = 8         // expected list elements tried for one actual element
	maxExcerpts   = 100       // actual subtrees tried as the place of an excerpt
)

// volatileKeys may be missing from actual without changing the shape:
// fields the API server fills in or drops depending on the object's
// state and version (selfLink went in 1.20), not what a page teaches.
// Anything under status, annotations or managedFields is volatile too.
var volatileKeys = map[string]bool{
	"status": true, "managedFields": true, "annotations": true,
	"uid": true, "resourceVersion": true, "creationTimestamp": true,
	"generation": true, "selfLink": true, "deletionTimestamp": true,
	"deletionGracePeriodSeconds": true, "ownerReferences": true,
	"finalizers": true, "nodeName": true, "clusterIP": true,
	"clusterIPs": true, "nodePort": true, "hostIP": true, "hostIPs": true,
	"podIP": true, "podIPs": true, "startTime": true, "containerID": true,
	"imageID": true, "lastTransitionTime": true, "lastProbeTime": true,
}

// treeCmp compares two trees and records what differs.
//
// The rules: expected keys missing from actual are shape differences
// (problems), unless volatile; keys only in actual are allowed (APIs add
// fields, pages show a subset) and listed; a change of type (string to
// number, mapping to list) is a problem, except to or from null; a
// different scalar value is instance data, listed. A list in expected is
// an example: actual may have more or fewer elements, each compared with
// the expected element at its position, or, when that differs in shape,
// with the first other expected element that does not, so that a list
// of pods matches a page showing one pod. An empty list where expected has elements is a problem, as a
// table without rows is ("items": [] means the objects are not there),
// unless the list is volatile (status.conditions).
type treeCmp struct {
	problems []string
	values   []string // changed values, other than in volatile tokens
	volatile []string // changed values that mask alike: IPs, uids, times
	missing  []string // tolerated missing keys
	extras   []string
	budget   *int
	pats     map[string]*regexp.Regexp
}

func (c *treeCmp) child() *treeCmp {
	return &treeCmp{budget: c.budget, pats: c.pats}
}

func (c *treeCmp) merge(o *treeCmp) {
	c.problems = appendCapped(c.problems, o.problems...)
	c.values = appendCapped(c.values, o.values...)
	c.volatile = appendCapped(c.volatile, o.volatile...)
	c.missing = appendCapped(c.missing, o.missing...)
	c.extras = appendCapped(c.extras, o.extras...)
}

// appendCapped appends while the list stays short enough to report.
func appendCapped(list []string, items ...string) []string {
	for _, s := range items {
		if len(list) > 10*maxNotes {
			break
		}
		list = append(list, s)
	}
	return list
}

func join(path, key string) string {
	if strings.ContainsAny(key, ". []\"") || key == "" {
		key = strconv.Quote(key)
		return path + "[" + key + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

func volatilePath(path, key string) bool {
	if volatileKeys[key] {
		return true
	}
	for _, p := range []string{"status", "annotations", "managedFields"} {
		if path == p || strings.HasPrefix(path, p+".") || strings.HasPrefix(path, p+"[") ||
			strings.Contains(path, "."+p+".") || strings.Contains(path, "."+p+"[") || strings.HasSuffix(path, "."+p) {
			return true
		}
	}
	return false
}

func (c *treeCmp) compare(path string, e, a *node) {
	*c.budget--
	if *c.budget < 0 {
		return
	}
	show := path
	if show == "" {
		show = "(root)"
	}
	if e.kind == kString && a.scalar() && c.pattern(e.value) != nil && c.scalarEqual(e.value, a.value) {
		return
	}
	if e.kind != a.kind {
		if e.kind == kNull || a.kind == kNull || (e.scalar() && a.scalar() && c.pattern(e.value) != nil) {
			c.values = appendCapped(c.values, fmt.Sprintf("%s: %s -> %s", show, e.text(), a.text()))
			return
		}
		c.problems = appendCapped(c.problems, fmt.Sprintf("type changed: %s: %s -> %s", show, e.kind, a.kind))
		return
	}
	switch e.kind {
	case kMap:
		idx := make(map[string]int, len(a.keys))
		for i := len(a.keys) - 1; i >= 0; i-- {
			idx[a.keys[i]] = i
		}
		seen := make(map[string]bool, len(e.keys))
		for i, k := range e.keys {
			seen[k] = true
			p := join(path, k)
			j, ok := idx[k]
			switch {
			case ok:
				c.compare(p, e.kids[i], a.kids[j])
			case volatilePath(path, k):
				c.missing = appendCapped(c.missing, "-"+p)
			default:
				c.problems = appendCapped(c.problems, "missing in actual: "+p)
			}
		}
		for j, k := range a.keys {
			if !seen[k] {
				c.extras = appendCapped(c.extras, "+"+join(path, k)+": "+a.kids[j].text())
			}
		}
	case kSeq:
		c.compareList(path, show, e, a)
	default:
		if !c.scalarEqual(e.value, a.value) && !(e.kind == kNumber && numEqual(e.value, a.value)) {
			note := fmt.Sprintf("%s: %s -> %s", show, e.text(), a.text())
			if mask(collapse(e.value)) == mask(collapse(a.value)) {
				c.volatile = appendCapped(c.volatile, note)
			} else {
				c.values = appendCapped(c.values, note)
			}
		}
	}
}

// lastKey finds the last key of a path.
var lastKey = regexp.MustCompile(`[A-Za-z0-9_-]+$`)

func (c *treeCmp) compareList(path, show string, e, a *node) {
	if len(e.kids) > 0 && len(a.kids) == 0 && !volatilePath(path, lastKey.FindString(path)) {
		c.problems = appendCapped(c.problems, fmt.Sprintf("empty in actual: %s (expected %d %s)", show, len(e.kids), plural(len(e.kids), "item")))
		return
	}
	if len(e.kids) != len(a.kids) {
		c.values = appendCapped(c.values, fmt.Sprintf("%s: %d -> %d items", show, len(e.kids), len(a.kids)))
	}
	if len(e.kids) == 0 {
		return
	}
	for j, ak := range a.kids {
		if *c.budget < 0 {
			return
		}
		var cands []int
		if j < len(e.kids) {
			cands = append(cands, j)
		}
		for i := 0; i < len(e.kids) && len(cands) < maxCandidates; i++ {
			if i != j {
				cands = append(cands, i)
			}
		}
		var first *treeCmp
		for n, i := range cands {
			sub := c.child()
			sub.compare(fmt.Sprintf("%s[%d]", path, j), e.kids[i], ak)
			if len(sub.problems) == 0 {
				first = sub
				break
			}
			if n == 0 {
				first = sub
			}
		}
		c.merge(first)
	}
}

// pattern is the wildcard pattern of an expected scalar, cached.
func (c *treeCmp) pattern(s string) *regexp.Regexp {
	if re, ok := c.pats[s]; ok {
		return re
	}
	re := wildcard(s, `\S+`)
	c.pats[s] = re
	return re
}

func (c *treeCmp) scalarEqual(e, a string) bool {
	if e == a {
		return true
	}
	re := c.pattern(e)
	return re != nil && re.MatchString(a)
}

func numEqual(a, b string) bool {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	return err1 == nil && err2 == nil && x == y
}

// compareTree compares an expected JSON or YAML tree with actual output
// parsed the same way; ok is false when actual does not parse.
//
// When the whole documents differ in shape and expected is an excerpt
// (a page showing only the `containers:` part of `kubectl get pod -o
// yaml`), the subtree of actual that best fits is compared instead: a
// mapping holding expected's first key, or a list when expected is one.
func compareTree(d detected, exp, act []string, alike names) (Result, bool) {
	var a *node
	var skipped []string
	var err error
	if d.format == FormatJSON {
		a, skipped, err = parseActualJSON(act)
	} else {
		a, err = parseYAML(strings.Join(act, "\n"))
		if rest, warns := splitWarnings(exp, act); err != nil && warns != nil {
			a, err = parseYAML(strings.Join(rest, "\n"))
			skipped = warns
		}
	}
	if err != nil || a == nil {
		return Result{}, false
	}
	budget := maxTreeWork
	c := &treeCmp{budget: &budget, pats: map[string]*regexp.Regexp{}}
	c.compare("", d.tree, a)
	at := ""
	if len(c.problems) > 0 {
		if p, best := excerpt(c, d.tree, a); best != nil && (len(best.problems) == 0 || noKeyFound(d.tree, a)) {
			c, at = best, p
		}
	}
	if len(c.problems) > 0 {
		reasons := c.problems
		if at != "" {
			reasons = append([]string{"expected is an excerpt, compared with " + at}, reasons...)
		}
		return Result{Verdict: Differs, Format: d.format, Diff: diffWithReasons(reasons, exp, act, alike)}, true
	}
	var ns notes
	if at != "" {
		ns.add("expected is an excerpt, compared with %s", at)
	}
	for _, s := range skipped {
		ns.add("+%s", shorten(s))
	}
	lists := [][]string{c.values, c.volatile, c.missing, c.extras}
	if at != "" {
		// The rest of the document is there by definition.
		lists = lists[:3]
	}
	for _, list := range lists {
		for _, s := range list {
			ns.add("%s", s)
		}
	}
	if budget < 0 {
		ns.add("output too large: compared in part")
	}
	if len(ns.list) == 0 {
		ns.add("same data, formatted differently")
	}
	return Result{Verdict: Similar, Format: d.format, Diff: ns.String()}, true
}

// excerpt finds the subtree of a that expected e fits best: the fewest
// problems, then the fewest listed differences.
func excerpt(root *treeCmp, e, a *node) (string, *treeCmp) {
	if e.kind != kMap && e.kind != kSeq {
		return "", nil
	}
	type cand struct {
		path string
		n    *node
	}
	var cands []cand
	walked := 0
	var walk func(path string, n *node)
	walk = func(path string, n *node) {
		walked++
		if walked > maxTreeWork/10 || len(cands) >= maxExcerpts {
			return
		}
		if path != "" && n.kind == e.kind {
			if e.kind == kSeq || (len(e.keys) > 0 && hasKey(n, e.keys[0])) {
				cands = append(cands, cand{path, n})
			}
		}
		for i, k := range n.kids {
			if n.kind == kMap {
				walk(join(path, n.keys[i]), k)
			} else {
				walk(fmt.Sprintf("%s[%d]", path, i), k)
			}
		}
	}
	walk("", a)
	var best *treeCmp
	bestPath := ""
	score := func(c *treeCmp) [2]int {
		return [2]int{len(c.problems), len(c.values) + len(c.missing)}
	}
	for _, cd := range cands {
		c := root.child()
		c.compare(cd.path, e, cd.n)
		if s := score(c); best == nil || s[0] < score(best)[0] || (s[0] == score(best)[0] && s[1] < score(best)[1]) {
			best, bestPath = c, cd.path
		}
	}
	return bestPath, best
}

// noKeyFound reports whether none of expected's top-level keys is at the
// top of actual: expected is then an excerpt even if no part fits.
func noKeyFound(e, a *node) bool {
	if e.kind != kMap || a.kind != kMap {
		return false
	}
	for _, k := range e.keys {
		if hasKey(a, k) {
			return false
		}
	}
	return true
}

func hasKey(n *node, k string) bool {
	for _, x := range n.keys {
		if x == k {
			return true
		}
	}
	return false
}

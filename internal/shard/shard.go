// Package shard splits a run's page list into N parts of about the same
// cost, the same way on every machine, so that N runners (a CI matrix, the
// pods of an Indexed Job) each run one part and every page runs once.
package shard

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Spec is the K-th of N parts, K counted from 1 as test runners name it
// (--shard 2/4).
type Spec struct{ K, N int }

// Parse reads "K/N". Errors are one line for a usage message.
func Parse(s string) (Spec, error) {
	k, n, ok := strings.Cut(s, "/")
	ki, err1 := strconv.Atoi(strings.TrimSpace(k))
	ni, err2 := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err1 != nil || err2 != nil {
		return Spec{}, fmt.Errorf("--shard %q: want K/N, as 2/4", s)
	}
	if ni < 1 || ki < 1 || ki > ni {
		return Spec{}, fmt.Errorf("--shard %q: want 1 <= K <= N", s)
	}
	return Spec{K: ki, N: ni}, nil
}

// String is "K/N".
func (s Spec) String() string { return fmt.Sprintf("%d/%d", s.K, s.N) }

// Split assigns each of the pages, weighted by cost (a page's step count,
// or its duration in a previous run), to one of n parts and returns the
// indexes of each part's pages in the order of the list. Pages are placed
// from the heaviest down (ties by their place in the list), each in the
// part with the least cost so far (ties: the lowest part): the same list
// and weights always give the same parts. A part may be empty when n is
// larger than the number of pages.
func Split(weights []int64, n int) [][]int {
	parts := make([][]int, n)
	if n < 1 {
		return parts
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return weights[order[a]] > weights[order[b]] })
	cost := make([]int64, n)
	for _, i := range order {
		best := 0
		for p := 1; p < n; p++ {
			if cost[p] < cost[best] {
				best = p
			}
		}
		parts[best] = append(parts[best], i)
		cost[best] += max(weights[i], 1)
	}
	for _, p := range parts {
		sort.Ints(p)
	}
	return parts
}

// Select returns the pages of part s of pages, weighted as in Split.
func Select(pages []string, weights []int64, s Spec) []string {
	var out []string
	for _, i := range Split(weights, s.N)[s.K-1] {
		out = append(out, pages[i])
	}
	return out
}

// Durations are the weights of pages by a previous run's durations (ms,
// by path). A page the previous run did not have weighs the mean of those
// it had, so a new page does not all land in one part; without any known
// duration every page weighs 1.
func Durations(pages []string, ms map[string]int64) []int64 {
	var sum, known int64
	for _, p := range pages {
		if d, ok := ms[p]; ok {
			sum += d
			known++
		}
	}
	mean := int64(1)
	if known > 0 {
		mean = max(sum/known, 1)
	}
	w := make([]int64, len(pages))
	for i, p := range pages {
		if d, ok := ms[p]; ok {
			w[i] = max(d, 1)
		} else {
			w[i] = mean
		}
	}
	return w
}

package shard

import (
	"fmt"
	"slices"
	"testing"
)

// TestSplitCovers checks that the parts of a list, for several N (more
// parts than pages included), hold every page exactly once, in list order
// within a part, and that the split is the same when made again.
func TestSplitCovers(t *testing.T) {
	lists := map[string][]int64{
		"empty":   {},
		"one":     {5},
		"equal":   {1, 1, 1, 1, 1, 1, 1},
		"uneven":  {40, 1, 1, 3, 12, 7, 7, 0, 2, 30, 5},
		"zeroes":  {0, 0, 0},
		"decades": {10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120},
	}
	for name, w := range lists {
		for _, n := range []int{1, 2, 3, 4, 7, 20} {
			t.Run(fmt.Sprintf("%s/%d", name, n), func(t *testing.T) {
				parts := Split(w, n)
				if len(parts) != n {
					t.Fatalf("%d parts, want %d", len(parts), n)
				}
				seen := make([]int, len(w))
				for _, p := range parts {
					if !slices.IsSorted(p) {
						t.Errorf("part %v is not in list order", p)
					}
					for _, i := range p {
						seen[i]++
					}
				}
				for i, c := range seen {
					if c != 1 {
						t.Errorf("page %d is in %d parts", i, c)
					}
				}
				if again := Split(w, n); fmt.Sprint(again) != fmt.Sprint(parts) {
					t.Errorf("split again %v, first %v", again, parts)
				}
			})
		}
	}
}

// TestSplitBalances checks the parts' costs on lists whose best split is
// known.
func TestSplitBalances(t *testing.T) {
	tests := []struct {
		w    []int64
		n    int
		want string
	}{
		{[]int64{1, 1, 1, 1}, 2, "[[0 2] [1 3]]"},
		{[]int64{10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 2, "[[0] [1 2 3 4 5 6 7 8 9 10]]"},
		{[]int64{6, 3, 3}, 2, "[[0] [1 2]]"},
		{[]int64{5, 4, 3}, 5, "[[0] [1] [2] [] []]"},
	}
	for _, tc := range tests {
		if got := fmt.Sprint(Split(tc.w, tc.n)); got != tc.want {
			t.Errorf("Split(%v, %d) = %s, want %s", tc.w, tc.n, got, tc.want)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Spec
		err  bool
	}{
		{"1/1", Spec{1, 1}, false},
		{"2/4", Spec{2, 4}, false},
		{"0/4", Spec{}, true},
		{"5/4", Spec{}, true},
		{"2", Spec{}, true},
		{"a/b", Spec{}, true},
		{"1/0", Spec{}, true},
	}
	for _, tc := range tests {
		got, err := Parse(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("Parse(%q) = %v, %v", tc.in, got, err)
		}
	}
}

func TestDurations(t *testing.T) {
	got := Durations([]string{"a", "b", "new"}, map[string]int64{"a": 1000, "b": 3000, "gone": 9})
	if fmt.Sprint(got) != "[1000 3000 2000]" {
		t.Errorf("Durations = %v", got)
	}
	if got := Durations([]string{"x", "y"}, nil); fmt.Sprint(got) != "[1 1]" {
		t.Errorf("Durations without a previous run = %v", got)
	}
}

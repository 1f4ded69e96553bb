package runner

import "testing"

func TestFoundDifferences(t *testing.T) {
	cases := []struct {
		code string
		exit int
		ok   bool
	}{
		{"kubectl diff -f app.yaml", 1, true},
		{"kubectl -n x diff -k .", 1, true},
		{"kubectl diff -f app.yaml", 2, false},
		{"kubectl apply -f app.yaml", 1, false},
		{"diff -u a b", 1, true},
		{"/usr/bin/cmp a b", 1, true},
		{"kubectl diff -f app.yaml\necho done", 1, false},
		{"kubectl diff -f app.yaml &", 1, false},
		{"grep x file", 1, false},
	}
	for _, c := range cases {
		if got := foundDifferences(c.code, c.exit) != ""; got != c.ok {
			t.Errorf("%q exit %d: %v, want %v", c.code, c.exit, got, c.ok)
		}
	}
}

package redact_test

import (
	"strings"
	"testing"

	"github.com/docrun/docrun/runner/redact"
	"github.com/docrun/docrun/runner/redact/redacttest"
)

func known(c *redacttest.Case) *redact.Redactor {
	r := redact.New()
	r.Add(c.Known...)
	return r
}

// TestCorpus redacts each case of testdata/ at once and checks the result
// against its want files (-update rewrites them), its secrets (gone) and
// kept texts (still there); then it writes the case to a Stream in every
// way of redacttest.Ways, a byte at a time among them, and checks that the
// Stream's output is the same.
func TestCorpus(t *testing.T) {
	for _, c := range redacttest.Load(t) {
		t.Run(c.Name, func(t *testing.T) {
			want := c.Redact(known(c))
			if got := known(c).String(c.Text()); got != want.Merged {
				t.Errorf("String and a Stream differ:\n%q\n%q", got, want.Merged)
			}
			checkGolden(t, c, want)
			for _, s := range c.Secrets {
				if strings.Contains(want.Stdout, s) || strings.Contains(want.Stderr, s) {
					t.Errorf("secret %q shows:\n%s%s", s, want.Stdout, want.Stderr)
				}
			}
			for _, k := range c.Kept {
				if !strings.Contains(want.Merged, k) {
					t.Errorf("%q is missing:\n%s", k, want.Merged)
				}
			}
			if again := known(c).String(want.Merged); again != want.Merged {
				t.Errorf("a second pass changes the text:\n%s\n%s", want.Merged, again)
			}
			for _, way := range redacttest.Ways {
				var out, errs, merged strings.Builder
				r := known(c)
				two, one := r.Clone().NewStream(&out, &errs), r.NewStream(&merged)
				c.Play(way, func(src int, p []byte) {
					two.Source(src).Write(p)
					one.Write(p)
				})
				two.Flush()
				one.Flush()
				if got := (redacttest.Want{Stdout: out.String(), Stderr: errs.String(), Merged: merged.String()}); got != want {
					t.Errorf("written %s: %q, want %q", way, got, want)
				}
			}
		})
	}
}

func checkGolden(t *testing.T, c *redacttest.Case, want redacttest.Want) {
	if len(c.Pieces) > 1 {
		c.Check(t, map[string]string{"want.out": want.Stdout, "want.err": want.Stderr})
	} else {
		c.Check(t, map[string]string{"want": want.Merged})
	}
}

package match

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"
)

// FuzzCompare checks that no input makes Compare panic (it recovers,
// and would report "comparison failed"), that results are consistent,
// and that a block compared with its own normalised text is a Match.
func FuzzCompare(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.txtar")
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			continue
		}
		var exp, act string
		for _, fl := range ar.Files {
			switch fl.Name {
			case "expected":
				exp = string(fl.Data)
			case "actual":
				act = string(fl.Data)
			}
		}
		f.Add(exp, act, "", uint8(0))
	}
	f.Add("{\"a\": [1, {\"b\": null}]}", "{\"a\": [2, {\"b\": \"x\"}, 3]}", "json", uint8(0))
	f.Add("a: &x [1, 2]\nb: *x\n", "a: [1]\nb: [2]\n", "yaml", uint8(0))
	f.Add("NAME   READY\n...\nweb    1/1\n", "NAME  READY\n", "", uint8(1))
	f.Add("$ ls\n<file>...\n…\n", "\x1b[31mx\r\ny", "console", uint8(2))
	f.Add("namespace: default\n", "namespace: docrun-x7k2p\n", "", uint8(5))
	modes := []Mode{ModeSimilar, ModeExact, ModeIgnore, "other"}
	f.Fuzz(func(t *testing.T, exp, act, lang string, m uint8) {
		mode := modes[int(m)%len(modes)]
		done := make(chan Result, 1)
		o := Options{Mode: mode}
		if m&4 != 0 {
			o.Namespaces = []string{"docrun-x7k2p"}
		}
		go func() { done <- CompareWith(exp, act, lang, o) }()
		var r Result
		select {
		case r = <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("Compare(%q, %q, %q, %q) takes more than 10s", exp, act, lang, mode)
		}
		if strings.HasPrefix(r.Diff, "comparison failed") {
			t.Fatalf("Compare panicked: %s", r.Diff)
		}
		switch r.Verdict {
		case None, Match:
			if r.Diff != "" {
				t.Fatalf("%s with a diff: %q", r.Verdict, r.Diff)
			}
		case Similar, Differs:
			if r.Diff == "" || r.Format == "" {
				t.Fatalf("%s without diff or format: %+v", r.Verdict, r)
			}
		default:
			t.Fatalf("verdict %q", r.Verdict)
		}
		if mode == ModeIgnore && r.Verdict != None {
			t.Fatalf("ignore gave %s", r.Verdict)
		}
		if mode == ModeExact && r.Verdict == Similar {
			t.Fatalf("exact gave similar")
		}
		if n := strings.Count(r.Diff, "\n"); n > maxDiffLines+maxNotes+2 {
			t.Fatalf("diff has %d lines", n)
		}
		if mode == ModeIgnore || strings.IndexByte(exp, 0x1b) >= 0 {
			return
		}
		own := strings.Join(expectedLines(exp), "\n")
		if own == "" {
			return
		}
		if r := CompareWith(exp, own, lang, o); r.Verdict != Match {
			t.Fatalf("expected against its own text: %s %s\n%s", r.Verdict, r.Format, r.Diff)
		}
	})
}

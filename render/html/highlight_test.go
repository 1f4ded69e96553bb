package html

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"sync"
	"testing"
)

var tags = regexp.MustCompile(`<[^>]*>`)

// TestHighlightKeepsText checks that highlighting gives back every byte of
// the code, escaped, in every language pages use and in unknown ones.
func TestHighlightKeepsText(t *testing.T) {
	codes := []string{
		"echo \"unterminated $X", "cat <<EOF\nno end", "x=$(", "${", "'", "kubectl get -o jsonpath='{.a}'\n",
		"a: \"b\nc: 'd", "- - x: |\n  y", "{\"a\": [1, -2.5e3, true, null, \"s\\\"\"]}",
		"package main\nfunc main() { x := `raw", "<script>alert(1)</script> & \"q\"", "",
	}
	for _, lang := range []string{"shell", "bash", "console-bash", "zsh", "console", "yaml", "json", "go", "python", "none", "", "no-such-language"} {
		for _, code := range codes {
			var b strings.Builder
			highlightTo(&b, lang, code)
			out := b.String()
			if strings.Contains(out, "<script>") {
				t.Errorf("%s: %q not escaped: %s", lang, code, out)
			}
			// The text, then the newline after </pre>; chroma's lexers
			// may end a last line that has no newline.
			got := html.UnescapeString(tags.ReplaceAllString(out, ""))
			if got != code+"\n" && (strings.HasSuffix(code, "\n") || got != code+"\n\n") {
				t.Errorf("%s: %q came back as %q", lang, code, got)
			}
		}
	}
}

// TestHighlightClasses checks that the languages pages are mostly made of
// get chroma's classes, aliases included, and plain languages none.
func TestHighlightClasses(t *testing.T) {
	for _, tc := range []struct{ lang, code, want string }{
		{"shell", "echo hi # note", `<span class="nb">echo</span>`},
		{"console-bash", "echo hi # note", `<span class="c1"># note</span>`},
		{"yaml", "kind: Pod", `<span class="nt">kind</span>`},
		{"json", `{"a": 1}`, `<span class="nt">&#34;a&#34;</span>`},
		{"go", "package main", `<span class="kn">package</span>`},
		{"none", "echo hi", `<code data-lang="none">echo hi</code>`},
	} {
		var b strings.Builder
		highlightTo(&b, tc.lang, tc.code)
		if !strings.Contains(b.String(), tc.want) {
			t.Errorf("%s %q: got %s, want it to hold %s", tc.lang, tc.code, b.String(), tc.want)
		}
	}
}

// TestHighlightCached checks that a block is lexed once: the second
// highlight of the same language and code comes from the cache, and the
// same code in another language does not.
func TestHighlightCached(t *testing.T) {
	blocks.reset()
	var first, second, other strings.Builder
	highlight(&first, "yaml", "a: b\n")
	if _, ok := blocks.get("yaml\x00a: b\n"); !ok {
		t.Fatal("highlighted block not cached")
	}
	highlight(&second, "yaml", "a: b\n")
	highlight(&other, "shell", "a: b\n")
	if first.String() != second.String() {
		t.Errorf("cached block differs:\n%s\n%s", first.String(), second.String())
	}
	if other.String() == first.String() {
		t.Errorf("shell block came from the yaml one: %s", other.String())
	}
}

// TestBlockCacheBound checks that the cache evicts the least recently used
// entries past its bound and never stores an entry larger than it.
func TestBlockCacheBound(t *testing.T) {
	c := newBlockCache(10)
	c.put("a", "1234")         // 5 bytes
	c.put("b", "1234")         // 10
	c.get("a")                 // a is now the most recent
	c.put("c", "1234")         // 15: b goes
	c.put("huge", "123456789") // over the bound: not stored
	for key, want := range map[string]bool{"a": true, "b": false, "c": true, "huge": false} {
		if _, ok := c.get(key); ok != want {
			t.Errorf("%s cached: %v, want %v", key, ok, want)
		}
	}
	if c.size != 10 {
		t.Errorf("size %d, want 10", c.size)
	}
}

// TestBlockCacheConcurrent uses the cache from many goroutines (run with
// -race).
func TestBlockCacheConcurrent(t *testing.T) {
	c := newBlockCache(200)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				key := fmt.Sprint(i % 37)
				if v, ok := c.get(key); ok && v != "v"+key {
					t.Errorf("%s: got %q", key, v)
				}
				c.put(key, "v"+key)
				if i%50 == g {
					c.reset()
				}
			}
		})
	}
	wg.Wait()
	if c.size > 200 {
		t.Errorf("size %d past the bound", c.size)
	}
}

// TestHighlightConcurrent highlights blocks from many goroutines, as serve
// renders its tabs (run with -race): every one gets its own language's
// HTML.
func TestHighlightConcurrent(t *testing.T) {
	blocks.reset()
	want := map[string]string{}
	for _, lang := range []string{"shell", "yaml", "go", "json", "console"} {
		var b strings.Builder
		highlightTo(&b, lang, "kind: echo {}\n")
		want[lang] = b.String()
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for lang, w := range want {
				var b strings.Builder
				highlight(&b, lang, "kind: echo {}\n")
				if b.String() != w {
					t.Errorf("%s: got %s, want %s", lang, b.String(), w)
				}
			}
		})
	}
	wg.Wait()
}

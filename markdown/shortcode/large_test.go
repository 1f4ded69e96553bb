package shortcode

import (
	"bytes"
	"testing"
	"time"
)

// largeInputs are ~10 MB inputs shaped to trip quadratic scanning: long
// runs of "{{", slashes and spaces inside a tag, unterminated escapes and
// quotes, and plain pages with many tags.
func largeInputs() map[string][]byte {
	const n = 10 << 20
	rep := func(prefix, unit, suffix string) []byte {
		var b bytes.Buffer
		b.WriteString(prefix)
		for b.Len() < n {
			b.WriteString(unit)
		}
		b.WriteString(suffix)
		return b.Bytes()
	}
	return map[string][]byte{
		"braces":            rep("", "{{ ", ""),
		"brace run":         rep("", "{", "<"),
		"slashes in tag":    rep("{{< x ", "a/ / ", ">}}"),
		"spaces after /":    rep("{{< x a/", " ", "b >}}"),
		"unterminated tag":  rep("{{< x ", "a b ", ""),
		"escaped open":      rep("", "{{</* ", ""),
		"unterminated esc":  rep("{{</* ", "*/ >}} ", ""),
		"many tags":         rep("", "{{< note >}}a {{< g t=\"x\" >}}{{< /note >}}\n", ""),
		"deep nesting":      rep("", "{{< a >}}", ""),
		"raw strings":       rep("{{< x ", "`a` ", ">}}"),
		"unterminated raw":  rep("{{< x `", "a ", ""),
		"quoted escapes":    rep("{{< x \"", `\"`, "\" >}}"),
		"many stray closes": rep("{{< a >}}", "{{< b >}}", "{{< /a >}}"),
	}
}

func TestLargeInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs in -short mode")
	}
	for name, src := range largeInputs() {
		start := time.Now()
		items, lerr := Lex(src)
		root, perr := Parse(src)
		// Time is logged below, not asserted (make bench measures the
		// lexer): a loaded machine must not fail the test.
		d := time.Since(start)
		if lerr == nil {
			checkItems(t, src, items)
		}
		if perr == nil {
			checkTree(t, src, root)
		}
		t.Logf("%-18s %8d bytes %7d items %v lex err=%v", name, len(src), len(items), d, lerr != nil)
	}
}

func BenchmarkLexCorpusShape(b *testing.B) {
	src := largeInputs()["many tags"]
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Lex(src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseCorpusShape(b *testing.B) {
	src := largeInputs()["many tags"]
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Parse(src); err != nil {
			b.Fatal(err)
		}
	}
}

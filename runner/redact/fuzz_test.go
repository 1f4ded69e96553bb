package redact

import (
	"strings"
	"testing"
)

// FuzzStream checks the property the live output rests on: text written
// to a Stream in any pieces, from one source or two, comes out as String
// of the whole text (to each sink, what String gives its bytes).
func FuzzStream(f *testing.F) {
	f.Add("apiVersion: v1\ndata:\n  a: YWJjZGVm\nkind: Secret\n", []byte{3, 200, 7})
	f.Add("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nMIIEow\n-----END RSA PRIVATE KEY-----\n", []byte{1, 1, 1, 130})
	f.Add("- value: x1234\n  name: MY_TOKEN\n{\"token\" : \"abcd\"}\n", []byte{5, 133})
	f.Add("Bearer \x1b[1mabcdefgh1234\x1b[0m\nabcdef.0123456789abcdef\n", []byte{2, 9, 140})
	f.Fuzz(func(t *testing.T, text string, cuts []byte) {
		// Each cut byte is a write: its length (low 5 bits, plus one)
		// and its source (high bit).
		type write struct {
			src  int
			text string
		}
		var writes []write
		rest := text
		for i := 0; len(rest) > 0; i++ {
			n, src := len(rest), 0
			if i < len(cuts) {
				n, src = min(int(cuts[i]&31)+1, len(rest)), int(cuts[i]>>7)
			}
			writes = append(writes, write{src, rest[:n]})
			rest = rest[n:]
		}
		known := New()
		known.Add("abcdef.0123", "s3cr3t")
		var one strings.Builder
		st := known.Clone().NewStream(&one)
		var two, whole [2]strings.Builder
		split := known.Clone().NewStream(&two[0], &two[1])
		for _, w := range writes {
			st.Write([]byte(w.text))
			split.Source(w.src).Write([]byte(w.text))
		}
		st.Flush()
		split.Flush()
		if want := known.Clone().String(text); one.String() != want {
			t.Fatalf("stream %q\n  != String %q", one.String(), want)
		}
		// The same writes whole, a source after the other: same parts.
		joined := known.Clone().NewStream(&whole[0], &whole[1])
		for i := 0; i < len(writes); {
			j := i
			var b strings.Builder
			for ; j < len(writes) && writes[j].src == writes[i].src; j++ {
				b.WriteString(writes[j].text)
			}
			joined.Source(writes[i].src).Write([]byte(b.String()))
			i = j
		}
		joined.Flush()
		for i := range two {
			if two[i].String() != whole[i].String() {
				t.Fatalf("source %d: %q != %q", i, two[i].String(), whole[i].String())
			}
		}
	})
}

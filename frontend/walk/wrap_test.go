package walk

import (
	"strings"
	"testing"
)

// ja is prose from a Japanese page: no spaces in the Japanese text, Latin
// words among it, punctuation on either side of brackets.
const ja = "Kubernetesは、コンテナ化されたワークロードやサービスを管理するための、ポータブルで拡張性のあるオープンソースのプラットフォームです。" +
	"Kubernetesは宣言的な構成管理と自動化を促進します。\n\n" +
	"- `kubectl get pods`を実行し、Pod（ポッド）の状態が「Running」であることを確認します。\n" +
	"詳細は、[Podのライフサイクル](/ja/docs/concepts/workloads/pods/pod-lifecycle/)を参照してください。"

func TestDisplayWidth(t *testing.T) {
	for s, want := range map[string]int{
		"":                       0,
		"kubectl":                7,
		"日本語":                    6,
		"Podを作成":                 9,
		"ｱｲｳ":                    3, // halfwidth katakana
		"ＡＢ":                     4, // fullwidth Latin
		"e\u0301":                1, // a combining acute accent
		"\x1b[1;31mred\x1b[0m":   3,
		"\x1b[1m日本\x1b[0m":       4,
		"\u200b":                 0,
		"[Enter] run  [s]kip > ": 22,
		// Grapheme clusters, as uniseg measures them.
		"👩\u200d💻":               2, // an emoji ZWJ sequence
		"👨\u200d👩\u200d👧":        2,
		"❤\ufe0f":                2, // emoji presentation selector
		"🇯🇵":                     2, // a flag
		"日":                      2,
		"\u0301":                 0, // combining marks alone
		"a\u0300\u0301":          1,
		"\x1b[1m👩\u200d💻\x1b[0m": 2,
	} {
		if got := displayWidth(s); got != want {
			t.Errorf("displayWidth(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestWrapCJK(t *testing.T) {
	cases := []struct {
		in    string
		width int
		want  string // "" to check only the invariants
	}{
		// Breaks between CJK characters.
		{"日本語の文章です。", 10, "日本語の文\n章です。\n"},
		// Kinsoku: 。 does not start a line, 「 does not end one, and a
		// small kana stays with the character before it.
		{"あいうえ。かき", 8, "あいう\nえ。かき\n"},
		{"あいう「えお」", 8, "あいう\n「えお」\n"},
		{"設定（オプション）を確認", 10, "設定（オプ\nション）を\n確認\n"},
		// Mixed text: Latin words stay whole, breaks at spaces and between
		// a Latin word and Japanese.
		{"Podを作成します", 10, "Podを作成\nします\n"},
		{"kubectl get pods を実行します。", 12, "kubectl get\npods を実行\nします。\n"},
		{"日本語abcdefghijklmn", 6, "日本語\nabcdef\nghijkl\nmn\n"},
		{"- 日本語の文章", 8, "- 日本語\n  の文章\n"},
		// Zero-width characters and escape sequences take no columns and
		// are not split from their character.
		{"e\u0301e\u0301e\u0301 abc", 3, "e\u0301e\u0301e\u0301\nabc\n"},
		{"\x1b[1m日本語\x1b[0mです", 6, "\x1b[1m日本語\x1b[0m\nです\n"},
		// An emoji ZWJ sequence is one unit of two columns.
		{"👩\u200d💻👩\u200d💻👩\u200d💻", 4, "👩\u200d💻👩\u200d💻\n👩\u200d💻\n"},
		// Latin text as before.
		{"Count the runs. This sentence is long enough to be wrapped at a width of forty columns.", 40,
			"Count the runs. This sentence is long\nenough to be wrapped at a width of forty\ncolumns.\n"},
		{ja, 20, ""},
		{ja, 80, ""},
		{ja, 4, ""},
	}
	for _, c := range cases {
		got := wrap(c.in, c.width)
		if c.want != "" && got != c.want {
			t.Errorf("wrap(%q, %d) = %q, want %q", c.in, c.width, got, c.want)
		}
		checkWrap(t, c.in, c.width, got)
	}
}

// TestWrapJapanese checks that Japanese text fills its lines: no line
// has room for the first piece of the next (after a space, if it was
// broken at one).
func TestWrapJapanese(t *testing.T) {
	for _, width := range []int{20, 80} {
		lines := strings.Split(wrap(strings.Split(ja, "\n")[0], width), "\n")
		for i := 0; i+2 < len(lines); i++ {
			next := segments(strings.Fields(lines[i+1])[0])[0]
			if displayWidth(lines[i])+1+displayWidth(next) <= width {
				t.Errorf("width %d: line %q has room for %q", width, lines[i], next)
			}
		}
	}
}

// checkWrap checks wrap's invariants: no line of out is wider than width,
// and out is in with each paragraph's white space collapsed and newlines
// (and a list item's hanging indent) put in at spaces or between
// characters.
func checkWrap(t *testing.T, in string, width int, out string) {
	t.Helper()
	if !strings.HasSuffix(out, "\n") {
		t.Fatalf("wrap(%q, %d) = %q: no final newline", in, width, out)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	for _, l := range lines {
		if w := displayWidth(l); w > width {
			t.Errorf("wrap(%q, %d): line %q is %d columns wide", in, width, l, w)
		}
	}
	k := 0
	for _, para := range strings.Split(in, "\n") {
		indent := ""
		if strings.HasPrefix(para, "- ") {
			indent = "  "
		}
		rest := strings.Join(strings.FieldsFunc(para, isBreakSpace), " ")
		for first := true; first || rest != ""; first = false {
			if k == len(lines) {
				t.Fatalf("wrap(%q, %d) = %q: %q is missing", in, width, out, rest)
			}
			l := lines[k]
			k++
			if !first && !strings.HasPrefix(l, indent) {
				t.Fatalf("wrap(%q, %d) = %q: line %q lacks the indent", in, width, out, l)
			}
			if !first {
				l = l[len(indent):]
			}
			if l == "" && rest != "" || !strings.HasPrefix(rest, l) {
				t.Fatalf("wrap(%q, %d) = %q: line %q, want the start of %q", in, width, out, l, rest)
			}
			rest = strings.TrimPrefix(rest[len(l):], " ")
		}
	}
	if k != len(lines) {
		t.Fatalf("wrap(%q, %d) = %q: extra lines %q", in, width, out, lines[k:])
	}
}

func FuzzWrap(f *testing.F) {
	f.Add("a b c", uint8(2))
	f.Add("aaaa bbbb cccc\n\n- item one two", uint8(2))
	f.Add(ja, uint8(16))
	f.Add("Podを作成します。「Running」（ポッド）", uint8(6))
	f.Add("\x1b[1m日本語\x1b[0mです e\u0301\u200b", uint8(0))
	f.Fuzz(func(t *testing.T, s string, w uint8) {
		// 4 columns or more: room for a list item's indent and a wide
		// character, the least a line needs.
		width := 4 + int(w)%120
		checkWrap(t, s, width, wrap(s, width))
	})
}

package walk

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
	"golang.org/x/text/width"
)

// Kinsoku (禁則): characters a line may not start with (closing brackets,
// punctuation, the prolonged sound mark, iteration marks and small kana)
// and characters it may not end with (opening brackets). Only breaks next
// to CJK text are affected: Latin text breaks at spaces anyway.
const (
	noBreakBefore = "、。，．・：；？！‐゠–〜～…‥ー々〻ゝゞヽヾ" +
		"）］｝〕〉》」』】〙〗〟’”｠»" +
		"ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ" +
		"｡｣､･ｰｧｨｩｪｫｬｭｮｯ" +
		")]},.:;!?"
	noBreakAfter = "（［｛〔〈《「『【〘〖〝‘“｟«｢([{"
)

// cjk reports whether r is wide or halfwidth East Asian text, which is
// written without spaces, so that a line may break before or after it.
func cjk(r rune) bool {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth, width.EastAsianHalfwidth:
		return true
	}
	return false
}

// escLen is the length of the ANSI CSI escape sequence (ESC [ parameters
// intermediates final, as in "\x1b[1;31m") that s starts with, or 0.
func escLen(s string) int {
	if len(s) < 2 || s[0] != '\x1b' || s[1] != '[' {
		return 0
	}
	i := 2
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x3f {
		i++
	}
	if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
		return i + 1
	}
	return 0
}

// unit measures the first unit of s, the smallest piece a line is never
// broken inside: one grapheme cluster (a character with its combining
// marks, an emoji ZWJ sequence, a flag) with the escape sequences before
// it and the zero-width clusters and escape sequences after it. It
// returns the unit's length in bytes, its width in columns as
// github.com/rivo/uniseg measures it (East Asian Wide and Fullwidth and
// emoji presentation 2, combining marks and control and format characters
// 0) and its first character. Invalid UTF-8 counts a byte at a time.
func unit(s string) (n, w int, r rune) {
	seen := false
	for n < len(s) {
		if k := escLen(s[n:]); k > 0 {
			n += k
			continue
		}
		cluster, _, cw, _ := uniseg.FirstGraphemeClusterInString(s[n:], -1)
		if seen && cw > 0 {
			break
		}
		if !seen {
			r, _ = utf8.DecodeRuneInString(cluster)
			w, seen = cw, true
		}
		n += len(cluster)
	}
	return n, w, r
}

// displayWidth is the number of terminal columns s takes.
func displayWidth(s string) int {
	total := 0
	for s != "" {
		n, w, _ := unit(s)
		total += w
		s = s[n:]
	}
	return total
}

// fit returns the length in bytes and the width in columns of the
// longest start of s, in whole units, that takes at most cols columns; at
// least one unit, so that a line always makes progress.
func fit(s string, cols int) (end, used int) {
	for end < len(s) {
		n, w, _ := unit(s[end:])
		if end > 0 && used+w > cols {
			break
		}
		end, used = end+n, used+w
	}
	return end, used
}

// canBreak reports whether a line may break between the characters a and
// b of a word: only next to CJK text, and not against kinsoku.
func canBreak(a, b rune) bool {
	return (cjk(a) || cjk(b)) &&
		!strings.ContainsRune(noBreakBefore, b) && !strings.ContainsRune(noBreakAfter, a)
}

// segments splits a word (text without spaces) where a line may break in
// it. A Latin word is one segment; "Podを作成します。" is "Pod", "を", "作",
// "成", "し", "ま", "す。".
func segments(word string) []string {
	var segs []string
	start, prev := 0, rune(0)
	for i := 0; i < len(word); {
		n, _, r := unit(word[i:])
		if i > 0 && canBreak(prev, r) {
			segs = append(segs, word[start:i])
			start = i
		}
		prev = r
		i += n
	}
	return append(segs, word[start:])
}

// isBreakSpace reports whether r separates words: white space other than
// the no-break spaces.
func isBreakSpace(r rune) bool {
	return unicode.IsSpace(r) && r != '\u00a0' && r != '\u2007' && r != '\u202f'
}

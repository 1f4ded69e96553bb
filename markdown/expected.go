package markdown

import (
	"regexp"
	"strings"
)

// expected attaches b to the previous step as its expected output when it
// is one, and reports whether it did.
//
// A block is expected output when the sentence before it says so ("The
// output is similar to:", 「出力は次のようになります」), or when it directly
// follows a command block with no prose between and is not a command
// itself. A block that looks like a command is never output, unless it is
// untagged or tagged as output and introduced as output.
func (w *walker) expected(b *block, lang string) bool {
	steps := w.page.Doc.Steps
	if len(steps) == 0 {
		return false
	}
	prev := &steps[len(steps)-1]
	if prev.Hidden || prev.Expected != nil {
		return false
	}
	switch prev.Kind {
	case KindCommand, KindGo, KindClient:
	default:
		return false
	}
	isCmd := shellLangs[lang] || lang == "" || lang == "none" || lang == "console"
	cmdLike := isCmd && looksLikeCommand(b.code)
	switch {
	case b.intro != "" && introducesOutput(b.intro):
		if cmdLike && (shellLangs[lang] || lang == "console") {
			return false
		}
		if lang == "go" || lang == "golang" || clientLangs[lang] != "" {
			return false
		}
	case b.direct:
		if prev.Kind != KindCommand || cmdLike {
			return false
		}
		switch {
		case isCmd, lang == "text", lang == "output", lang == "json", lang == "yaml", lang == "plaintext":
		default:
			return false
		}
	default:
		return false
	}
	prev.Expected = &Expected{Line: b.line, Lang: b.lang, Text: b.code}
	if b.node != nil {
		w.page.Blocks[b.node] = BlockRef{Step: prev.Index, Expected: true}
	}
	return true
}

var (
	// English sentences that announce output: "The output is similar to:",
	// "You should see an output similar to:", "The output is:", "Should
	// output:", "The following message is displayed:", "...resembling the
	// example provided below".
	enOutput = regexp.MustCompile(`(?i)(\boutputs?\b.*\b(similar|like|is|are|looks?|shows?|resembl\w*|follows?|following|below)\b|\boutputs?:$|\byou should (see|get|notice)\b.*\b(output|following|similar|like|below|something)|\bshould (see|output|return|print|show)\b|\b(is|are) (displayed|printed|shown|returned)\b|\b(response|result)s?\b.*\b(similar|like|is|are|follows?|below)\b)`)
	// Japanese sentences that announce output: 出力は次のとおりです,
	// 出力は次のようになります, 結果は次のようになるはずです, 出力:, 次のような出力が見られるはずです.
	jaOutput = regexp.MustCompile(`(出力|結果|表示).*(次|以下|ような|よう|とおり|通り|示して|:|：)|(次|以下)の(ような)?(出力|結果|メッセージ)`)
)

// introducesOutput reports whether a sentence announces an output block.
func introducesOutput(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	if strings.HasSuffix(s, "?") {
		return false
	}
	// Most sentences before a block announce a command, not output: a
	// look for the key words first spares the regular expressions.
	l := strings.ToLower(s)
	if !containsAny(l, "output", "see", "response", "result", "display", "print", "return", "show", "message", "出力", "結果", "表示", "メッセージ") {
		return false
	}
	return enOutput.MatchString(s) || jaOutput.MatchString(s)
}

func containsAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

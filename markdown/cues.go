package markdown

import (
	"regexp"
	"strings"
)

// cueRole is what a sentence before a code block announces.
type cueRole int

const (
	// cueNone: the sentence says nothing about the block.
	cueNone cueRole = iota
	// cueOutput: the block is what a command printed ("The output is
	// similar to:", 「出力は次のようになります」).
	cueOutput
	// cueCommand: the block is something to run or to write ("Run the
	// following command:", 「次のコマンドを実行します」).
	cueCommand
	// cueFailure: the command fails, and a block after it is its error
	// ("then you get an error:", "This command fails:", 「失敗します」).
	// It announces output as cueOutput does.
	cueFailure
)

// announcesOutput reports whether a block after the sentence is output.
func (r cueRole) announcesOutput() bool { return r == cueOutput || r == cueFailure }

func (r cueRole) String() string {
	switch r {
	case cueOutput:
		return "output"
	case cueCommand:
		return "command"
	case cueFailure:
		return "failure"
	}
	return "none"
}

// cue is one family of cue sentences of one language: a pattern and what
// a sentence matching it announces.
type cue struct {
	lang   string // the page language the row is written for
	role   cueRole
	family string // a short name, for tests and for translators
	re     *regexp.Regexp
}

// cueTable lists the sentences Kubernetes pages use to introduce a code
// block, per language. A translator adds a language by adding rows: the
// families of sentences that announce output (role cueOutput) and those
// that ask the reader to run or write something (role cueCommand). Every
// page is read with its own language's rows and the English ones, since
// translations keep English sentences that are not translated yet.
//
// Within a sentence the match that ends last decides: "To see the output,
// run:" is a command, "Run it and you should see:" an output. English
// condition clauses ("if you see an error, ...") are dropped first. Rows of
// role cueFailure announce that the command fails (its output is the error);
// they do not count in a sentence with a condition or a negation left.
var cueTable = []cue{
	// English: output.
	{"en", cueOutput, "the output is", re(`(?i)\b(the|this|that|its|your|an?|example|sample|command|resulting|expected)\s+outputs?\b[^.;]*?\b(is|are|was|should|will|would|looks?|shows?|displays?|includes?|contains?|indicates?|remains?|verif(y|ies)|resembles?|reads?|lists?|confirms?|similar|like|becomes?|changes?)\b`)},
	{"en", cueOutput, "output:", re(`(?i)(^outputs?\b|\boutputs?( is)?:$)`)},
	{"en", cueOutput, "in the output", re(`(?i)\bin (the|its|your) output\b`)},
	{"en", cueOutput, "output similar to", re(`(?i)\boutputs? (similar|like|resembling|as follows)\b`)},
	{"en", cueOutput, "you should see", re(`(?i)\byou('ll| will| should| would| may| might| can| could)?( now| then| eventually| also| immediately| probably| likely)? (see|get|notice|observe|receive)\b`)},
	{"en", cueOutput, "should produce", re(`(?i)\bshould (now )?(output|print|return|show|display|produce|generate|list|respond|resemble|be similar)\b`)},
	{"en", cueOutput, "is displayed", re(`(?i)\b(is|are|gets?|will be|should be) (displayed|printed|shown|returned|output|listed|reported|logged)\b`)},
	{"en", cueOutput, "returns:", re(`(?i)\b(returns|prints|displays|produces|generates|outputs|responds|reports|emits)\b[^.]*:$`)},
	{"en", cueOutput, "will return", re(`(?i)\bwill (return|print|show|display|produce|output|respond|report|fail with)\b`)},
	{"en", cueOutput, "the response is", re(`(?i)\b(the|this|a|with the)\s+(response|result)s?\b([^.;]*?\b(is|are|was|would be|should be|will be|similar|like)\b|:$)`)},
	{"en", cueOutput, "the generated X is", re(`(?i)\bthe generated\b[^.]*\b(is|are)\b`)},
	// English: something to run or write.
	{"en", cueCommand, "run", re(`(?i)\b(run|execute|enter|type|invoke|issue|paste)\b`)},
	{"en", cueCommand, "the following command", re(`(?i)\b(the following|this|these|next|below|same) commands?\b`)},
	{"en", cueCommand, "imperative", re(`(?i)^((now|then|next|finally|first|also|again|optionally|alternatively),? )?(let's |to )?(create|apply|delete|remove|install|start|stop|open|save|write|copy|download|edit|add|replace|set|label|annotate|expose|scale|patch|deploy|launch|use|view|check|verify|display|show|list|get|describe|print|look|watch|wait|inspect|confirm|query|call|try|make|build|clone|export|update|change|modify|restart|tail|exec|connect|enable|disable|define|store|fetch|access|visit|test|send|read|switch|go|navigate|find|repeat)\b`)},
	{"en", cueCommand, "with this content", re(`(?i)\b(with|has|have|contains?) (this|the following) (content|contents|text)\b`)},
	// English: the command fails (a sentence with a condition or a
	// negation does not count: see failureBlocked).
	{"en", cueFailure, "this command fails", re(`(?i)\b(command|it|this|that|request|operation|attempt|call|step|apply|creation|update|patch|kubectl)\s+((will|should|would|then|now|also|then also)\s+)*(fails?|errors? out|is (rejected|denied|refused))\b`)},
	{"en", cueFailure, "fails with", re(`(?i)\bfail(s|ed)? (with|because)\b`)},
	{"en", cueFailure, "you get an error", re(`(?i)\b(get|gets|see|receive|receives|encounter|returns?|results? in|produces?|prints?|shows?|displays?|reports?|throws?|raises?|responds? with)\s+(an?|the|this|the following|a similar)\s+([\w-]+\s+){0,2}(error|failure)s?\b`)},
	{"en", cueFailure, "is rejected", re(`(?i)\b(is|are|gets?|will be|should be|was|were) (rejected|denied|refused)\b`)},

	// Japanese: output.
	{"ja", cueOutput, "出力は", re(`出力(は|には|では|が|結果|例|内容|:|：)`)},
	{"ja", cueOutput, "次のような出力", re(`(ような|ように|次の|以下の|この|その)出力`)},
	{"ja", cueOutput, "出力されます", re(`出力され`)},
	{"ja", cueOutput, "結果は", re(`結果(は|が|として)`)},
	{"ja", cueOutput, "を返します", re(`(を|が)返(します|され|る|り)`)},
	{"ja", cueOutput, "表示されます", re(`表示され`)},
	{"ja", cueOutput, "見られるはずです", re(`(見られる|得られる|表示される|わかる)はず`)},
	{"ja", cueOutput, "のようになります", re(`のようにな(ります|る)`)},
	{"ja", cueOutput, "ことが確認できます", re(`ことが(確認でき|確認出来|わか)`)},
	// Japanese: something to run or write.
	{"ja", cueCommand, "実行します", re(`実行(して|します|しま|する|すると|してください|しましょう)`)},
	{"ja", cueCommand, "次のコマンド", re(`((次|以下|この|上記|下記)の?コマンド|コマンド(を|で))`)},
	{"ja", cueCommand, "してください", re(`(て|で)ください|ましょう`)},
	{"ja", cueCommand, "確認します", re(`(確認|表示|作成|削除|適用|起動|開始|インストール|入力|設定|取得|一覧表示|保存|編集|追加|公開|更新)(します|する|して)([:：。、]|$)`)},
	{"ja", cueCommand, "を見る", re(`を見(る|ます)`)},
	// Japanese: the command fails.
	{"ja", cueFailure, "失敗します", re(`失敗(します|する|しま|し、|となり|になり|として)`)},
	{"ja", cueFailure, "エラーになります", re(`エラー(に|と)な(ります|る|り)|エラーが(発生|表示|返|出)|エラー(を返|を出力|メッセージが)`)},
	{"ja", cueFailure, "拒否されます", re(`(拒否|拒絶)され`)},
}

// rank breaks ties between cues that end at the same place: a failure is
// output too, and output wins over a command ("will fail with:").
func (r cueRole) rank() int {
	switch r {
	case cueFailure:
		return 3
	case cueOutput:
		return 2
	case cueCommand:
		return 1
	}
	return 0
}

// conditional is an English condition clause, up to its comma.
var conditional = regexp.MustCompile(`(?i)(^|\(|\b)(if|when|unless|until|once|whenever)\b[^,.;:)]*[,)]`)

func re(s string) *regexp.Regexp { return regexp.MustCompile(s) }

// proseCue reads the sentences between a command and the next block,
// nearest first, and returns what the nearest sentence that says anything
// announces: the cue sentence need not be the last line before the block
// ("The output shows that the Pod restarted. Note the RESTARTS column.").
// Questions announce nothing.
func proseCue(sentences []string, lang string) (cueRole, string) {
	for i := len(sentences) - 1; i >= 0; i-- {
		if role, family := sentenceCue(sentences[i], lang); role != cueNone {
			return role, family
		}
	}
	return cueNone, ""
}

// sentenceCue returns what one sentence announces: of the cue table's rows
// for lang and English, the match that starts last wins.
func sentenceCue(s, lang string) (cueRole, string) {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "？") {
		return cueNone, ""
	}
	// "If you see an error, try again": a condition announces nothing.
	s = conditional.ReplaceAllString(s, "")
	blocked := failureBlocked.MatchString(s)
	role, family, at := cueNone, "", -1
	failure := ""
	for _, c := range cueTable {
		if c.lang != "en" && c.lang != lang || (c.role == cueFailure && blocked) {
			continue
		}
		for _, m := range c.re.FindAllStringIndex(s, -1) {
			if c.role == cueFailure {
				failure = c.family
			}
			if m[1] > at || (m[1] == at && c.role.rank() > role.rank()) {
				role, family, at = c.role, c.family, m[1]
			}
		}
	}
	// Output that is an error: "kubectl prints a Forbidden error:".
	if role == cueOutput && failure != "" {
		return cueFailure, failure
	}
	return role, family
}

// sentences splits prose into sentences at ". ", "! ", "? " and "。".
func sentences(s string) []string {
	var out []string
	s = strings.TrimSpace(s)
	start := 0
	for i := 0; i < len(s); i++ {
		end := -1
		switch {
		case (s[i] == '.' || s[i] == '!' || s[i] == '?') && i+1 < len(s) && (s[i+1] == ' ' || s[i+1] == '\n'):
			end = i + 1
		case strings.HasPrefix(s[i:], "。"):
			end = i + len("。")
		case s[i] == '\n' && i+1 < len(s) && s[i+1] == '\n':
			end = i
		}
		if end < 0 {
			continue
		}
		if t := strings.TrimSpace(s[start:end]); t != "" {
			out = append(out, t)
		}
		start = end
		i = end - 1
	}
	if t := strings.TrimSpace(s[start:]); t != "" {
		out = append(out, t)
	}
	return out
}

package match

import (
	"regexp"
	"strings"
)

// Markers that replace volatile tokens. They start with a control
// character so that no output text can produce them and they never look
// like a `<placeholder>`.
const (
	mTime   = "\x1aT"
	mUID    = "\x1aU"
	mIP     = "\x1aI"
	mHex    = "\x1aX"
	mToken  = "\x1aB"
	mAge    = "\x1aD"
	mSuffix = "\x1aS"
	mHash   = "\x1aH"
	mApply  = "\x1aA"
)

// maskers replace, in order, the tokens that differ from one run of a
// command to the next. Order matters: timestamps before times and
// numbers, uids before hex strings, generated names before numbers.
var maskers = []struct {
	re    *regexp.Regexp
	repl  string
	fn    func(string) string
	digit bool // matches only text with a digit
}{
	// RFC 3339 and similar timestamps, or dates alone.
	{re: regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?(?: [+-]\d{4})?(?: [A-Z]{3,5}\b)?)?`), repl: mTime, digit: true},
	// RFC 1123 (describe's "Start Time:") and date(1).
	{re: regexp.MustCompile(`\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? (?:\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2}(?: [+-]\d{4}| [A-Z]{3,5}\b)?|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} \d{2}:\d{2}:\d{2}(?: [A-Z]{3,5})? \d{4})`), repl: mTime, digit: true},
	// Times of day.
	{re: regexp.MustCompile(`\b\d{1,2}:\d{2}:\d{2}(?:\.\d+)?\b`), repl: mTime, digit: true},
	// UIDs.
	{re: regexp.MustCompile(`(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`), repl: mUID, digit: true},
	// IPv4 addresses with an optional prefix length and port.
	{re: regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?(?::\d{1,5})?\b`), repl: mIP, digit: true},
	// IPv6 addresses: eight groups, or a form with "::".
	{re: regexp.MustCompile(`(?i)(?:\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|(?:\b[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6}\b)?)(?:/\d{1,3})?`), repl: mIP},
	// Hex digests and container ids.
	{re: regexp.MustCompile(`(?i)\b[0-9a-f]{12,}\b`), repl: mHex, digit: true},
	// Tokens, certificates and other base64 data.
	{re: regexp.MustCompile(`[A-Za-z0-9+/_.-]{40,}={0,2}`), fn: maskToken, digit: true},
	// Generated names: pod-template-hash and pod suffixes, job suffixes.
	{re: regexp.MustCompile(`[a-z0-9]+(?:-[a-z0-9]+)+`), fn: maskGenerated},
	// "deployment.apps/web created" on one run is "configured" or
	// "unchanged" on the next.
	{re: regexp.MustCompile(`(\S/\S+) (?:created|configured|unchanged)\b`), repl: "$1 " + mApply},
	// Durations and ages: 5s, 2m30s, 3h4m, 11d, 100ms.
	{re: regexp.MustCompile(`\b\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d|y)(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d))*\b`), repl: mAge, digit: true},
	// Numbers and versions: counts, ports, sizes, 1.37.2.
	{re: regexp.MustCompile(`\d+(?:\.\d+)*`), repl: "N", digit: true},
}

// mask returns line with its volatile tokens replaced by markers; two
// lines that differ only in instance data mask to the same string. It
// expects whitespace already normalised.
func mask(line string) string {
	digit := strings.ContainsAny(line, "0123456789")
	for _, m := range maskers {
		if m.digit && !digit {
			continue
		}
		if m.fn != nil {
			line = m.re.ReplaceAllStringFunc(line, m.fn)
		} else {
			line = m.re.ReplaceAllString(line, m.repl)
		}
	}
	return line
}

// maskToken masks a long base64-like run only when it mixes upper case,
// lower case and digits, so that long paths and names stay.
func maskToken(s string) string {
	var up, low, dig bool
	for _, c := range s {
		switch {
		case c >= 'A' && c <= 'Z':
			up = true
		case c >= 'a' && c <= 'z':
			low = true
		case c >= '0' && c <= '9':
			dig = true
		}
	}
	if up && low && dig {
		return mToken
	}
	return s
}

// maskGenerated masks the random parts of generated names:
// "web-7f9c7b6c5d-4jw2p" (ReplicaSet hash and pod suffix), "web-7f9c7b6c5d"
// (a ReplicaSet), "pi-x8k2q" (a Job's pod). A part is random when it has
// the right length and a digit or no vowel, which keeps words such as
// "nginx-hello" or "kube-system"; after a hash, any five-character part
// is a suffix (pages write made-up ones: "web-7f9c7b6c5d-abcde").
func maskGenerated(s string) string {
	parts := strings.Split(s, "-")
	n := len(parts)
	hash := func(p string) bool { return len(p) >= 6 && len(p) <= 10 && randomish(p) }
	switch {
	case n >= 3 && len(parts[n-1]) == 5 && hash(parts[n-2]):
		parts[n-2], parts[n-1] = mHash, mSuffix
	case len(parts[n-1]) == 5 && randomish(parts[n-1]):
		parts[n-1] = mSuffix
	case len(parts[n-1]) >= 8 && hash(parts[n-1]):
		parts[n-1] = mHash
	default:
		return s
	}
	return strings.Join(parts, "-")
}

// randomish reports whether s, a run of [a-z0-9], looks random: it has a
// digit, or no vowel (Kubernetes' safe alphabet has none).
func randomish(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return !strings.ContainsAny(s, "aeiouy")
}

// collapse trims s and replaces every run of whitespace with one space.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// placeholder matches a `<placeholder>` such as <pod-name> or <none>.
var placeholder = regexp.MustCompile(`<[A-Za-z][A-Za-z0-9 _./:-]{0,40}>`)

// hasWildcard reports whether an expected text uses `...`, `…` or a
// placeholder.
func hasWildcard(s string) bool {
	return strings.Contains(s, "...") || strings.Contains(s, "…") || placeholder.MatchString(s)
}

// wildcard compiles an expected text into an anchored pattern where
// `...` and `…` match anything and a placeholder matches one token; nil
// when s has no wildcard. token is the pattern for one token.
func wildcard(s, token string) *regexp.Regexp {
	if !hasWildcard(s) {
		return nil
	}
	var b strings.Builder
	b.WriteString(`^`)
	for len(s) > 0 {
		loc := placeholder.FindStringIndex(s)
		dots := strings.Index(s, "...")
		ell := strings.Index(s, "…")
		next, kind := len(s), 0
		if loc != nil {
			next, kind = loc[0], 1
		}
		if dots >= 0 && dots < next {
			next, kind = dots, 2
		}
		if ell >= 0 && ell < next {
			next, kind = ell, 3
		}
		b.WriteString(regexp.QuoteMeta(s[:next]))
		switch kind {
		case 0:
			s = ""
		case 1:
			b.WriteString(token)
			s = s[loc[1]:]
		case 2:
			b.WriteString(`.*`)
			s = strings.TrimLeft(s[next:], ".")
		case 3:
			b.WriteString(`.*`)
			s = s[next+len("…"):]
		}
	}
	b.WriteString(`$`)
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil
	}
	return re
}

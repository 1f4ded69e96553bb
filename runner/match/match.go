// Package match compares the actual output of a documentation page's
// command with the page's expected-output block and gives a Verdict.
//
// Pages show output from someone else's cluster: IP addresses, ports,
// generated name suffixes, ages, timestamps, uids and counts differ on
// every run. Such differences give Similar (same shape, other instance
// data) and are listed in Result.Diff; only a different shape gives
// Differs, with a unified diff. The format of the expected block is
// detected from its content (the fence language is a hint) and decides
// what the shape is:
//
//   - JSON (an object or array) and YAML (a mapping or list that does not
//     read as kubectl describe output) are compared as trees. Keys of
//     expected missing from actual and changes of type are shape
//     differences, except for fields the server fills in or drops (status,
//     uid, resourceVersion, selfLink, annotations, ...); keys only in
//     actual are allowed (APIs add fields, pages show a subset); other
//     values are instance data. A list in expected is an example: actual
//     may have more or fewer elements of the same shape, but not none. A
//     block that fits no whole document is compared with the subtree it is
//     an excerpt of (the `containers:` of a pod).
//   - kubectl tables (an ALL-CAPS header) are compared by their columns:
//     the same names in the same order, and at least one row when expected
//     has some. Rows are paired by name with generated suffixes masked;
//     ages, IPs, nodes, restart counts and versions are not compared; other
//     cell differences (STATUS Pending, READY 0/1) are listed.
//   - Other text is compared line by line after collapsing whitespace and
//     masking volatile tokens. A line `...` elides any number of lines,
//     `...` inside a line matches anything and a `<placeholder>` any
//     token; kubectl's "created", "configured" and "unchanged" are alike.
//
// Warnings passed along from stderr are listed rather than compared. All
// work is bounded: outputs may be megabytes; diffs are capped at
// maxDiffLines lines and lists at maxNotes entries.
package match

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/docrun/docrun/result"
)

// Verdict is the outcome of comparing actual with expected output: the
// result model's.
type Verdict = result.Verdict

// The verdicts, named as this package's comparisons give them.
const (
	None    = result.VerdictNone    // no expected block (or Mode is ModeIgnore)
	Match   = result.VerdictMatch   // equal after normalising line endings and trailing whitespace
	Similar = result.VerdictSimilar // same shape, instance data differs
	Differs = result.VerdictDiffers // different shape
)

// Mode selects how strict the comparison is (a page directive can set it).
type Mode string

// The modes.
const (
	ModeSimilar Mode = "similar" // default: Match, Similar or Differs
	ModeExact   Mode = "exact"   // Match or Differs only
	ModeIgnore  Mode = "ignore"  // always None
)

// ParseMode returns the Mode named s; "" is ModeSimilar. ok is false for
// an unknown name, which gives ModeSimilar.
func ParseMode(s string) (m Mode, ok bool) {
	switch Mode(strings.ToLower(strings.TrimSpace(s))) {
	case "", ModeSimilar:
		return ModeSimilar, true
	case ModeExact:
		return ModeExact, true
	case ModeIgnore:
		return ModeIgnore, true
	}
	return ModeSimilar, false
}

// The formats a Result can name.
const (
	FormatJSON  = "json"
	FormatYAML  = "yaml"
	FormatTable = "table"
	FormatText  = "text"
)

// Result is the outcome of Compare.
type Result struct {
	// Verdict is the verdict.
	Verdict Verdict
	// Format is how the outputs were compared: "json", "yaml", "table" or
	// "text" ("" for None).
	Format string
	// Diff is a unified-style diff (expected vs actual) when Verdict is
	// Differs, preceded by the shape differences found ("missing in
	// actual: spec.replicas"); for Similar a short list of what differed
	// ("serverAddress: 10.0.1.149:443 -> 127.0.0.1:6443"); "" for Match
	// and None.
	Diff string
}

const (
	maxDiffLines = 200 // lines of a Differs diff
	maxNotes     = 20  // entries of a Similar list
	maxShown     = 120 // runes of a value or line quoted in a note
)

// Options are the settings of a comparison.
type Options struct {
	// Mode is how strict the comparison is ("" is ModeSimilar).
	Mode Mode
	// Namespaces are the namespaces the run used in place of the
	// reader's: docrun's own (docrun-x7k2p) or the one it was told to use.
	// Where expected shows `default` and actual one of these, or the
	// other way round, the output does not differ (Similar, or Match in
	// ModeExact).
	Namespaces []string
}

// Compare compares actual output (stdout of the command; callers may pass
// stdout+stderr) with the expected block's text in the given mode, with
// no namespace set alike. See CompareWith.
func Compare(expected, actual, lang string, mode Mode) Result {
	return CompareWith(expected, actual, lang, Options{Mode: mode})
}

// CompareWith compares actual output (stdout of the command; callers may
// pass stdout+stderr) with the expected block's text. lang is the expected
// block's fence language ("json", "yaml", "console", "shell", "", "text",
// ...), a hint only: the format is detected from the content too.
//
// Both texts are normalised first: CRLF and carriage-return overwrites,
// trailing whitespace, leading and trailing blank lines; ANSI escapes are
// removed from actual; the expected block loses its common indentation
// and a leading `$ command` prompt line. Equal texts are a Match in every
// mode but ModeIgnore. An empty expected block gives None. An unknown
// mode is ModeSimilar.
func CompareWith(expected, actual, lang string, o Options) (res Result) {
	defer func() {
		if r := recover(); r != nil {
			res = Result{Verdict: Differs, Format: FormatText, Diff: fmt.Sprintf("comparison failed: %v", r)}
		}
	}()
	if o.Mode == ModeIgnore {
		return Result{Verdict: None}
	}
	exp := expectedLines(expected)
	if len(exp) == 0 {
		return Result{Verdict: None}
	}
	act := normalise(actual, true)
	d := detect(exp, strings.ToLower(strings.TrimSpace(lang)))
	if equalLines(exp, act) {
		return Result{Verdict: Match, Format: d.format}
	}
	alike := newNames(o.Namespaces)
	if o.Mode == ModeExact {
		se, sa := alike.sameAll(exp), alike.sameAll(act)
		if equalLines(se, sa) {
			return Result{Verdict: Match, Format: d.format}
		}
		eq := func(i, j int) bool { return se[i] == sa[j] }
		return Result{Verdict: Differs, Format: d.format, Diff: unified(exp, nil, act, eq)}
	}
	switch d.format {
	case FormatJSON, FormatYAML:
		if r, ok := compareTree(d, exp, act, alike); ok {
			return r
		}
		r := compareText(exp, act, alike)
		if r.Verdict == Differs {
			r.Diff = fmt.Sprintf("actual output is not %s; compared as text\n%s", strings.ToUpper(d.format), r.Diff)
		}
		return r
	case FormatTable:
		return compareTables(d.tables, exp, act, alike)
	}
	return compareText(exp, act, alike)
}

// ansi matches terminal escape sequences: CSI (colours, cursor moves),
// OSC (titles, hyperlinks) and two-byte escapes.
var ansi = regexp.MustCompile("\x1b\\[[0-?]*[ -/]*[@-~]|\x1b\\][^\x07\x1b]*(?:\x07|\x1b\\\\)?|\x1b[@-Z\\\\-_]")

// Lines is actual output as the comparison reads it, a terminal shows it
// and a person pastes it: lines without terminal escapes, line endings and
// trailing whitespace, carriage-return overwrites resolved, no leading or
// trailing blank line.
func Lines(actual string) []string { return normalise(actual, true) }

// normalise splits s into lines with line endings and trailing whitespace
// removed and without leading or trailing blank lines. A carriage return
// inside a line keeps what a terminal would show: the text after it.
func normalise(s string, stripANSI bool) []string {
	if stripANSI && strings.IndexByte(s, 0x1b) >= 0 {
		s = ansi.ReplaceAllString(s, "")
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		l = strings.TrimRightFunc(l, unicode.IsSpace)
		if k := strings.LastIndexByte(l, '\r'); k >= 0 {
			l = l[k+1:]
		}
		lines[i] = l
	}
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	for i, l := range lines {
		if strings.TrimSpace(l) == "" {
			lines[i] = ""
		}
	}
	return lines
}

// expectedLines normalises an expected block: it also removes the common
// indentation (the block may sit in a list item) and a leading prompt line
// `$ command`, with its continuation lines, that pages show before output.
func expectedLines(s string) []string {
	lines := normalise(s, false)
	if len(lines) > 0 && strings.HasPrefix(strings.TrimSpace(lines[0]), "$ ") {
		for len(lines) > 0 {
			l := lines[0]
			lines = lines[1:]
			if !strings.HasSuffix(l, "\\") {
				break
			}
		}
		for len(lines) > 0 && lines[0] == "" {
			lines = lines[1:]
		}
	}
	return dedent(lines)
}

// dedent removes the indentation common to all non-blank lines.
func dedent(lines []string) []string {
	common := -1
	for _, l := range lines {
		if l == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if common < 0 || n < common {
			common = n
		}
	}
	if common <= 0 {
		return lines
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		if l != "" {
			out[i] = l[common:]
		}
	}
	return out
}

func equalLines(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// detected is the format of an expected block and what was parsed.
type detected struct {
	format string
	tree   *node   // json, yaml
	tables []table // table
}

// detect decides how the expected block is compared. JSON first (an
// object or array, the fence saying json or the text starting with { or
// [), then kubectl tables (every blank-line-separated group starts with
// an ALL-CAPS header), then YAML (see looksYAML), else text. Lines that
// are only `...` are dropped before parsing JSON and YAML: they elide
// parts of the document, and extra keys in actual are allowed anyway.
func detect(exp []string, lang string) detected {
	first := strings.TrimSpace(exp[0])
	if lang == "json" || strings.HasPrefix(first, "{") || strings.HasPrefix(first, "[") {
		if n, err := parseJSON(strings.Join(withoutElisions(exp), "\n")); err == nil && (n.kind == kMap || n.kind == kSeq) {
			return detected{format: FormatJSON, tree: n}
		}
	}
	if t, ok := parseExpectedTables(exp); ok {
		return detected{format: FormatTable, tables: t}
	}
	if lang == "yaml" || lang == "yml" || yamlStart.MatchString(exp[0]) {
		if n, err := parseYAML(strings.Join(withoutElisions(exp), "\n")); err == nil && looksYAML(n, lang) {
			return detected{format: FormatYAML, tree: n}
		}
	}
	return detected{format: FormatText}
}

// yamlStart matches a first line that can begin a YAML document worth
// comparing as a tree: a key, a list item or a document marker.
var yamlStart = regexp.MustCompile(`^(?:[a-z_"'][^:]*:(?:\s|$)|- |---)`)

// looksYAML reports whether a parsed expected block is YAML to compare as
// a tree. With a yaml fence any non-empty mapping or sequence is. Without
// one, plain text also parses as YAML ("error: not found" is a mapping), so
// more is required: top-level keys without spaces that do not start with a
// capital (kubectl describe prints "Name:", "Labels:"), and either two keys
// or a nested mapping or sequence.
func looksYAML(n *node, lang string) bool {
	if lang == "yaml" || lang == "yml" {
		return (n.kind == kMap || n.kind == kSeq) && len(n.kids) > 0
	}
	switch n.kind {
	case kMap:
		nested := false
		for i, k := range n.keys {
			if k == "" || strings.ContainsAny(k, " \t") || unicode.IsUpper([]rune(k)[0]) {
				return false
			}
			if c := n.kids[i].kind; c == kMap || c == kSeq {
				nested = true
			}
		}
		return nested || len(n.keys) >= 2
	case kSeq:
		for _, k := range n.kids {
			if k.kind == kMap && len(k.keys) > 0 {
				return true
			}
		}
	}
	return false
}

// isElision reports whether an expected line stands for omitted lines.
func isElision(line string) bool {
	s := strings.TrimSpace(line)
	return s == "..." || s == "…" || s == "[...]" || s == "(...)" || (len(s) > 3 && strings.Trim(s, ".") == "")
}

// Excerpt reports whether an expected block shows only part of the
// output: one of its lines stands for omitted lines ("...", "[...]"), also
// as a comment, as YAML and code excerpts write it ("# ...", "// ...").
func Excerpt(expected string) bool {
	return slices.ContainsFunc(strings.Split(expected, "\n"), func(l string) bool {
		t := strings.TrimSpace(l)
		for _, c := range []string{"#", "//"} {
			t = strings.TrimPrefix(t, c)
		}
		return isElision(l) || t != strings.TrimSpace(l) && isElision(t)
	})
}

func withoutElisions(lines []string) []string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		if !isElision(l) {
			out = append(out, l)
		}
	}
	return out
}

// notes collects the entries of a Similar list, keeping at most limit.
type notes struct {
	list  []string
	extra int
}

func (n *notes) add(format string, args ...any) {
	if len(n.list) >= maxNotes {
		n.extra++
		return
	}
	n.list = append(n.list, fmt.Sprintf(format, args...))
}

func (n *notes) String() string {
	s := strings.Join(n.list, "\n")
	if n.extra > 0 {
		s += fmt.Sprintf("\n… and %d more", n.extra)
	}
	return s
}

// shorten cuts s to maxShown runes.
func shorten(s string) string {
	if len(s) <= maxShown {
		return s
	}
	r := []rune(s)
	if len(r) <= maxShown {
		return s
	}
	return string(r[:maxShown-1]) + "…"
}

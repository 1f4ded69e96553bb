package shell

import "strings"

// fallbackCalls reads text that bash's grammar refuses one line at a time:
// continuation backslashes joined, comments and heredoc bodies dropped,
// each line split at ; && || | & ( ) and backquotes outside quotes, words
// split at blanks with their quotes removed. It exists only so that a
// fragment with an unbalanced quote still tells docrun which programs it
// calls.
func fallbackCalls(code string) []Call {
	var calls []Call
	var cur strings.Builder
	curLine := 0
	var heredoc []string
	flush := func() {
		l := strings.TrimSpace(cur.String())
		cur.Reset()
		if l == "" {
			return
		}
		bg := strings.HasSuffix(l, "&") && !strings.HasSuffix(l, "&&")
		for _, part := range splitLine(l) {
			if words := fields(part); len(words) > 0 {
				calls = append(calls, Call{Args: words, Line: curLine, Background: bg})
			}
		}
		heredoc = append(heredoc, heredocDelims(l)...)
	}
	for i, line := range strings.Split(code, "\n") {
		if len(heredoc) > 0 {
			if strings.TrimSpace(line) == heredoc[0] {
				heredoc = heredoc[1:]
			}
			continue
		}
		if cur.Len() == 0 {
			curLine = i + 1
		}
		t := stripComment(line)
		if strings.HasSuffix(t, "\\") {
			cur.WriteString(strings.TrimSuffix(t, "\\") + " ")
			continue
		}
		cur.WriteString(t)
		flush()
	}
	flush()
	return calls
}

// heredocDelims returns the delimiters of the here-documents a line opens.
func heredocDelims(line string) []string {
	var d []string
	for i := 0; i+1 < len(line); i++ {
		if line[i] != '<' || line[i+1] != '<' || (i+2 < len(line) && line[i+2] == '<') {
			continue
		}
		j := i + 2
		if j < len(line) && line[j] == '-' {
			j++
		}
		for j < len(line) && (line[j] == ' ' || line[j] == '\t') {
			j++
		}
		word := fields(line[j:])
		if len(word) > 0 && word[0] != "" {
			d = append(d, word[0])
		}
		i = j
	}
	return d
}

// outsideQuotes calls fn with the index of each byte of line that is
// outside quotes and not escaped, until fn returns false.
func outsideQuotes(line string, fn func(i int) bool) {
	var q byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case q != 0:
			if c == '\\' && q == '"' {
				i++
			} else if c == q {
				q = 0
			}
		case c == '\\':
			i++
		case c == '\'' || c == '"':
			q = c
		default:
			if !fn(i) {
				return
			}
		}
	}
}

// stripComment removes a trailing # comment outside quotes.
func stripComment(line string) string {
	out := line
	outsideQuotes(line, func(i int) bool {
		if line[i] == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
			out = strings.TrimRight(line[:i], " \t")
			return false
		}
		return true
	})
	return out
}

// splitLine splits a command line at ; & | ( ) and backquotes outside
// quotes.
func splitLine(line string) []string {
	var out []string
	start := 0
	outsideQuotes(line, func(i int) bool {
		switch line[i] {
		case ';', '|', '&', '(', ')', '`':
			out = append(out, line[start:i])
			start = i + 1
		}
		return true
	})
	return append(out, line[start:])
}

// fields splits at blanks outside quotes and removes the quotes; an
// unbalanced quote runs to the end of the text.
func fields(s string) []string {
	var out []string
	var cur strings.Builder
	in := false
	var q byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '\'' || c == '"':
			q, in = c, true
		case c == ' ' || c == '\t':
			if in {
				out = append(out, cur.String())
				cur.Reset()
				in = false
			}
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			in = true
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	if in {
		out = append(out, cur.String())
	}
	return out
}

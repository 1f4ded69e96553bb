package html

import (
	"bytes"
	"net/url"
	"strings"
	"unicode"
)

// writer is what the renderer writes to: a bytes.Buffer, or goldmark's
// buffered writer.
type writer interface {
	WriteString(s string) (int, error)
	WriteByte(c byte) error
}

// escape writes s with the five characters that matter in HTML text and
// quoted attribute values escaped, and NUL dropped.
func escape(w writer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case '&':
			rep = "&amp;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		case '"':
			rep = "&#34;"
		case '\'':
			rep = "&#39;"
		case 0:
			rep = ""
		default:
			continue
		}
		w.WriteString(s[last:i])
		w.WriteString(rep)
		last = i + 1
	}
	w.WriteString(s[last:])
}

// escapeString returns s escaped as escape writes it.
func escapeString(s string) string {
	if !strings.ContainsAny(s, "&<>\"'\x00") {
		return s
	}
	var b bytes.Buffer
	escape(&b, s)
	return b.String()
}

// siteURL is where root-relative links of a page point: the published site.
const siteURL = "https://kubernetes.io"

// safeURL returns a link target that cannot run code: http, https and
// mailto URLs, fragments and relative paths; root-relative paths point at
// the published site, scheme-relative ones (//host) use https. Anything
// else (javascript:, data:, vbscript:, file:, ...) gives "". The target is
// judged, and returned, as a browser reads it (see browserURL): "\\evil.com"
// is "//evil.com" to a browser, and "java\tscript:" is "javascript:".
func safeURL(raw string) string {
	raw = browserURL(raw)
	if raw == "" {
		return ""
	}
	if strings.HasPrefix(raw, "#") {
		return raw
	}
	if strings.HasPrefix(raw, "//") {
		return "https:" + raw
	}
	if strings.HasPrefix(raw, "/") {
		return siteURL + raw
	}
	if _, err := url.Parse(raw); err != nil {
		return ""
	}
	switch strings.ToLower(urlScheme(raw)) {
	case "http", "https", "mailto":
		return raw
	case "":
		// A relative path; a colon before any slash would make browsers
		// read a scheme.
		if i := strings.IndexAny(raw, ":/?#"); i >= 0 && raw[i] == ':' {
			return ""
		}
		return raw
	}
	return ""
}

// browserURL returns raw as the URL parser of browsers (WHATWG URL) reads
// it: C0 controls and spaces trimmed at both ends, tabs and newlines
// removed everywhere, and, in http and https URLs and in the paths relative
// to them (a report is an http or a file page), backslashes before the
// query or fragment read as slashes.
func browserURL(raw string) string {
	raw = strings.TrimFunc(raw, func(r rune) bool { return r <= ' ' || unicode.IsSpace(r) })
	raw = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, raw)
	switch strings.ToLower(urlScheme(raw)) {
	case "", "http", "https":
		end := strings.IndexAny(raw, "?#")
		if end < 0 {
			end = len(raw)
		}
		raw = strings.ReplaceAll(raw[:end], `\`, "/") + raw[end:]
	}
	return raw
}

// urlScheme returns the scheme of a URL, "" for a relative one: a letter,
// then letters, digits, "+", "-" and ".", up to a colon.
func urlScheme(raw string) string {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return raw[:i]
		default:
			return ""
		}
	}
	return ""
}

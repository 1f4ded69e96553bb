package html

import (
	"bytes"
	"net/url"
	"strings"
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
// the published site. Anything else (javascript:, data:, vbscript:, file:,
// ...) gives "".
func safeURL(raw string) string {
	raw = strings.TrimSpace(raw)
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
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "mailto":
		return raw
	case "":
		// A relative path; a colon before any slash would make browsers
		// read a scheme that url.Parse did not.
		if i := strings.IndexAny(raw, ":/?#"); i >= 0 && raw[i] == ':' {
			return ""
		}
		return raw
	}
	return ""
}

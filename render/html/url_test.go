package html

import (
	"strings"
	"testing"
)

// TestSafeURL checks link targets as a browser would follow them.
func TestSafeURL(t *testing.T) {
	cases := []struct{ in, want string }{
		{"https://kubernetes.io/docs/", "https://kubernetes.io/docs/"},
		{"HTTP://example.com", "HTTP://example.com"},
		{"mailto:a@example.com", "mailto:a@example.com"},
		{"#install", "#install"},
		{"../tasks/", "../tasks/"},
		{"page.md#x", "page.md#x"},
		{"/docs/home/", siteURL + "/docs/home/"},
		{"//example.com/x", "https://example.com/x"},
		// Backslashes are slashes to a browser in http(s) and relative URLs.
		{`\\evil.com`, "https://evil.com"},
		{`/\evil.com`, "https://evil.com"},
		{`\/evil.com`, "https://evil.com"},
		{`\evil.com`, siteURL + "/evil.com"},
		{`https:\\evil.com\x`, "https://evil.com/x"},
		{`dir\page`, "dir/page"},
		{`page?q=a\b#c\d`, `page?q=a\b#c\d`},
		{`mailto:a\b@example.com`, `mailto:a\b@example.com`},
		// Tabs and newlines vanish anywhere, controls and spaces at the ends.
		{"/\t/evil.com", "https://evil.com"},
		{"\\\n\\evil.com", "https://evil.com"},
		{"java\tscript:alert(1)", ""},
		{"java\nscript:alert(1)", ""},
		{"jav\r\nascript:alert(1)", ""},
		{"\x01\x02 javascript:alert(1)", ""},
		{" \x00javascript:alert(1)\x1f", ""},
		{"\u00a0javascript:alert(1)", ""},
		{"JavaScript:alert(1)", ""},
		{"data:text/html,<script>", ""},
		{"vbscript:x", ""},
		{"file:///etc/passwd", ""},
		{"x:y", ""},
		{"a/b:c", "a/b:c"},
		{"", ""},
		{" \t\n", ""},
	}
	for _, c := range cases {
		if got := safeURL(c.in); got != c.want {
			t.Errorf("safeURL(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// FuzzSafeURL checks that whatever safeURL lets through, a browser reads
// as it is (nothing left to normalise) and as a fragment, a relative path,
// the published site or an http, https or mailto URL.
func FuzzSafeURL(f *testing.F) {
	for _, s := range []string{`\\evil.com`, "/\t/x", "java\tscript:x", "//x", "/x", "a:b", "#x", "mailto:x", "HTTPS:\\\\x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := safeURL(in)
		if out == "" {
			return
		}
		if browserURL(out) != out {
			t.Fatalf("safeURL(%q) = %q, which a browser reads as %q", in, out, browserURL(out))
		}
		switch scheme := strings.ToLower(urlScheme(out)); scheme {
		case "http", "https", "mailto":
		case "":
			if strings.HasPrefix(out, "/") {
				t.Fatalf("safeURL(%q) = %q: a root- or scheme-relative path is left", in, out)
			}
		default:
			t.Fatalf("safeURL(%q) = %q: scheme %q", in, out, scheme)
		}
	})
}

package runner

import (
	"sort"
	"strings"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/markdown/shell"
)

// fetchExamples rewrites each curl or wget call that fetches one of the
// site's example URLs (https://k8s.io/examples/PATH) into a copy of the
// site's local file: "cp -- LOCAL NAME" under the name the command would
// have written (-o NAME, -O NAME, the URL's last part for curl -O and
// wget), or "cat -- LOCAL" when it writes to standard output. Calls whose
// example is not in the site are left for mapExamples to report.
func fetchExamples(code string, site *markdown.Site) string {
	sc := shell.Parse(code)
	type edit struct {
		start, end int
		text       string
	}
	var edits []edit
	for _, c := range sc.Calls {
		if c.End <= c.Start || c.End > len(code) {
			continue
		}
		name, ok := markdown.DownloadTarget(c.Args)
		if !ok {
			continue
		}
		local := ""
		for _, a := range c.Args[1:] {
			if strings.HasPrefix(strings.Trim(a, `"'`), "http") {
				if local != "" {
					local = "" // more than one URL: left as written
					break
				}
				p := markdown.ExampleURLPath(a)
				if p == "" {
					break
				}
				if local, _ = site.FindExample("en", p); local == "" {
					break
				}
			}
		}
		if local == "" {
			continue
		}
		text := "cat -- " + shellQuote(local)
		if name != "-" {
			text = "cp -- " + shellQuote(local) + " " + quoteName(name)
		}
		edits = append(edits, edit{c.Start, c.End, text})
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].start > edits[j].start })
	for _, e := range edits {
		code = code[:e.start] + e.text + code[e.end:]
	}
	return code
}

// quoteName quotes a file name for bash unless it is a plain one, or one
// written with expansions ($DIR/pod.yaml), which is kept as written.
func quoteName(name string) string {
	if strings.ContainsAny(name, "$`") || strings.Trim(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/-+") == "" {
		return name
	}
	return shellQuote(name)
}

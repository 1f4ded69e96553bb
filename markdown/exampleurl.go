package markdown

import (
	"fmt"
	"regexp"
)

// ExampleURLPattern matches the site's example URLs in shell code
// (https://k8s.io/examples/PATH, also on kubernetes.io), which runners read
// from the site's content/en/examples/PATH instead of the internet.
var ExampleURLPattern = regexp.MustCompile(`https?://(?:www\.)?(?:k8s\.io|kubernetes\.io)/examples/[^\s"'\x60)]+`)

// checkExampleURLs refuses a command step whose example URL leads outside
// the site's content/ (https://k8s.io/examples/%2e%2e/...): a runner maps
// those URLs to local files, and a page must not name a file outside its
// site that way either.
func checkExampleURLs(site *Site, path string, steps []Step) error {
	if site.Root == "" {
		return nil
	}
	for _, s := range steps {
		if s.Kind != KindCommand {
			continue
		}
		codes := []string{s.Code}
		if s.Directives != nil && s.Directives.Replace != "" {
			codes = append(codes, s.Directives.Replace)
		}
		for _, code := range codes {
			for _, u := range ExampleURLPattern.FindAllString(code, -1) {
				p := ExampleURLPath(u)
				if p == "" {
					continue
				}
				if _, err := site.FindExample("en", p); err != nil {
					return &Error{File: path, Line: s.Line, Msg: fmt.Sprintf("example URL %q%s", u, whyNot(err))}
				}
			}
		}
	}
	return nil
}

package runner

import (
	"fmt"
	"strings"

	"github.com/docrun/docrun/markdown"

	"github.com/docrun/docrun/result"
)

// recreated says why a step that creates objects an earlier step of the
// page created (markdown's Step.Recreates) is not run: the earlier step
// passed, so the objects exist and the page shows another way to create
// them. A reader following the page takes one way. "" when none of those
// steps passed (or a docrun directive replaced the code): then it runs.
func (pr *pageRun) recreated(s *markdown.Step) string {
	if s.Recreates == nil || (s.Directives != nil && s.Directives.Replace != "") {
		return ""
	}
	for _, i := range s.Recreates.Steps {
		if i >= 0 && i < len(pr.res.Steps) && pr.res.Steps[i].Status == result.Passed {
			return fmt.Sprintf("another way to create %s, which step %d created", strings.Join(s.Recreates.Objects, ", "), i)
		}
	}
	return ""
}

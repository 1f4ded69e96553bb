package runner

import (
	"testing"
	"time"

	"github.com/docrun/docrun/markdown"
)

// TestTimeoutPrecedence: a step's directive, then the last docrun.yaml rule
// that sets a limit, then the option, then the default; the page's limit
// by the same rule.
func TestTimeoutPrecedence(t *testing.T) {
	conf := []*PageConfig{{stepTimeout: 3 * time.Minute, timeout: time.Hour}, {}, {stepTimeout: 4 * time.Minute}}
	cases := []struct {
		name       string
		option     time.Duration
		conf       []*PageConfig
		directive  string
		step, page time.Duration
	}{
		{"defaults", 0, nil, "", DefaultStepTimeout, DefaultPageTimeout},
		{"option", time.Minute, nil, "", time.Minute, time.Minute},
		{"docrun.yaml over the option", time.Minute, conf, "", 4 * time.Minute, time.Hour},
		{"directive over all", time.Minute, conf, "5s", 5 * time.Second, time.Hour},
		{"bad directive ignored", time.Minute, conf, "soon", 4 * time.Minute, time.Hour},
	}
	for _, c := range cases {
		pr := &pageRun{r: &Runner{Opts: Options{StepTimeout: c.option, PageTimeout: c.option}}, conf: c.conf}
		st := &markdown.Step{}
		if c.directive != "" {
			st.Directives = &markdown.Directives{Timeout: c.directive}
		}
		if got := pr.timeout(st); got != c.step {
			t.Errorf("%s: step timeout %v, want %v", c.name, got, c.step)
		}
		if got := pr.pageTimeout(); got != c.page {
			t.Errorf("%s: page timeout %v, want %v", c.name, got, c.page)
		}
	}
}

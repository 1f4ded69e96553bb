package terminal

import (
	"bytes"
	"errors"
	"testing"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/result"
	"github.com/docrun/docrun/runner"
	"github.com/docrun/docrun/runner/match"
	"github.com/docrun/docrun/runner/redact"
)

func page() *result.PageResult {
	p := &result.PageResult{DurationMS: 2500}
	p.Path, p.Title = "/elsewhere/page.md", "A page"
	p.Steps = []*result.StepResult{
		{Step: markdown.Step{Code: "kubectl get pods\n", Line: 10}, Status: result.Passed, DurationMS: 120, Verdict: match.Similar},
		{Step: markdown.Step{Code: "kubectl delete pod x\n", Line: 20}, Status: result.Failed, DurationMS: 1000, ExitCode: 1,
			Stdout: "out\n", Stderr: "Error: s3cret\n", Created: []string{"pod/x"}},
		{Step: markdown.Step{Code: "kubectl edit pod x\n", Line: 30}, Status: result.Skipped, SkipReason: "opens an editor"},
	}
	return p
}

// play sends a run of page() to p: the page, its steps (the second with
// live output) and its end.
func play(p *Printer, pr *result.PageResult) {
	p.PageStarted(pr)
	p.Notice(pr, "namespace docrun-1")
	for i := range pr.Steps {
		if pr.Steps[i].Status != result.Skipped {
			p.StepStarted(pr, i)
		}
		if i == 1 {
			p.StepOutput(pr, i, false, []byte("out\nno end"))
			p.StepOutput(pr, i, true, []byte("Error: [REDACTED]\n"))
		}
		p.StepEnded(pr, i)
	}
	p.PageEnded(pr)
	p.Leaks(nil, []string{"namespace/leak"}, false)
}

func TestPrinter(t *testing.T) {
	red := redact.New()
	red.Add("s3cret")
	tests := []struct {
		name string
		live bool
		want string
	}{
		{"quiet", false, `page /elsewhere/page.md  (A page, 3 steps)
  namespace docrun-1
  [1/3] passed 0.12s  /elsewhere/page.md:10  kubectl get pods, output similar
  [2/3] failed 1.00s (exit 1)  /elsewhere/page.md:20  kubectl delete pod x
      + pod/x created by docrun
      | out
      ! Error: [REDACTED]
  [3/3] skipped  /elsewhere/page.md:30  kubectl edit pod x — opens an editor
  3 steps: 1 passed, 1 failed, 1 skipped, 0 timeout (2.5s)
  cluster-scoped object left behind (by the pages run in parallel): namespace/leak
`},
		{"live", true, `page /elsewhere/page.md  (A page, 3 steps)
  namespace docrun-1
  [1/3] /elsewhere/page.md:10  kubectl get pods
      => passed 0.12s, output similar
  [2/3] /elsewhere/page.md:20  kubectl delete pod x
      out
      no endError: [REDACTED]
      => failed 1.00s (exit 1)
      + pod/x created by docrun
  [3/3] skipped  /elsewhere/page.md:30  kubectl edit pod x — opens an editor
  3 steps: 1 passed, 1 failed, 1 skipped, 0 timeout (2.5s)
  cluster-scoped object left behind (by the pages run in parallel): namespace/leak
`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			play(&Printer{Out: &b, Live: tc.live, Redactor: red}, page())
			if b.String() != tc.want {
				t.Errorf("got\n%s\nwant\n%s", b.String(), tc.want)
			}
		})
	}
}

func TestPrinterEndings(t *testing.T) {
	var b bytes.Buffer
	p := &Printer{Out: &b}
	// A page that did not parse: its error alone.
	bad := &result.PageResult{Error: "page.md:3: unclosed shortcode"}
	p.PageEnded(bad)
	// A page that could not be set up: its error under it, no summary.
	setup := page()
	setup.Error = "creating the namespace: forbidden"
	p.PageStarted(setup)
	p.PageEnded(setup)
	want := "page.md:3: unclosed shortcode\npage /elsewhere/page.md  (A page, 3 steps)\n  creating the namespace: forbidden\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	// A dry run shows each step's code as it would run, and no summary.
	b.Reset()
	p = &Printer{Out: &b, DryRun: true}
	dry := page()
	dry.Steps = dry.Steps[:1]
	dry.Steps[0].Status, dry.Steps[0].SkipReason, dry.Steps[0].Ran = result.Skipped, runner.DryRun, "kubectl get pods -n ns\n"
	p.PageStarted(dry)
	p.StepEnded(dry, 0)
	p.PageEnded(dry)
	want = "page /elsewhere/page.md  (A page, 1 steps)\n  [1/1] skipped  /elsewhere/page.md:10  kubectl get pods — dry run\n        $ kubectl get pods -n ns\n"
	if b.String() != want {
		t.Errorf("dry run: got\n%s\nwant\n%s", b.String(), want)
	}
}

type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { return 0, errBroken }

var errBroken = errors.New("broken pipe")

// TestPrinterWriteError: the first failed write is reported, once.
func TestPrinterWriteError(t *testing.T) {
	var got []error
	p := &Printer{Out: brokenWriter{}, Live: true, OnWriteError: func(err error) { got = append(got, err) }}
	play(p, page())
	if len(got) != 1 || got[0] != errBroken {
		t.Errorf("reported %v, want the one error", got)
	}
}

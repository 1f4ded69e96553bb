package update

import (
	"testing"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/result"
	"github.com/docrun/docrun/runner/match"
)

// FuzzEdit edits arbitrary pages as if every step had passed and printed
// output that differs from the page's: the edit never changes a byte
// outside the blocks it replaced or added, and never panics.
func FuzzEdit(f *testing.F) {
	f.Add([]byte("```shell\nkubectl get ns\n```\n\nThe output is:\n\n```\nNAME\n```\n"), "NAME   STATUS\ndefault   Active\n")
	f.Add([]byte("1. x\r\n\r\n   ```shell\r\n   kubectl get ns\r\n   ```\r\n"), "namespace/x created\n")
	f.Add([]byte("```console\n$ kubectl get pods\nNAME\n\n$ kubectl get svc\nx\n```"), "No resources found in docrun-abc namespace.\n\x1b[31mred\x1b[0m\n")
	f.Add([]byte("> ```shell\n> ls\n> ```\n"), "a\n\nb\n")
	f.Add([]byte("```shell\nls\n```"), "a\n")
	f.Add([]byte("{{< tabs >}}\n{{% tab name=\"a\" %}}\n```shell\nls\n```\n```\nx\n```\n{{% /tab %}}\n{{< /tabs >}}\n"), "token: [REDACTED]\n")
	f.Fuzz(func(t *testing.T, page []byte, output string) {
		p, err := markdown.ParseBytes("page.md", page, markdown.Options{})
		if err != nil {
			return
		}
		checkSpans(t, page, p.Doc)
		res := allDiffer(p.Doc, output)
		o := Options{Add: true, Lines: match.Lines, Namespace: match.PageNamespace([]string{"docrun-abc"}), Parse: &markdown.Options{}}
		out, changes, _ := Edit(page, res, o)
		checkUnchanged(t, page, out, res, changes)
	})
}

// allDiffer is a result of doc where every step passed and printed output
// that differs from the page's.
func allDiffer(doc *markdown.Document, output string) *result.PageResult {
	res := &result.PageResult{Document: *doc}
	for i := range doc.Steps {
		res.Steps = append(res.Steps, &result.StepResult{Step: doc.Steps[i], Status: result.Passed,
			Verdict: result.VerdictDiffers, Stdout: output,
			Bindings: []result.Binding{{Name: "pod-name", Value: "web-0"}}})
	}
	return res
}

// checkSpans checks that the page's lines at each expected block's span
// read as the block's text, and that each step's span lies in the page.
// It returns how many expected blocks have a span, of how many.
func checkSpans(t testing.TB, page []byte, doc *markdown.Document) (spans, blocks int) {
	t.Helper()
	l := splitLines(page)
	for _, st := range doc.Steps {
		if sp := st.Span; sp != nil && (sp.First < 1 || sp.Last > l.count() || sp.End > l.count() || !l.holds(sp, st.Code)) {
			t.Errorf("%s:%d: step %d: its span %+v is not its code %q", doc.Path, st.Line, st.Index, *sp, st.Code)
		}
		if st.Expected == nil {
			continue
		}
		blocks++
		if sp := st.Expected.Span; sp != nil {
			spans++
			if !l.holds(sp, st.Expected.Text) {
				t.Errorf("%s:%d: step %d: the lines of its expected output's span %+v are not its text %q", doc.Path, st.Expected.Line, st.Index, *sp, st.Expected.Text)
			}
		}
	}
	return spans, blocks
}

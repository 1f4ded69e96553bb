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
	f.Add([]byte("{{< tabs >}}\n{{% tab name=\"a\" %}}\n```shell\nls\n```\n```\nx\n```\n{{% /tab %}}\n{{< /tabs >}}\n"), "token: [REDACTED]\n")
	f.Fuzz(func(t *testing.T, page []byte, output string) {
		p, err := markdown.ParseBytes("page.md", page, markdown.Options{})
		if err != nil {
			return
		}
		res := &result.PageResult{Document: *p.Doc}
		for i := range p.Doc.Steps {
			res.Steps = append(res.Steps, &result.StepResult{Step: p.Doc.Steps[i], Status: result.Passed,
				Verdict: result.VerdictDiffers, Stdout: output,
				Bindings: []result.Binding{{Name: "pod-name", Value: "web-0"}}})
		}
		o := Options{Add: true, Lines: match.Lines, Namespace: match.PageNamespace([]string{"docrun-abc"})}
		out, changes, _ := Edit(page, res, o)
		checkUnchanged(t, page, out, res, changes)
	})
}

package runner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"

	"github.com/docrun/docrun/result"
)

// targetCode returns the code a step marked to run elsewhere (Step.Target)
// runs in the page's shell, or why it does not run. A container step runs
// as the reader runs it, through kubectl exec into the Pod and container
// the page opened a shell in; on a cluster whose nodes are simulated it
// is skipped for that lack. A node step runs in the page's shell only with
// --allow-host on docrun's local cluster, whose nodes are this machine.
func (pr *pageRun) targetCode(s *markdown.Step, code string) (string, *lack, string) {
	t := s.Target
	c := pr.caps()
	if t.Kind == "node" {
		if pr.r.Opts.AllowHost && c != nil && c.Local {
			return code, nil, ""
		}
		return "", nil, t.Reason() + "; with --allow-host docrun runs it on its own local cluster's machine"
	}
	switch {
	case c != nil && !c.Containers:
		return "", containersLack(t.Reason()), ""
	case t.Pod == "":
		return "", nil, t.Reason() + "; the page does not say which Pod"
	}
	if n, ok := pr.unstartedPod(t.Step); ok {
		return "", nil, fmt.Sprintf("%s; its Pod is the one step %d starts with kubectl run, which did not run", t.Reason(), n)
	}
	return execCode(t, code), nil, ""
}

// execCode is code run in a target container as a reader runs it from
// their terminal: kubectl exec POD -c CONTAINER -n NS -- sh -c '…'.
func execCode(t *markdown.Target, code string) string {
	var b strings.Builder
	b.WriteString("kubectl exec " + t.Pod)
	if t.Container != "" {
		b.WriteString(" -c " + t.Container)
	}
	if t.Namespace != "" {
		b.WriteString(" -n " + t.Namespace)
	}
	b.WriteString(" -- sh -c " + shellQuote(strings.TrimRight(code, "\n")) + "\n")
	return b.String()
}

// targetPlaceholders are the placeholders of a step run in a container:
// its own and those of the Pod's name (<pod-name>).
func targetPlaceholders(s *markdown.Step) []string {
	if s.Target == nil || s.Target.Kind != "container" {
		return s.Placeholders
	}
	names := slices.Clone(s.Placeholders)
	for _, n := range shell.TextPlaceholders(s.Target.Pod + " " + s.Target.Container + " " + s.Target.Namespace) {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

// unstartedPod reports whether the step that opened a target's shell
// (index step) starts its Pod with kubectl run and did not run: the Pod
// does not exist for kubectl exec to reach.
func (pr *pageRun) unstartedPod(step int) (int, bool) {
	if step < 0 {
		return 0, false
	}
	for _, st := range pr.res.Steps {
		if st.Index != step || st.Hidden {
			continue
		}
		if st.Status != result.Skipped {
			return 0, false
		}
		last, ok := shell.Parse(st.Code).Last()
		if inv, isKubectl := kubectl.ReadCall(last); ok && isKubectl && inv.Command() == "run" {
			return step, true
		}
	}
	return 0, false
}

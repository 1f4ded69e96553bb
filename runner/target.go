package runner

import (
	"fmt"
	"path"
	"regexp"
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
	return execCode(t, pr.shellDir(s)+code), nil, ""
}

// shellDir returns the cd that puts a container step where the reader's
// shell in that container is: in the directory the earlier steps typed
// into the same shell (same Target) went to with cd. Each step runs in a
// kubectl exec of its own, whose shell starts in the container's working
// directory; the reader's one shell does not. It returns "" when no
// earlier step changed directory. Directories are joined where docrun can
// (cd /data, then cd demo: /data/demo); others are replayed as written.
func (pr *pageRun) shellDir(s *markdown.Step) string {
	var dirs []string
	for _, st := range pr.res.Steps {
		if st.Index >= s.Index {
			break
		}
		if st.Status == result.Skipped || st.Status == "" || st.Target == nil || *st.Target != *s.Target {
			continue
		}
		dirs = append(dirs, shell.Parse(st.Code).Dirs()...)
	}
	return cdCode(dirs)
}

// cdCode is the code that goes where cd commands with these operands go,
// in order ("" is cd alone, to the home directory): one cd from the last
// absolute, home or expanded operand on, with the relative ones after it
// joined to it.
func cdCode(dirs []string) string {
	var lines []string
	joined := ""
	flush := func() {
		if joined != "" {
			lines = append(lines, "cd "+quoteWord(joined))
			joined = ""
		}
	}
	for _, d := range dirs {
		switch {
		case d == "" || d == "~":
			lines, joined = []string{"cd"}, ""
		case d == "-":
			// back to the one before: replay as written
			flush()
			lines = append(lines, "cd -")
		case strings.ContainsAny(d, "$`~*?"):
			flush()
			if strings.HasPrefix(d, "\"") || strings.HasPrefix(d, "$") || strings.HasPrefix(d, "~") || strings.HasPrefix(d, "/") {
				lines = nil
			}
			lines = append(lines, "cd "+d)
		case path.IsAbs(d):
			lines, joined = nil, path.Clean(d)
		case joined != "":
			joined = path.Join(joined, d)
		default:
			joined = path.Clean(d)
		}
	}
	flush()
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
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

// plainWord is a word the shell reads as itself.
var plainWord = regexp.MustCompile(`^[A-Za-z0-9_./:@%+,=-]+$`)

// quoteWord quotes a word for the shell when it needs quotes.
func quoteWord(w string) string {
	if plainWord.MatchString(w) {
		return w
	}
	return shellQuote(w)
}

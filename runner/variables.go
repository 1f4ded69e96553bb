package runner

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
	"github.com/docrun/docrun/result"
	"github.com/docrun/docrun/runner/session"
)

// emptyVar is a variable of the page's shell that a step set from a
// command's output and that stayed empty: later steps that use it are
// skipped at once, with why.
type emptyVar struct {
	name   string
	setter int
	why    string
}

// pageVariables returns why a step cannot run for a shell variable it
// uses, set by an earlier step of the page, as a reader sees it:
//
//   - Only a skipped step sets it: the step follows that one ("follows
//     step 5, which would have set $pods: …").
//   - The step that set it took it from a command's output (NAME=$(kubectl
//     get …)) and it is empty: the object it names is not there yet, or
//     not at all. When that command only reads (markdown.ReadOnlyVars) and
//     the page changed the cluster before, docrun runs it again, as a reader
//     who sees an empty name runs it again, after 1, 2, 4, then every 5 s
//     within the settle bound (Options.Settle), until the variable has a
//     value; the step's note says how long it waited. Still empty, the
//     step is skipped with the command that came out empty.
//
// Variables given (--set, docrun.yaml) and those a step sets itself are
// left alone, and so are steps run elsewhere, whose shell is not the
// page's (code typed into a container uses the page's variables only in
// the kubectl exec that carries it, which is the code read here).
func (pr *pageRun) pageVariables(ctx context.Context, st *result.StepResult, code string) string {
	if pr.sess == nil || st.Kind != markdown.KindCommand || (st.Target != nil && st.Target.Kind != "container") {
		return ""
	}
	v := shell.Parse(code).Vars()
	if v.Opaque {
		return ""
	}
	var earlier []stepVars
	for _, name := range v.Used {
		if slices.Contains(v.Set, name) {
			continue
		}
		if _, ok := pr.binds.get(name); ok {
			continue
		}
		if earlier == nil {
			earlier = pr.earlierVars(st)
		}
		if why := pr.pageVariable(ctx, st, name, earlier); why != "" {
			return why
		}
	}
	return ""
}

// pageVariable checks one variable a step uses (see pageVariables).
func (pr *pageRun) pageVariable(ctx context.Context, st *result.StepResult, name string, earlier []stepVars) string {
	last, ran := setters(earlier, name)
	switch {
	case last == nil:
		return ""
	case ran == nil && last.Status == result.Skipped:
		return fmt.Sprintf("follows step %d, which would have set $%s: %s", last.Index, name, last.SkipReason)
	case ran == nil:
		return ""
	}
	for _, e := range pr.emptyVars {
		if e.name == name && e.setter == ran.Index {
			return e.why
		}
	}
	setCode := ranCode(ran)
	if !slices.Contains(shell.Parse(setCode).Vars().FromOutput, name) {
		return ""
	}
	value, err := pr.shellValue(ctx, name)
	if err != nil || value != "" {
		return ""
	}
	what := fmt.Sprintf("needs $%s, which step %d set from the output of %s", name, ran.Index, firstLine(setCode))
	ok, _ := markdown.ReadOnlyVars(setCode)
	bound := pr.r.Opts.Settle
	why := what + ": it is empty: the command found nothing, and no step before it changed the cluster (the page reads objects made before it)"
	if ok && bound > 0 && pr.changedBefore(ran.Index) {
		start := time.Now()
		tries := 0
		backoff(ctx, start, func() time.Duration { return bound }, func() bool {
			res, err := pr.sess.Run(ctx, setCode, time.Minute, session.Output{})
			if err != nil || res.Ended {
				return false
			}
			tries++
			value, err = pr.shellValue(ctx, name)
			return err == nil && value == ""
		})
		if value != "" {
			addNote(st, fmt.Sprintf("waited %s for $%s: step %d run again %s, until it found what it looks for",
				time.Since(start).Round(time.Second), name, ran.Index, times(tries)))
			return ""
		}
		why = fmt.Sprintf("%s: it is still empty after %s (step %d run again %s)", what, time.Since(start).Round(time.Second), ran.Index, times(tries))
	}
	pr.emptyVars = append(pr.emptyVars, emptyVar{name: name, setter: ran.Index, why: why})
	return why
}

// times says how many times: "once", "3 times".
func times(n int) string {
	if n == 1 {
		return "once"
	}
	return fmt.Sprintf("%d times", n)
}

// stepVars is a step of the page's shell with the variables its code
// sets.
type stepVars struct {
	st  *result.StepResult
	set []string
}

// earlierVars are the command steps before st that ran in the page's
// shell or were skipped there, with the variables they set, parsed once
// for all the variables st uses.
func (pr *pageRun) earlierVars(st *result.StepResult) []stepVars {
	out := []stepVars{}
	for _, s := range pr.res.Steps {
		if s == st {
			break
		}
		if s.Kind != markdown.KindCommand || s.Target != nil || s.Status == "" {
			continue
		}
		out = append(out, stepVars{s, shell.Parse(ranCode(s)).Vars().Set})
	}
	return out
}

// setters returns the last of the earlier steps that sets a variable,
// and the last such step that ran; nil when none.
func setters(earlier []stepVars, name string) (last, ran *result.StepResult) {
	for _, e := range earlier {
		if !slices.Contains(e.set, name) {
			continue
		}
		last = e.st
		if e.st.Status != result.Skipped {
			ran = e.st
		}
	}
	return last, ran
}

// ranCode is the code a step ran: its code with bound values, else the
// page's.
func ranCode(st *result.StepResult) string {
	if st.Ran != "" {
		return st.Ran
	}
	return st.Code
}

// shellValue returns a variable's value in the page's shell.
func (pr *pageRun) shellValue(ctx context.Context, name string) (string, error) {
	res, err := pr.sess.Run(ctx, fmt.Sprintf("printf '%%s' \"${%s-}\"\n", name), 10*time.Second, session.Output{})
	if err != nil {
		return "", err
	}
	if res.ExitCode != 0 || res.Ended {
		return "", fmt.Errorf("exit %d", res.ExitCode)
	}
	return strings.TrimSpace(res.Stdout), nil
}

// connections are the kubectl commands that are not read-only but change
// no object: they run code in containers or open connections.
var connections = map[string]bool{"proxy": true, "port-forward": true, "exec": true, "attach": true, "cp": true, "logs": true}

// changedBefore reports whether a kubectl command of a step before index
// i that ran could have changed the cluster's objects: one that is not
// read-only and not only a connection (proxy, port-forward, exec). Then
// what a later read finds may still change, as the cluster acts on it.
func (pr *pageRun) changedBefore(i int) bool {
	for _, s := range pr.res.Steps {
		if s.Index > i {
			break
		}
		if s.Kind != markdown.KindCommand || s.Status == result.Skipped || s.Status == "" {
			continue
		}
		for _, c := range kubectl.Calls(shell.Parse(ranCode(s))) {
			if !c.ReadOnly() && !connections[c.Command()] {
				return true
			}
		}
	}
	return false
}

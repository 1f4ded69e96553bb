package runner

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/runner/match"
	"github.com/docrun/docrun/runner/redact"
	"github.com/docrun/docrun/runner/session"

	"github.com/docrun/docrun/result"
)

// skipReason returns why a step does not run, or "": what the page and
// docrun.yaml say of it, before its code is prepared.
func (pr *pageRun) skipReason(st *result.StepResult) string {
	s := &st.Step
	switch {
	case pr.stopped >= 0:
		return fmt.Sprintf("not run: --fail-fast stopped the page at step %d", pr.stopped)
	case pr.ended >= 0 && s.Kind == markdown.KindCommand:
		return fmt.Sprintf("the shell session ended at step %d", pr.ended)
	case s.Kind == markdown.KindText || s.Kind == markdown.KindManifest:
		return s.Reason
	case s.Directives != nil && s.Directives.Skip:
		return s.Reason
	case !s.Runnable:
		return s.Reason
	}
	if why := pr.recreated(s); why != "" {
		return why
	}
	for _, c := range pr.conf {
		if c.skips(s.Index, s.Code) && !s.Hidden {
			return "skipped by docrun.yaml"
		}
	}
	if why := pr.r.Executors.Get(s).Available(s); why != "" {
		return why
	}
	return ""
}

// flagReason returns why a step whose code is ready does not run: it is
// interactive, changes this machine, or needs the internet offline. The
// flags are those of the code as it will run, so a substitute can make an
// interactive step runnable.
func (pr *pageRun) flagReason(st *result.StepResult, code string) string {
	o := pr.r.Opts
	s := &st.Step
	f := markdown.CommandFlags{Background: s.Background, Interactive: s.Interactive, Network: s.Network, Host: s.Host}
	if s.Kind == markdown.KindCommand && code != s.Code {
		f = markdown.AnalyzeCommand(code)
	}
	switch {
	case f.Interactive:
		return "interactive: waits for a person at a terminal (give a non-interactive substitute with a docrun replace directive or docrun.yaml)"
	case f.Host && !o.AllowHost:
		return "changes this machine (sudo, package managers, cluster installers); run with --allow-host to run it"
	case f.Network && o.Offline:
		return "needs the internet (--offline)"
	}
	return ""
}

// prepare returns the code a step runs: the replacement (directive or
// docrun.yaml) or the page's code, with substitutions, bound placeholders
// and example URLs, and whether it was replaced. A reason is returned
// instead when the step cannot run.
func (pr *pageRun) prepare(st *result.StepResult) (code string, replaced bool, why string) {
	s := &st.Step
	st.Note = ""
	code = s.Code
	if s.Directives != nil && s.Directives.Replace != "" {
		code, replaced = s.Directives.Replace, true
	}
	for _, c := range pr.conf {
		if r, ok := c.Replace[s.Index]; ok && !s.Hidden {
			code, replaced = strings.TrimRight(r, "\n")+"\n", true
		}
	}
	if s.Target != nil && !replaced {
		var l *lack
		if code, l, why = pr.targetCode(s, code); l != nil {
			pr.recordLack(l, s.Index)
			return "", replaced, l.why
		} else if why != "" {
			return "", replaced, why
		}
	}
	for _, c := range pr.conf {
		code = pr.binds.substitute(code, c.Substitutions)
	}
	code, outs := pr.applyReplacements(code, s.Replaces)
	code, creds, names := pr.bindCredentials(code, s.Credentials, targetPlaceholders(s))
	code, used, missing := pr.binds.bindAny(code, names, s.AnyOne)
	st.Bindings = sortedBindings(append(append(outs, creds...), used...))
	code, note := pr.foregroundServer(st, code)
	if why := pr.flagReason(st, code); why != "" {
		return "", replaced, why
	}
	if l := pr.clusterLack(st, code); l != nil {
		pr.recordLack(l, s.Index)
		pr.noListener(s.Index, code, l)
		return "", replaced, l.why
	}
	if why := pr.unlistenedPort(s, code); why != "" {
		return "", replaced, why
	}
	if len(missing) > 0 {
		return "", replaced, pr.binds.missingReason(missing[0], "")
	}
	if s.Kind == markdown.KindCommand {
		var misses []exampleMiss
		code, misses = mapExamples(code, pr.site, pr.res.Lang)
		for _, m := range misses {
			pr.res.Notes = append(pr.res.Notes, fmt.Sprintf("%s:%d: %s", pr.res.Path, s.Line, m))
			if pr.r.Opts.Offline {
				return "", replaced, "needs " + m.String()
			}
		}
	}
	st.Note = note
	return code, replaced, ""
}

// step runs one step and records its result.
func (pr *pageRun) step(ctx, parent context.Context, i int, st *result.StepResult) {
	if ctx.Err() != nil {
		st.Status = result.Skipped
		st.SkipReason = "not run: the run was interrupted"
		if parent.Err() == nil {
			st.SkipReason = "not run: the page timed out"
		}
		pr.r.events().StepEnded(pr.res, i)
		return
	}
	if why := pr.skipReason(st); why != "" {
		st.Status, st.SkipReason = result.Skipped, why
		pr.unwrote(st)
		pr.r.events().StepEnded(pr.res, i)
		return
	}
	pr.bindFileFolders(st)
	code, replaced, why := "", false, pr.bindOutputs(ctx, st)
	if why == "" {
		code, replaced, why = pr.prepare(st)
	}
	if why == "" {
		why = pr.createFiles(ctx, st)
	}
	if why == "" {
		why = pr.manifestLack(st, code, replaced)
	}
	if why == "" && st.Kind == markdown.KindCommand && pr.caps() != nil {
		uses := stepObjects(st, code, replaced, filepath.Join(pr.dir, "work"))
		if why = pr.rightsLack(ctx, st, uses); why == "" {
			why = pr.followsSkipped(ctx, st, code, uses)
		}
	}
	if why == "" {
		why = pr.simulatedPod(ctx, st, code)
	}
	if why == "" {
		why = pr.missingTool(ctx, st, code)
	}
	if why == "" {
		why = pr.missingContext(st, code)
	}
	if why == "" {
		why = pr.unwrittenFile(ctx, st, code)
	}
	if why == "" {
		why = pr.proxiedToUnlistened(ctx, st, code)
	}
	if why == "" {
		why = pr.sampleName(ctx, st, code)
	}
	if why == "" {
		why = pr.pageVariables(ctx, st, code)
	}
	if why != "" {
		st.Status, st.SkipReason = result.Skipped, why
		pr.unwrote(st)
		pr.r.events().StepEnded(pr.res, i)
		return
	}
	if code != st.Code {
		st.Ran = code
	}
	pr.stopServers(ctx, code)
	pr.r.Opts.Redactor.Learn(code)
	timeout := pr.timeout(&st.Step)
	x := &Exec{Session: pr.sess, Dir: pr.dir, Kubeconfig: pr.kubecfg, Page: pr.res.Path, Line: st.Line}
	if pr.r.Cluster != nil {
		x.ServerMinor = pr.r.Cluster.Minor
	}
	pr.r.events().StepStarted(pr.res, i)
	o, live := pr.output(i)
	x.Live = live
	start := time.Now()
	out, err := pr.r.Executors.Get(&st.Step).Run(ctx, x, &st.Step, code, timeout)
	o.end()
	st.DurationMS = time.Since(start).Milliseconds()
	pr.ranAt(st, start)
	st.ExitCode, st.Stdout, st.Stderr = out.ExitCode, out.Stdout, out.Stderr
	switch {
	case err != nil && out.Ended:
		st.Status = result.Failed
		st.Stderr += err.Error()
		pr.ended = st.Index
	case err != nil:
		st.Status = result.Failed
		st.Stderr += err.Error()
	case out.TimedOut:
		st.Status = result.Timeout
		st.Stderr += fmt.Sprintf("\ndocrun: step timed out after %s; its processes were killed\n", timeout)
	case out.Canceled:
		st.Status = result.Failed
		st.Stderr += "\ndocrun: interrupted\n"
	case out.ExitCode != 0 && foundDifferences(code, out.ExitCode) == "":
		st.Status = result.Failed
	case out.ExitCode != 0:
		st.Status = result.Passed
		addNote(st, foundDifferences(code, out.ExitCode))
	default:
		st.Status = result.Passed
	}
	if out.Ended && err == nil {
		pr.ended = st.Index
	}
	pr.waitListening(ctx, st, code)
	pr.waitEstablished(ctx, st)
	pr.serving(ctx, st, code)
	if err == nil && !out.TimedOut && !out.Canceled && !out.Ended {
		pr.retryUnreachable(ctx, st, code, x, timeout)
		pr.waitStarted(ctx, st, code, x, timeout)
		pr.settle(ctx, st, code, x, timeout)
		expectFailure(st)
	}
	if st.Expected != nil && st.Status != result.Timeout {
		pr.compare(st)
		if st.Verdict == match.Differs && pr.r.Opts.StrictOutput && st.Status == result.Passed {
			st.Status = result.Failed
		}
	}
	if st.Status == result.Failed || st.Status == result.Timeout {
		if pr.r.Opts.FailFast {
			pr.stopped = st.Index
		}
	}
	pr.redact(ctx, st, code, o)
	pr.r.events().StepEnded(pr.res, i)
}

// compare sets a step's verdict and diff (see Compare).
func (pr *pageRun) compare(st *result.StepResult) { Compare(pr.res, st) }

// Compare sets the verdict and diff of a step of page p that ran: its
// output compared with the page's expected output, where the page's
// `default` namespace and the run's own namespace are the same.
func Compare(p *result.PageResult, st *result.StepResult) {
	o := match.Options{Mode: match.ModeSimilar}
	if d := st.Directives; d != nil && d.Output != "" {
		o.Mode = match.Mode(d.Output)
	}
	if c := p.Cluster; c != nil && c.Namespace != "" {
		o.Namespaces = []string{c.Namespace}
	}
	m := match.CompareWith(st.Expected.Text, st.Output(), st.Expected.Lang, o)
	st.Verdict, st.Diff = m.Verdict, m.Diff
}

// redact hides secrets in what a step printed and ran, after reading the
// values of the shell's secret-looking variables when the step mentions
// one (TOKEN=$(kubectl get secret ...)): they are hidden from then on, in
// this step's output and, when they are new, in the earlier steps' too.
func (pr *pageRun) redact(ctx context.Context, st *result.StepResult, code string, o *stepOutput) {
	red := pr.r.Opts.Redactor
	if red == nil {
		return
	}
	if st.Kind == markdown.KindCommand && pr.sess != nil && pr.ended < 0 && redact.MentionsSecret(code) {
		if res, err := pr.sess.Run(ctx, redact.ShellQuery, 10*time.Second, session.Output{}); err == nil && !res.Ended {
			red.AddShellValues(res.Stdout)
		}
	}
	st.Stdout, st.Stderr = o.redacted(red, st.Stdout, st.Stderr)
	st.Ran, st.Diff = red.String(st.Ran), red.String(st.Diff)
	if g := red.Generation(); g != pr.redacted {
		RedactPage(pr.res, red)
		pr.redacted = red.Generation()
	}
}

// timeout is a step's timeout: its directive, else the rule of limit.
func (pr *pageRun) timeout(s *markdown.Step) time.Duration {
	if s.Directives != nil && s.Directives.Timeout != "" {
		if d, err := time.ParseDuration(s.Directives.Timeout); err == nil {
			return d
		}
	}
	return pr.limit(func(c *PageConfig) time.Duration { return c.stepTimeout }, pr.r.Opts.StepTimeout, DefaultStepTimeout)
}

// dryRun records every step as it would run, touching nothing.
func (pr *pageRun) dryRun() {
	pr.binds.set("path-to-kubeconfig", "$KUBECONFIG", "auto")
	for k, v := range pr.r.Opts.Set {
		pr.binds.set(k, v, "set")
	}
	for i, st := range pr.res.Steps {
		why := pr.skipReason(st)
		code := ""
		if why == "" {
			pr.bindFileFolders(st)
			code, _, why = pr.prepare(st)
		}
		if why == "" {
			_, why = pr.stepFiles(st)
		}
		st.Status = result.Skipped
		if why != "" {
			st.SkipReason = why
		} else {
			st.SkipReason = DryRun
			if code != st.Code {
				st.Ran = code
			}
		}
		pr.r.events().StepEnded(pr.res, i)
	}
}

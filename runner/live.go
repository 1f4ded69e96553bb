package runner

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/runner/session"

	"github.com/docrun/docrun/result"
)

// PageSession is a page opened to be run one step at a time, in the order
// a person chooses (docrun walk, docrun serve, docrun watch --rerun): the
// same session semantics as RunPage (isolated namespace and kubeconfig
// copy, one bash, background processes, timeouts), ended by Close.
//
// Its methods may be called from several goroutines: steps run one at a
// time, and Result, Steps and Bindings return a copy of the state made
// when it last changed, so they never wait for a running step.
type PageSession struct {
	mu     sync.Mutex // held while a step runs or the state changes
	pr     *pageRun
	ctx    context.Context
	cancel context.CancelFunc
	closed atomic.Bool
	snap   atomic.Pointer[snapshot]
	page   atomic.Pointer[markdown.Page]
	binds  atomic.Pointer[map[string]result.Binding]
}

// Open parses a page and sets up its namespace, kubeconfig copy and shell.
// The context bounds the whole session (the page timeout applies too).
func (r *Runner) Open(ctx context.Context, path string) (*PageSession, error) {
	pr, err := r.parsePage(path)
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, pr.pageTimeout())
	if err := pr.setUp(pctx); err != nil {
		pr.setUpFailed(ctx, err)
		r.awaitDeletions(ctx, []*pageRun{pr}, r.deleteWait(ctx))
		cancel()
		return nil, err
	}
	p := &PageSession{pr: pr, ctx: pctx, cancel: cancel}
	p.publish()
	return p, nil
}

// snapshot is a copy of a session's result, redacted with the values its
// Redactor knew at generation gen.
type snapshot struct {
	res *result.PageResult
	gen uint64
}

// publish makes a copy of the state for readers. Callers hold p.mu (or
// own p alone).
func (p *PageSession) publish() {
	pr := p.pr
	if red := pr.r.Opts.Redactor; red != nil && red.Generation() != pr.redacted {
		RedactPage(pr.res, red)
		pr.redacted = red.Generation()
	}
	p.snap.Store(&snapshot{res: pr.res.Clone(), gen: pr.redacted})
	p.page.Store(p.pr.page)
	binds := make(map[string]result.Binding, len(p.pr.binds.values))
	for k, v := range p.pr.binds.values {
		binds[k] = v
	}
	p.binds.Store(&binds)
}

// Result is the page with the outcomes of the steps run so far: a copy
// the caller may keep; it does not change. It is redacted with every value
// the Runner's Redactor knows now, also those learned since the steps ran
// (by a later step, or by another session of the Runner).
func (p *PageSession) Result() *result.PageResult {
	s := p.snap.Load()
	red := p.pr.r.Opts.Redactor
	if red == nil || red.Generation() == s.gen {
		return s.res
	}
	gen := red.Generation()
	res := s.res.Clone()
	RedactPage(res, red)
	p.snap.CompareAndSwap(s, &snapshot{res: res, gen: gen})
	return res
}

// Page is the parsed page the session runs (the latest, after Reload).
func (p *PageSession) Page() *markdown.Page { return p.page.Load() }

// Steps are the page's steps, with their results so far (see Result).
func (p *PageSession) Steps() []*result.StepResult { return p.Result().Steps }

// Bindings returns the values placeholders have now, by name (a copy, as
// of the last change; see Result).
func (p *PageSession) Bindings() map[string]result.Binding {
	out := map[string]result.Binding{}
	if b := p.binds.Load(); b != nil {
		for k, v := range *b {
			out[k] = v
		}
	}
	return out
}

// Bind gives a placeholder a value for the rest of the session.
func (p *PageSession) Bind(name, value string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pr.binds.set(name, value, "set")
	p.publish()
}

// Unbound returns the placeholders of step i, and of the files docrun
// writes for it, that have no value. A placeholder that stands for the
// folder of such a file (kubectl apply -k <directory-path>) gets that
// folder first.
func (p *PageSession) Unbound(i int) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if i < 0 || i >= len(p.pr.res.Steps) {
		return nil
	}
	st := p.pr.res.Steps[i]
	p.pr.bindFileFolders(st)
	p.publish()
	var out []string
	names := st.Placeholders
	if !inserted(st) {
		names = append(slices.Clone(names), p.pr.res.Document.FilePlaceholders(st.Index)...)
	}
	for _, n := range names {
		if _, ok := p.pr.binds.get(n); !ok && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// Run runs step i (again, if it ran before) and returns its result. code,
// when not empty, runs instead of the step's code (an edited command);
// placeholders and substitutions still apply. Its events, output
// included, go to the Runner's Events.
func (p *PageSession) Run(i int, code string) (*result.StepResult, error) {
	return p.RunLive(i, code, session.Output{})
}

// RunLive is Run with the step's output also streamed to out as it comes
// (either writer may be nil), instead of to the Runner's StepOutput events.
// The stream goes through the Runner's Redactor: a redact.Stream of stdout
// and stderr together, each part to its writer.
func (p *PageSession) RunLive(i int, code string, out session.Output) (*result.StepResult, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed.Load() {
		return nil, fmt.Errorf("the session has ended")
	}
	if i < 0 || i >= len(p.pr.res.Steps) {
		return nil, fmt.Errorf("no step %d", i)
	}
	st := p.pr.res.Steps[i]
	orig := st.Directives
	if code != "" {
		d := markdown.Directives{}
		if orig != nil {
			d = *orig
		}
		d.Replace, d.Skip = code, false
		st.Directives = &d
	}
	reset(st)
	if out.Stdout != nil || out.Stderr != nil {
		p.pr.live = &out
		defer func() { p.pr.live = nil }()
	}
	// A step a person asks for runs even after a failure.
	p.pr.stopped = -1
	p.pr.step(p.ctx, p.ctx, i, st)
	st.Directives = orig
	p.publish()
	c := *p.Result().Steps[i]
	return &c, nil
}

// Skip records step i as skipped by the person walking the page.
func (p *PageSession) Skip(i int, reason string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if i >= 0 && i < len(p.pr.res.Steps) {
		st := p.pr.res.Steps[i]
		reset(st)
		st.Status, st.SkipReason = result.Skipped, reason
		p.publish()
	}
}

func reset(st *result.StepResult) {
	st.Status, st.ExitCode, st.DurationMS = "", 0, 0
	st.Stdout, st.Stderr, st.Ran, st.Diff, st.SkipReason = "", "", "", "", ""
	st.Verdict = ""
	st.Stale = false
	st.Bindings = []result.Binding{}
	st.Created = nil
}

// Reload makes the session run page, a new parse of its page, from now
// on; the shell and namespace stay. The steps keep the outcomes of the
// old parse by result.CarryOver's rule. It returns the indexes in Steps of
// the steps without a matching old one, in order: where a re-run starts
// (docrun watch --rerun).
func (p *PageSession) Reload(page *markdown.Page) []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	pr := p.pr
	old := pr.res.Steps
	pr.page = page
	pr.res.Document = *page.Doc
	steps := pr.plan()
	changed := result.CarryOver(steps, old, func(st *result.StepResult) { Compare(pr.res, st) })
	pr.res.Steps = steps
	p.publish()
	return changed
}

// Ended says whether the page's shell has ended (a step ran exit).
func (p *PageSession) Ended() bool {
	if p.closed.Load() {
		return true
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pr.ended >= 0
}

// Closed says whether Close was called.
func (p *PageSession) Closed() bool { return p.closed.Load() }

// Close ends every process of the page and deletes its namespace, waiting
// until it is gone (at most the Runner's DeleteWait). A step
// running is interrupted first. It is safe to call more than once and from
// any goroutine.
func (p *PageSession) Close(ctx context.Context) {
	if p.closed.Swap(true) {
		p.mu.Lock() // wait for the first Close to finish
		p.mu.Unlock()
		return
	}
	p.cancel()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pr.tearDown(ctx)
	p.pr.r.awaitDeletions(ctx, []*pageRun{p.pr}, p.pr.r.deleteWait(ctx))
	p.pr.res.DurationMS = time.Since(p.pr.res.Started).Milliseconds()
	p.publish()
}

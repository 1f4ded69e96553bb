package runner

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/docrun/docrun/markdown"
)

// PageSession is a page opened to be run one step at a time, in the order
// a person chooses (docrun walk, docrun serve): the same session semantics
// as RunPage (isolated namespace and kubeconfig copy, one bash, background
// processes, timeouts), ended by Close.
type PageSession struct {
	mu     sync.Mutex
	pr     *pageRun
	ctx    context.Context
	cancel context.CancelFunc
	closed bool
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
		cancel()
		return nil, err
	}
	return &PageSession{pr: pr, ctx: pctx, cancel: cancel}, nil
}

// Result is the page with the outcomes of the steps run so far.
func (p *PageSession) Result() *PageResult { return p.pr.res }

// Page is the parsed page.
func (p *PageSession) Page() *markdown.Page { return p.pr.page }

// Steps are the page's steps, with their results so far.
func (p *PageSession) Steps() []*StepResult { return p.pr.res.Steps }

// Bindings returns the values placeholders have now, by name.
func (p *PageSession) Bindings() map[string]Binding {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]Binding{}
	for k, v := range p.pr.binds.values {
		out[k] = v
	}
	return out
}

// Bind gives a placeholder a value for the rest of the session.
func (p *PageSession) Bind(name, value string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pr.binds.set(name, value, "set")
}

// Unbound returns the placeholders of step i that have no value.
func (p *PageSession) Unbound(i int) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if i < 0 || i >= len(p.pr.res.Steps) {
		return nil
	}
	var out []string
	for _, n := range p.pr.res.Steps[i].Placeholders {
		if _, ok := p.pr.binds.get(n); !ok {
			out = append(out, n)
		}
	}
	return out
}

// Run runs step i (again, if it ran before) and returns its result. code,
// when not empty, runs instead of the step's code (an edited command);
// placeholders and substitutions still apply. Progress and live output go
// to the Runner's Progress writer.
func (p *PageSession) Run(i int, code string) (*StepResult, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
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
	// A step a person asks for runs even after a failure.
	p.pr.stopped = -1
	p.pr.step(p.ctx, p.ctx, i, st)
	st.Directives = orig
	return st, nil
}

// Skip records step i as skipped by the person walking the page.
func (p *PageSession) Skip(i int, reason string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if i >= 0 && i < len(p.pr.res.Steps) {
		st := p.pr.res.Steps[i]
		reset(st)
		st.Status, st.SkipReason = Skipped, reason
	}
}

func reset(st *StepResult) {
	st.Status, st.ExitCode, st.DurationMS = "", 0, 0
	st.Stdout, st.Stderr, st.Ran, st.Diff, st.SkipReason = "", "", "", "", ""
	st.Verdict = ""
	st.Bindings = []Binding{}
}

// Ended says whether the page's shell has ended (a step ran exit).
func (p *PageSession) Ended() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pr.ended >= 0 || p.closed
}

// Close ends every process of the page and deletes its namespace. It is
// safe to call more than once.
func (p *PageSession) Close(ctx context.Context) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.closed = true
	p.cancel()
	p.pr.tearDown(ctx)
	p.pr.res.DurationMS = time.Since(p.pr.res.Started).Milliseconds()
}

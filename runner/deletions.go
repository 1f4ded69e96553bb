package runner

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/docrun/docrun/result"
)

// DefaultDeleteWait bounds the wait for the pages' namespaces to be gone
// at the end of a run, when Options.DeleteWait is not set.
const DefaultDeleteWait = 2 * time.Minute

// interruptedDeleteWait bounds that wait after Ctrl-C: the deletions were
// asked for, and the cluster finishes them without docrun.
const interruptedDeleteWait = 5 * time.Second

// deletions are the pages of a run whose namespaces are being deleted in
// the background. Pages running in parallel add to it.
type deletions struct {
	mu    sync.Mutex
	pages []*pageRun
}

// add records pr when its namespace is being deleted, and returns its
// result.
func (d *deletions) add(pr *pageRun) *result.PageResult {
	if pr.deleting != "" {
		d.mu.Lock()
		d.pages = append(d.pages, pr)
		d.mu.Unlock()
	}
	return pr.res
}

// all returns the pages recorded.
func (d *deletions) all() []*pageRun {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.pages
}

// deleteWait is the bound of the wait for namespaces to be gone.
func (r *Runner) deleteWait(ctx context.Context) time.Duration {
	w := r.Opts.DeleteWait
	if w <= 0 {
		w = DefaultDeleteWait
	}
	if ctx.Err() != nil {
		w = min(w, interruptedDeleteWait)
	}
	return w
}

// awaitDeletions waits until the namespaces the pages are deleting are
// gone, at most bound, and returns those still terminating then; each
// such page gets a note saying so. ctx ending (Ctrl-C) does not stop the
// wait: the caller shortens bound instead.
func (r *Runner) awaitDeletions(ctx context.Context, pages []*pageRun, bound time.Duration) []string {
	var names []string
	byName := map[string]*pageRun{}
	for _, pr := range pages {
		if pr.deleting != "" {
			names = append(names, pr.deleting)
			byName[pr.deleting] = pr
		}
	}
	if len(names) == 0 || r.Cluster == nil {
		return nil
	}
	left := r.Cluster.WaitNamespacesGone(context.WithoutCancel(ctx), names, bound)
	for _, pr := range pages {
		pr.deleting = ""
	}
	for _, ns := range left {
		pr := byName[ns]
		msg := fmt.Sprintf("namespace %s is still terminating after %s", ns, bound)
		pr.res.Notes = append(pr.res.Notes, msg)
		pr.notice(msg)
	}
	return left
}

// recheckLeaks looks again, once the pages' namespaces are gone, at the
// cluster-scoped objects each page was found to leave right after it
// ended, when its namespace was still terminating: an object that went
// away since (a PersistentVolume provisioned for a claim of the page's
// namespace, released with it) was not left behind. Objects docrun
// deleted (CleanupClusterScoped) stay reported.
func (r *Runner) recheckLeaks(ctx context.Context, pages []*result.PageResult) {
	var check []*result.PageResult
	for _, p := range pages {
		if len(p.Leaks) > 0 && !p.Deleted {
			check = append(check, p)
		}
	}
	if len(check) == 0 {
		return
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	now, err := r.Cluster.Snapshot(cctx)
	if err != nil || len(now) == 0 {
		return // nothing to judge by
	}
	there := map[string]bool{}
	for _, o := range now {
		there[o.String()] = true
	}
	for _, p := range check {
		kept := []string{}
		for _, l := range p.Leaks {
			if there[l] {
				kept = append(kept, l)
				continue
			}
			msg := "cluster-scoped object " + l + " went away once the page's namespace was deleted: not left behind"
			p.Notes = append(p.Notes, msg)
			r.events().Notice(p, r.Opts.Redactor.String(msg))
		}
		p.Leaks = kept
	}
}

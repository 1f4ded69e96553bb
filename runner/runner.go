package runner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/runner/cluster"
	"github.com/docrun/docrun/runner/match"
	"github.com/docrun/docrun/runner/redact"
	"github.com/docrun/docrun/runner/session"

	"github.com/docrun/docrun/result"
)

// Options configure a run.
type Options struct {
	// StepTimeout is the default timeout of a step (DefaultStepTimeout);
	// PageTimeout of a whole page (DefaultPageTimeout).
	StepTimeout time.Duration
	PageTimeout time.Duration
	// FailFast stops a page at its first failed or timed-out step.
	FailFast bool
	// Offline skips steps that need the internet.
	Offline bool
	// AllowHost runs steps that change the host (sudo, package managers).
	AllowHost bool
	// StrictOutput fails a step whose output differs from the page's.
	StrictOutput bool
	// Settle bounds how long a read-only step whose output has not yet
	// reached the state the page shows runs again (0: never).
	Settle time.Duration
	// DryRun prints the steps as they would run and touches no cluster.
	DryRun bool
	// Keep leaves each page's namespace in place.
	Keep bool
	// DeleteWait bounds the wait, once at the end of a run, for the
	// namespaces of its pages to be gone (DefaultDeleteWait); each page's
	// namespace is deleted in the background as soon as the page ends.
	DeleteWait time.Duration
	// CleanupClusterScoped deletes cluster-scoped objects a page created.
	CleanupClusterScoped bool
	// Namespace, when set, is used as it is instead of a fresh namespace
	// per page (and not deleted).
	Namespace string
	// Only, From and To select steps by index (-1: unset).
	Only, From, To int
	// Set binds placeholders; SetFrom binds them to the output of a
	// command run in the page's session.
	Set     map[string]string
	SetFrom map[string]string
	// Config is the docrun.yaml in effect, or nil.
	Config *Config
	// Parse configures page parsing.
	Parse markdown.Options
	// Parallel is how many pages run at once (1 by default).
	Parallel int
	// Bash is the shell to run (default bash from PATH).
	Bash string
	// Events receives the run as it happens (pages and steps starting
	// and ending, step output, notices, leaks); nil: nobody watches.
	Events Events
	// Redactor hides secrets in step output, the code as run and the
	// progress output, and learns the values of the page shell's secret
	// variables; nil hides nothing (--no-redact).
	Redactor *redact.Redactor
}

// Runner runs pages.
type Runner struct {
	Opts Options
	// Cluster is the connected cluster; nil for a dry run.
	Cluster *cluster.Cluster
	// Executors run the steps; NewRegistry() when nil.
	Executors *Registry

	// localPorts is held by a page that uses this machine's ports while
	// pages run in parallel (see usesLocalPorts).
	localPorts sync.Mutex
}

// Run runs the pages in order (Parallel at a time) and returns their
// results in page order. Leaks of cluster-scoped objects are attributed to
// a page when pages run one at a time, and to the run when they run in
// parallel. Each page's namespace is deleted in the background while the
// later pages run; Run waits for them all once at the end, at most
// DeleteWait, and the result's Terminating lists those still there.
func (r *Runner) Run(ctx context.Context, pages []string) *result.Result {
	start := time.Now()
	if r.Executors == nil {
		r.Executors = NewRegistry()
	}
	res := &result.Result{Pages: make([]*result.PageResult, len(pages))}
	par := max(r.Opts.Parallel, 1)
	var snap map[string]cluster.Object
	if r.Cluster != nil && !r.Opts.DryRun {
		snap, _ = r.Cluster.Snapshot(ctx)
	}
	sem := make(chan struct{}, par)
	var wg sync.WaitGroup
	var del deletions
	for i, p := range pages {
		if par == 1 {
			res.Pages[i] = del.add(r.runPage(ctx, p))
			if pr := res.Pages[i]; snap != nil {
				pr.Leaks, pr.Deleted, snap = r.leaks(ctx, snap, &pr.Notes)
				r.events().Leaks(pr, pr.Leaks, pr.Deleted)
			}
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			res.Pages[i] = del.add(r.runPage(ctx, p))
		}()
	}
	wg.Wait()
	res.Terminating = r.awaitDeletions(ctx, del.all(), r.deleteWait(ctx))
	if par == 1 && snap != nil {
		r.recheckLeaks(ctx, res.Pages)
	}
	if par > 1 && snap != nil {
		res.Leaks, res.Deleted, _ = r.leaks(ctx, snap, &res.Notes)
		r.events().Leaks(nil, res.Leaks, res.Deleted)
	}
	for _, p := range res.Pages {
		res.Summary.Add(p)
	}
	res.Summary.DurationMS = time.Since(start).Milliseconds()
	return res
}

// leaks finds the cluster-scoped objects that are in the cluster now and
// were not in before, deletes them with CleanupClusterScoped, and returns
// them ("kind/name"), whether they were deleted, and the new snapshot.
// Errors are added to notes.
func (r *Runner) leaks(ctx context.Context, before map[string]cluster.Object, notes *[]string) (leaks []string, deleted bool, after map[string]cluster.Object) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	after, err := r.Cluster.Snapshot(cctx)
	if err != nil {
		*notes = append(*notes, "could not check for leaked cluster-scoped objects: "+err.Error())
		return []string{}, false, before
	}
	objs := cluster.Leaks(before, after)
	leaks = []string{}
	for _, o := range objs {
		leaks = append(leaks, o.String())
	}
	if len(objs) > 0 && r.Opts.CleanupClusterScoped {
		var problems []string
		problems, deleted = r.Cluster.DeleteAndWait(cctx, objs, r.deleteWait(ctx))
		*notes = append(*notes, problems...)
		if deleted {
			after, _ = r.Cluster.Snapshot(cctx)
		}
	}
	return leaks, deleted, after
}

// pageRun is the state of one page being run.
type pageRun struct {
	r        *Runner
	res      *result.PageResult
	page     *markdown.Page
	site     *markdown.Site
	conf     []*PageConfig
	binds    bindings
	dir      string
	kubecfg  string
	sess     *session.Session
	ended    int // index of the step whose shell ended, or -1
	stopped  int // index of the step --fail-fast stopped at, or -1
	invented int // names invent chose
	setFromD bool
	live     *session.Output // where a live session streams step output, or nil
	redacted uint64          // the Redactor's Generation the results were last redacted with
	// written are the files docrun created (by path): they may get a
	// newer version; a file the page made is never replaced.
	written map[string]bool
	// servers are the servers of foreground steps docrun runs in the
	// background (see foregroundServer).
	servers []served
	// times are when the steps ran, and resNames the cluster's kinds of
	// objects, to find the objects the page made (objects.go).
	times    []stepTime
	resNames resourceNames
	// unmade are the objects of steps skipped for what the cluster lacks
	// (see manifestLack).
	unmade []unmade
	// unlistened are the local ports of servers (port-forward, proxy)
	// whose steps were skipped for what the cluster lacks (see
	// unlistenedPort).
	unlistened []unlistened
	// rights are the answers of the API server to "may docrun's identity
	// do this" (see allowed), by verb and resource.
	rights map[string]bool
	// skipped are the objects skipped steps would have made (see
	// followsSkipped).
	skipped []skippedMade
	// unwritten are the files in the working folder that skipped steps
	// would have written (see unwrittenFile).
	unwritten []unwritten
	// emptyVars are the variables set from a command's output that
	// stayed empty (see pageVariables).
	emptyVars []emptyVar
	// deleting is the page's namespace once tearDown asked for its
	// deletion, until awaitDeletions saw it gone.
	deleting string
}

// RunPage parses and runs one page, and waits until its namespace is gone
// (at most DeleteWait).
func (r *Runner) RunPage(ctx context.Context, path string) *result.PageResult {
	pr := r.runPage(ctx, path)
	r.awaitDeletions(ctx, []*pageRun{pr}, r.deleteWait(ctx))
	return pr.res
}

// runPage parses and runs one page, and starts the deletion of its
// namespace (pr.deleting) without waiting for it.
func (r *Runner) runPage(ctx context.Context, path string) *pageRun {
	pr, err := r.parsePage(path)
	res := pr.res
	defer func() {
		res.DurationMS = time.Since(res.Started).Milliseconds()
		r.events().PageEnded(res)
	}()
	if err != nil {
		return pr
	}
	if r.Opts.Parallel > 1 && usesLocalPorts(res.Steps) {
		r.localPorts.Lock()
		defer r.localPorts.Unlock()
		res.Started = time.Now()
	}
	pctx, cancel := context.WithTimeout(ctx, pr.pageTimeout())
	defer cancel()
	r.events().PageStarted(res)
	if r.Opts.DryRun {
		pr.dryRun()
		return pr
	}
	if err := pr.setUp(pctx); err != nil {
		pr.setUpFailed(ctx, err)
		return pr
	}
	for i, st := range res.Steps {
		pr.step(pctx, ctx, i, st)
	}
	pr.tearDown(ctx)
	return pr
}

// parsePage parses a page and plans its steps. On a parse error the
// returned pageRun's result carries the error.
func (r *Runner) parsePage(path string) (*pageRun, error) {
	if r.Executors == nil {
		r.Executors = NewRegistry()
	}
	res := &result.PageResult{Started: time.Now(), Leaks: []string{}}
	res.Path = path
	opts := r.ParseOptions(path)
	pr := &pageRun{r: r, res: res, site: opts.Site, conf: r.Opts.Config.For(path), ended: -1, stopped: -1}
	page, err := markdown.ParsePage(path, opts)
	if err != nil {
		res.Error = err.Error()
		return pr, err
	}
	pr.page = page
	res.Document = *page.Doc
	res.Steps = pr.plan()
	return pr, nil
}

// ParseOptions are the options a page is parsed with: the run's, with the
// page's site found from its path and, unless set, the connected cluster's
// Kubernetes version for the version shortcodes.
func (r *Runner) ParseOptions(path string) markdown.Options {
	opts := r.Opts.Parse
	if opts.Site == nil {
		opts.Site = markdown.FindSite(path)
	}
	if opts.Version == (markdown.Version{}) && r.Cluster != nil && r.Cluster.Minor > 0 {
		if v, err := markdown.ParseVersion(r.Cluster.Version); err == nil {
			opts.Version = v
		}
	}
	return opts
}

// Parse parses a page as a run of it would (see ParseOptions).
func (r *Runner) Parse(path string) (*markdown.Page, error) {
	return markdown.ParsePage(path, r.ParseOptions(path))
}

// Plan is the result a run of page (parsed from path) starts from: its
// steps, with the steps docrun.yaml inserts, none run yet. The steps are in
// the order, and at the positions, a session of the page has them.
func (r *Runner) Plan(path string, page *markdown.Page) *result.PageResult {
	pr := &pageRun{r: r, res: &result.PageResult{Leaks: []string{}}, page: page, conf: r.Opts.Config.For(path), ended: -1, stopped: -1}
	pr.res.Path = path
	pr.res.Document = *page.Doc
	pr.res.Steps = pr.plan()
	return pr.res
}

// DefaultStepTimeout and DefaultPageTimeout are the time limits of a step
// and of a page that neither docrun.yaml nor an option sets.
const (
	DefaultStepTimeout = 2 * time.Minute
	DefaultPageTimeout = 30 * time.Minute
)

// limit is a time limit by the one rule of precedence: the last rule of
// docrun.yaml for the page that sets one (of gives a rule's), then the
// option, then def.
func (pr *pageRun) limit(of func(*PageConfig) time.Duration, option, def time.Duration) time.Duration {
	t := option
	for _, c := range pr.conf {
		if v := of(c); v > 0 {
			t = v
		}
	}
	if t <= 0 {
		t = def
	}
	return t
}

// pageTimeout is the page's time limit.
func (pr *pageRun) pageTimeout() time.Duration {
	return pr.limit(func(c *PageConfig) time.Duration { return c.timeout }, pr.r.Opts.PageTimeout, DefaultPageTimeout)
}

// setUpFailed records a page that could not be set up and cleans up what
// was made.
func (pr *pageRun) setUpFailed(ctx context.Context, err error) {
	pr.res.Error = err.Error()
	for _, st := range pr.res.Steps {
		if st.Status == "" {
			st.Status, st.SkipReason = result.Skipped, "the page could not be set up"
		}
	}
	pr.tearDown(ctx)
}

// plan turns the page's steps, with inserted and selected ones, into step
// results to fill.
func (pr *pageRun) plan() []*result.StepResult {
	var out []*result.StepResult
	add := func(s markdown.Step) {
		out = append(out, &result.StepResult{Step: s, Bindings: []result.Binding{}, Verdict: match.None})
	}
	o := pr.r.Opts
	for _, s := range pr.page.Doc.Steps {
		for _, c := range pr.conf {
			for _, in := range c.Insert {
				if in.Before != nil && *in.Before == s.Index {
					add(insertedStep(s, in.Code))
				}
			}
		}
		selected := (o.Only < 0 || s.Index == o.Only) && (o.From < 0 || s.Index >= o.From) && (o.To < 0 || s.Index <= o.To)
		if !selected {
			continue
		}
		for _, su := range pr.page.Doc.Setups {
			if su.Before == s.Index {
				for _, x := range su.Steps {
					add(setupStep(su, x, s))
				}
			}
		}
		add(s)
		for _, c := range pr.conf {
			for _, in := range c.Insert {
				if in.After != nil && *in.After == s.Index {
					add(insertedStep(s, in.Code))
				}
			}
		}
	}
	return out
}

// setupStep is a step of a section another page of the site the page
// links to (markdown.Setup), run before the page's step near: hidden (the
// reader follows the link), at the line of the link, with the linked
// page as its source.
func setupStep(su markdown.Setup, x, near markdown.Step) markdown.Step {
	x.Index, x.Line, x.Hidden = near.Index, su.Line, true
	x.Section, x.SectionID, x.Tab, x.Part = near.Section, near.SectionID, near.Tab, near.Part
	x.Setup = su.Page + "#" + strings.TrimPrefix(su.Link[strings.Index(su.Link, "#"):], "#")
	why := "the link at line %d"
	if su.Again {
		why = "again, as the prerequisites say to make it anew (link at line %d)"
	}
	x.Reason = fmt.Sprintf("setup: "+why+" has the reader follow «%s» of %s first", su.Line, su.Section, su.Page)
	if su.Note != "" {
		x.Reason += " (" + su.Note + ")"
	}
	return x
}

// insertedReason is the Reason of a step docrun.yaml inserts.
const insertedReason = "inserted by docrun.yaml"

func insertedStep(near markdown.Step, code string) markdown.Step {
	return markdown.Step{Index: near.Index, Line: near.Line, Kind: markdown.KindCommand, Lang: "shell",
		Code: strings.TrimRight(code, "\n") + "\n", Section: near.Section, SectionID: near.SectionID,
		Runnable: true, Hidden: true, Placeholders: []string{}, Reason: insertedReason}
}

// setUp creates the page's namespace, working folder, kubeconfig copy and
// shell session.
func (pr *pageRun) setUp(ctx context.Context) error {
	r := pr.r
	dir, err := os.MkdirTemp("", "docrun-page-")
	if err != nil {
		return err
	}
	pr.dir = dir
	home := filepath.Join(dir, "home")
	work := filepath.Join(dir, "work")
	for _, d := range []string{home, work} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
	}
	info := result.ClusterInfo{}
	if c := r.Cluster; c != nil {
		info = c.ClusterInfo
		ns := r.Opts.Namespace
		if ns == "" {
			ns = cluster.NewNamespaceName()
			if err := c.CreateNamespace(ctx, ns); err != nil {
				return err
			}
		}
		info.Namespace = ns
		pr.res.Cluster = &info
		if pr.kubecfg, err = c.WriteKubeconfig(dir, ns); err != nil {
			return err
		}
		pr.binds.set("path-to-kubeconfig", pr.kubecfg, "auto")
		pr.binds.set("namespace", ns, "auto")
		if c.Cluster != "" {
			pr.binds.set("some_server_name", c.Cluster, "auto")
			pr.binds.set("cluster-name", c.Cluster, "auto")
		}
		if node := readyNode(ctx, c); node != "" {
			pr.binds.set("node-name", node, "auto")
			pr.binds.weak = map[string]bool{"node-name": true}
		}
		pr.binds.objects = func(name, code string, anyOne bool) (result.Binding, string, bool) {
			return pr.objectBinding(ctx, name, code, anyOne)
		}
		pr.notice("namespace " + ns)
	}
	for k, v := range r.Opts.Set {
		pr.binds.set(k, v, "set")
	}
	env := pageEnv(os.Environ(), home, pr.kubecfg)
	for _, c := range pr.conf {
		for k, v := range c.Set {
			if _, ok := r.Opts.Set[k]; !ok {
				pr.binds.set(k, v, "config")
			}
		}
		for k, v := range c.Env {
			env = append(env, k+"="+v)
		}
	}
	r.Opts.Redactor.AddEnv(env)
	pr.binds.env = envNames(env)
	pr.sess, err = session.Start(session.Options{Bash: r.Opts.Bash, Dir: work, Env: env})
	if err != nil {
		return err
	}
	return pr.setFrom(ctx)
}

// pageEnv is the environment of a page's shell: the user's, with HOME in
// the page's folder (so steps like `echo ... >> ~/.bashrc` do not change
// the user's files), the Go caches kept, and KUBECONFIG at the copy.
func pageEnv(base []string, home, kubeconfig string) []string {
	keep := map[string]string{}
	if d, err := os.UserCacheDir(); err == nil {
		keep["GOCACHE"] = filepath.Join(d, "go-build")
	}
	if h, err := os.UserHomeDir(); err == nil {
		keep["GOPATH"] = filepath.Join(h, "go")
		keep["GOMODCACHE"] = filepath.Join(h, "go", "pkg", "mod")
	}
	var env []string
	for _, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "HOME", "KUBECONFIG", "PROMPT_COMMAND", "BASH_ENV", "ENV":
			continue
		case "GOCACHE", "GOPATH", "GOMODCACHE":
			delete(keep, k)
		}
		env = append(env, kv)
	}
	for k, v := range keep {
		env = append(env, k+"="+v)
	}
	env = append(env, "HOME="+home)
	if kubeconfig != "" {
		env = append(env, "KUBECONFIG="+kubeconfig)
	}
	return env
}

// setFrom binds placeholders from commands run in the session.
func (pr *pageRun) setFrom(ctx context.Context) error {
	from := map[string]string{}
	for _, c := range pr.conf {
		for k, v := range c.SetFrom {
			from[k] = v
		}
	}
	for k, v := range pr.r.Opts.SetFrom {
		from[k] = v
	}
	for name, cmd := range from {
		res, err := pr.sess.Run(ctx, cmd, time.Minute, session.Output{})
		if err != nil || res.ExitCode != 0 {
			return fmt.Errorf("--set-from %s: %q exited %d: %s", name, cmd, res.ExitCode, strings.TrimSpace(res.Stderr))
		}
		pr.binds.set(name, strings.TrimSpace(res.Stdout), "set-from")
	}
	return nil
}

// readyNode returns the name of a Ready node, or "".
func readyNode(ctx context.Context, c *cluster.Cluster) string {
	nodes, err := c.Client.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return ""
	}
	for _, n := range nodes.Items {
		for _, cond := range n.Status.Conditions {
			if cond.Type == corev1.NodeReady && cond.Status == corev1.ConditionTrue {
				return n.Name
			}
		}
	}
	return ""
}

// tearDown ends every process of the page and starts the deletion of its
// namespace (pr.deleting), which the caller waits for (awaitDeletions).
func (pr *pageRun) tearDown(ctx context.Context) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	defer cancel()
	if pr.sess != nil {
		if err := pr.sess.Close(); err != nil {
			pr.res.Notes = append(pr.res.Notes, err.Error())
		}
	}
	if c := pr.r.Cluster; c != nil && pr.res.Cluster != nil && pr.r.Opts.Namespace == "" {
		ns := pr.res.Cluster.Namespace
		if pr.r.Opts.Keep {
			pr.res.Notes = append(pr.res.Notes, "namespace "+ns+" kept (--keep)")
			pr.notice("namespace " + ns + " kept")
		} else if err := c.StartDeleteNamespace(cctx, ns); err != nil {
			pr.res.Notes = append(pr.res.Notes, err.Error())
			pr.notice(err.Error())
		} else {
			pr.deleting = ns
		}
	}
	if pr.dir != "" {
		os.RemoveAll(pr.dir)
	}
}

package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/docrun/docrun/frontend/dispatch"
	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/render"
	"github.com/docrun/docrun/result"
	"github.com/docrun/docrun/runner/cluster"
)

// DispatchOptions are the options of docrun dispatch.
type DispatchOptions struct {
	Flags        *genericclioptions.ConfigFlags
	Shards       int
	Parallelism  int
	OutDir       string
	Image        string
	ClusterAdmin bool
	PodServer    string
	NodeSelector []string
	Yes, DryRun  bool
	// CleanupClusterScoped deletes the cluster-scoped objects the pages
	// left, which dispatch finds once for the whole Job.
	CleanupClusterScoped bool
	// DeleteWait bounds the wait for what dispatch made to be gone.
	DeleteWait time.Duration
	// The flags given to docrun run in every pod.
	Offline, StrictOutput bool
	StepTimeout           time.Duration
	PageTimeout           time.Duration
	Set                   []string
	SiteDir, Version      string
	// Durations is an earlier result whose page durations balance the
	// parts (docrun run --durations in each pod).
	Durations string

	Pages []string
	parse markdown.Options
	s     genericiooptions.IOStreams
}

func newDispatchCommand(s genericiooptions.IOStreams) *cobra.Command {
	o := &DispatchOptions{s: s, Flags: genericclioptions.NewConfigFlags(true)}
	cmd := &cobra.Command{
		Use:   "dispatch --shards N PAGE|FOLDER... -o DIR",
		Short: "Run the parts of a page list as the pods of a Kubernetes Indexed Job and gather their results",
		Long: `Dispatch runs the pages in the cluster of the current kubeconfig: the N parts
of the list (docrun run --shard K/N) are the pods of one Indexed Job, in a
namespace of its own, with the pages and the files they read mounted from
ConfigMaps and a ServiceAccount allowed what a page run needs. It prints a
line per part as it starts and ends, merges the parts' results (read from
the pods' logs) into DIR/result.json and renders DIR/index.html, as
docrun render --from does. Everything it made (Job, namespace, RBAC,
ConfigMaps) is deleted when it ends, also on Ctrl-C; what could not be is
listed.

The pods run docrun's own image (make image). Without --cluster-admin a
page cannot change cluster-scoped objects (CRDs, ClusterRoles, nodes,
PersistentVolumes, ...): a step that would make or delete one is skipped
(asked of the API server first), with the steps that use what it would
have made; other such changes fail with Forbidden.`,
		Example: `  docrun dispatch --shards 4 --offline content/en -o out/dispatch
  docrun dispatch --shards 2 --dry-run content/en -o out    # print the objects; make none`,
		Args: cobra.MinimumNArgs(1),
		RunE: runE(o),
	}
	f := cmd.Flags()
	o.Flags.AddFlags(f)
	f.IntVar(&o.Shards, "shards", 0, "the number of parts of the page list, one pod each (required)")
	f.IntVar(&o.Parallelism, "parallelism", 0, "how many pods run at once (default: --shards)")
	f.StringVarP(&o.OutDir, "output-dir", "o", "", "folder to write result.json and the report into (required)")
	f.StringVar(&o.Image, "image", "", "docrun's image for the pods (default "+dispatch.ImageRepo+":VERSION, as make image tags it)")
	f.BoolVar(&o.ClusterAdmin, "cluster-admin", false, "bind cluster-admin to the pods' ServiceAccount instead of the rights a page needs in its namespaces")
	f.StringVar(&o.PodServer, "pod-server", "", "the API server's address as the pods reach it (default: the kubernetes Service)")
	f.StringArrayVar(&o.NodeSelector, "node-selector", nil, "put the pods on nodes with this label: KEY=VALUE (repeatable)")
	f.BoolVarP(&o.Yes, "yes", "y", false, "run against a cluster that is not on this machine without asking")
	f.BoolVar(&o.CleanupClusterScoped, "cleanup-cluster-scoped", false, "delete the cluster-scoped objects the pages created, found once the Job has ended (they are reported either way)")
	f.BoolVar(&o.DryRun, "dry-run", false, "print the objects dispatch would make, as YAML; make none")
	f.DurationVar(&o.DeleteWait, "delete-wait", 2*time.Minute, "wait at most this long for what dispatch made to be gone")
	f.BoolVar(&o.Offline, "offline", false, "docrun run --offline in each pod")
	f.BoolVar(&o.StrictOutput, "strict-output", false, "docrun run --strict-output in each pod")
	f.DurationVar(&o.StepTimeout, "timeout", 0, "docrun run --timeout in each pod (default: run's)")
	f.DurationVar(&o.PageTimeout, "page-timeout", 0, "docrun run --page-timeout in each pod (default: run's)")
	f.StringArrayVar(&o.Set, "set", nil, "docrun run --set in each pod (repeatable)")
	f.StringVar(&o.Durations, "durations", "", "balance the parts by the pages' durations in this earlier result (docrun run --json; docrun run --durations in each pod)")
	addParseFlags(cmd, &o.SiteDir, &o.Version)
	return cmd
}

// Complete fills the options from the arguments.
func (o *DispatchOptions) Complete(_ *cobra.Command, args []string) error {
	var err error
	if o.parse, err = parseOptions(o.SiteDir, o.Version); err != nil {
		return err
	}
	if o.Image == "" {
		o.Image = dispatch.ImageRepo + ":" + dispatch.ImageTag(version())
	}
	if o.Shards < 1 || o.OutDir == "" {
		// Validate says which; the pages are not read for a usage error.
		return nil
	}
	o.Pages, err = expandPages(args)
	return err
}

// Validate checks the options.
func (o *DispatchOptions) Validate() error {
	switch {
	case o.Shards < 1:
		return usageError{fmt.Errorf("--shards N is required: the number of parts (pods), at least 1")}
	case o.OutDir == "":
		return usageError{fmt.Errorf("-o DIR is required: the folder to write result.json and the report into")}
	case o.Parallelism < 0:
		return usageError{fmt.Errorf("--parallelism must not be negative")}
	case o.StepTimeout < 0 || o.PageTimeout < 0:
		return usageError{fmt.Errorf("--timeout and --page-timeout must not be negative")}
	case o.DeleteWait <= 0:
		return usageError{fmt.Errorf("--delete-wait must be positive")}
	}
	for _, kv := range append(append([]string{}, o.NodeSelector...), o.Set...) {
		if k, _, ok := strings.Cut(kv, "="); !ok || k == "" {
			return usageError{fmt.Errorf("%q: want NAME=VALUE", kv)}
		}
	}
	return nil
}

// runArgs are docrun run's flags for the pods.
func (o *DispatchOptions) runArgs() []string {
	var a []string
	if o.Offline {
		a = append(a, "--offline")
	}
	if o.StrictOutput {
		a = append(a, "--strict-output")
	}
	if o.StepTimeout > 0 {
		a = append(a, "--timeout", o.StepTimeout.String())
	}
	if o.PageTimeout > 0 {
		a = append(a, "--page-timeout", o.PageTimeout.String())
	}
	if o.SiteDir != "" {
		abs, _ := filepath.Abs(o.SiteDir)
		a = append(a, "--site-dir", abs)
	}
	if o.Version != "" {
		a = append(a, "--site-version", o.Version)
	}
	for _, kv := range o.Set {
		a = append(a, "--set", kv)
	}
	return a
}

// spec gathers the bundle and builds what the dispatch makes.
func (o *DispatchOptions) spec() (*dispatch.Spec, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, exitError{code: ExitFail, msg: "docrun: " + err.Error()}
	}
	var extra []string
	if conf := findConfig(o.Pages); conf != "" {
		extra = append(extra, conf)
	}
	b, err := dispatch.NewBundle(o.Pages, wd, o.parse, extra)
	if err != nil {
		return nil, exitError{code: ExitFail, msg: "docrun: bundle the pages: " + err.Error()}
	}
	args := o.runArgs()
	if o.Durations != "" {
		f, data, err := o.durations(b.Workdir)
		if err != nil {
			return nil, err
		}
		b.Made = map[string][]byte{f: data}
		args = append(args, "--durations", f)
	}
	data, err := b.Pack()
	if err != nil {
		return nil, exitError{code: ExitFail, msg: "docrun: bundle the pages: " + err.Error()}
	}
	s := &dispatch.Spec{ID: randomID(), Image: o.Image, Shards: o.Shards, Parallelism: o.Parallelism,
		ClusterAdmin: o.ClusterAdmin, Server: o.PodServer, RunArgs: args, Bundle: b,
		Chunks: dispatch.Split(data, dispatch.ChunkSize)}
	for _, kv := range o.NodeSelector {
		k, v, _ := strings.Cut(kv, "=")
		if s.NodeSelector == nil {
			s.NodeSelector = map[string]string{}
		}
		s.NodeSelector[k] = v
	}
	return s, nil
}

// durations reads the --durations result and returns the file the pods
// read instead, in the bundle under workdir, and its text: the pages'
// paths and durations alone, so that a result of any size makes a small
// file.
func (o *DispatchOptions) durations(workdir string) (string, []byte, error) {
	prev, err := readResult(o.Durations)
	if err != nil {
		return "", nil, exitError{code: ExitFail, msg: "docrun: --durations: " + err.Error()}
	}
	slim := &result.Result{Version: prev.Version}
	for _, p := range prev.Pages {
		pr := &result.PageResult{DurationMS: p.DurationMS}
		pr.Path = p.Path
		slim.Pages = append(slim.Pages, pr)
	}
	data, err := json.Marshal(slim)
	if err != nil {
		return "", nil, exitError{code: ExitFail, msg: "docrun: --durations: " + err.Error()}
	}
	return filepath.Join(workdir, dispatch.MadeDir, "durations.json"), data, nil
}

func randomID() string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Run dispatches the pages, gathers the results and cleans up.
func (o *DispatchOptions) Run(parent context.Context) error {
	ctx, stop := untilSignal(parent)
	defer stop()
	spec, err := o.spec()
	if err != nil {
		return err
	}
	objs := spec.Objects()
	if o.DryRun {
		y, err := objs.YAML()
		if err != nil {
			return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
		}
		_, err = o.s.Out.Write(y)
		return err
	}
	if err := os.MkdirAll(o.OutDir, 0o755); err != nil {
		return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
	}
	c, err := connect(ctx, o.s, o.Flags, o.Yes, o.s.Out)
	if err != nil {
		return err
	}
	// The parts run at once on one cluster: the cluster-scoped objects
	// the pages leave are found here, once for the whole Job, not by
	// each pod (which would take another part's for its own).
	before, serr := c.Snapshot(ctx)
	made, err := dispatch.Create(ctx, c.Client, objs)
	cleanup := func() error {
		dctx, cancel := context.WithTimeout(context.Background(), o.DeleteWait+10*time.Second)
		defer cancel()
		left := dispatch.Delete(dctx, c.Client, made, o.DeleteWait)
		for _, l := range left {
			fmt.Fprintf(o.s.ErrOut, "docrun: not cleaned up: %s\n", l)
		}
		if len(left) > 0 {
			return exitError{code: ExitFail}
		}
		return nil
	}
	if err != nil {
		cleanup()
		return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
	}
	fmt.Fprintf(o.s.Out, "dispatch: job %s/%s: %d pages in %d parts, image %s\n",
		made.Namespace, made.Job, len(o.Pages), o.Shards, o.Image)
	col := &dispatch.Collector{Client: c.Client, Logs: dispatch.PodLogs(c.Client),
		Namespace: made.Namespace, Job: made.Job, N: o.Shards, Progress: progressLine(o.s.Out)}
	parts, werr := col.Wait(ctx)
	cerr := cleanup()
	if werr != nil {
		if err := interrupted(ctx, parent); err != nil {
			return err
		}
		return exitError{code: ExitFail, msg: "docrun: " + werr.Error()}
	}
	res, failed := o.merge(parts)
	if res == nil {
		return exitError{code: ExitFail}
	}
	o.leaks(ctx, c, spec, before, serr, res)
	if err := o.write(res); err != nil {
		return err
	}
	if cerr != nil || failed || !res.Summary.OK() {
		return exitError{code: ExitFail}
	}
	return nil
}

// leaks puts in the merged result the cluster-scoped objects that are in
// the cluster now and were not before the Job (dispatch's own left
// out), deleted with --cleanup-cluster-scoped. When parts ran at the
// same time, what the pods found page by page is dropped: a pod's list
// may hold another part's objects.
func (o *DispatchOptions) leaks(ctx context.Context, c *cluster.Cluster, spec *dispatch.Spec, before map[string]cluster.Object, serr error, res *result.Result) {
	if o.Shards > 1 && o.Parallelism != 1 {
		for _, p := range res.Pages {
			p.Leaks, p.Deleted = []string{}, false
		}
		res.Notes = append(res.Notes, "cluster-scoped objects the pages left are checked once for the whole dispatch, not page by page: its parts ran at the same time")
	}
	res.Leaks, res.Deleted = nil, false
	if serr != nil {
		res.Notes = append(res.Notes, "could not check for leaked cluster-scoped objects: "+serr.Error())
		return
	}
	lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	after, err := c.Snapshot(lctx)
	if err != nil {
		res.Notes = append(res.Notes, "could not check for leaked cluster-scoped objects: "+err.Error())
		return
	}
	var objs []cluster.Object
	for _, l := range cluster.Leaks(before, after) {
		if !strings.Contains(l.Name, spec.Name()) {
			objs = append(objs, l)
		}
	}
	for _, l := range objs {
		res.Leaks = append(res.Leaks, l.String())
	}
	if len(objs) == 0 || !o.CleanupClusterScoped {
		return
	}
	problems, deleted := c.DeleteAndWait(lctx, objs, o.DeleteWait)
	res.Notes = append(res.Notes, problems...)
	res.Deleted = deleted
	fmt.Fprintf(o.s.Out, "dispatch: deleted %d cluster-scoped objects the pages left: %s\n", len(objs), strings.Join(res.Leaks, ", "))
}

// progressLine prints a line when a part's state changes.
func progressLine(w io.Writer) func(*dispatch.Part) {
	return func(p *dispatch.Part) {
		switch {
		case p.Result != nil:
			s := p.Result.Summary
			fmt.Fprintf(w, "part %d/%d: done: %d pages, %d steps: %d passed, %d failed, %d skipped, %d timeout (%.1fs)\n",
				p.K, p.N, s.Pages, s.Steps, s.Passed, s.Failed, s.Skipped, s.Timeout, float64(s.DurationMS)/1000)
		case p.Err != nil:
			fmt.Fprintf(w, "part %d/%d: failed: %v\n", p.K, p.N, p.Err)
		default:
			fmt.Fprintf(w, "part %d/%d: %s (pod %s)\n", p.K, p.N, p.State, p.Pod)
		}
	}
}

// merge joins the parts' results; failed says a part has none (it is
// reported). The result is nil when no part has one.
func (o *DispatchOptions) merge(parts []*dispatch.Part) (*result.Result, bool) {
	var rs []*result.Result
	var names []string
	failed := false
	for _, p := range parts {
		if p.Result == nil {
			fmt.Fprintf(o.s.ErrOut, "docrun: part %d/%d has no result: %v\n", p.K, p.N, p.Err)
			failed = true
			continue
		}
		rs = append(rs, p.Result)
		names = append(names, fmt.Sprintf("part %d/%d (pod %s)", p.K, p.N, p.Pod))
	}
	if len(rs) == 0 {
		return nil, true
	}
	m, err := result.Merge(rs, names)
	if err != nil {
		fmt.Fprintf(o.s.ErrOut, "docrun dispatch: %v\n", err)
		return nil, true
	}
	return m, failed
}

// write writes DIR/result.json and the report, and prints the summary.
func (o *DispatchOptions) write(res *result.Result) error {
	path := filepath.Join(o.OutDir, "result.json")
	if err := render.WriteFile(path, func(w io.Writer) error { return writeJSON(w, res) }); err != nil {
		return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
	}
	index, err := render.WriteHTML(o.OutDir, htmlReports(res, o.parse), "docrun "+version(), time.Now())
	if err != nil {
		return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
	}
	s := res.Summary
	fmt.Fprintf(o.s.Out, "summary: %d pages, %d steps: %d passed, %d failed, %d skipped, %d timeout (%.1fs)\nresult: %s\nreport: %s\n",
		s.Pages, s.Steps, s.Passed, s.Failed, s.Skipped, s.Timeout, float64(s.DurationMS)/1000, path, index)
	return nil
}

package app

import (
	"context"
	"fmt"
	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"os"
	"path/filepath"

	"github.com/docrun/docrun/frontend/watch"
	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/render"
	"github.com/docrun/docrun/render/html"
	"github.com/docrun/docrun/runner"
	"github.com/docrun/docrun/runner/redact"

	"github.com/docrun/docrun/result"
)

// WatchOptions are the options of docrun watch.
type WatchOptions struct {
	liveFlags

	Out   string
	From  string
	Rerun bool

	Page  string
	parse markdown.Options
	opts  runner.Options
	s     genericiooptions.IOStreams
}

func newWatchCommand(s genericiooptions.IOStreams) *cobra.Command {
	o := &WatchOptions{s: s, liveFlags: newLiveFlags()}
	cmd := &cobra.Command{
		Use:   "watch PAGE -o FILE",
		Short: "Re-render a page to an HTML report each time it or a file it includes changes",
		Long: `Watch renders PAGE to FILE as docrun render does, then again each time the
page, one of its includes or one of its example files is saved (editors that
save by renaming a new file over the old one included). FILE is replaced
atomically. While the page cannot be parsed, FILE shows the error, which is
also printed, and docrun keeps watching. Stop it with Ctrl-C.

Steps are not run: they show as "not run". With --from RESULT.json (saved by
docrun run --json) the steps whose code is unchanged keep the outcome they had
in that run; the changed ones are stale, shown as "not run" with the reason
"changed since the last run".

With --rerun the page runs against the cluster of your kubeconfig, as with
docrun run (its own namespace, kubeconfig copy and bash), before the first
render; after each change the steps from the first changed one to the end
run again in the same session, and the report shows every step's outcome.
Stopping (Ctrl-C, SIGTERM) ends the session's processes and deletes its
namespace. The cluster flags (--kubeconfig, --context, --timeout, --offline,
--set, ...) apply only with --rerun.`,
		Example: `  docrun watch content/en/docs/tasks/run-pod/run-a-pod.md -o /tmp/run-a-pod.html
  docrun run page.md --json result.json && docrun watch page.md --from result.json -o page.html
  docrun watch --rerun content/en/docs/tasks/access-cluster/access-api-with-docrun.md -o /tmp/page.html`,
		Args: cobra.ExactArgs(1),
		RunE: runE(o),
	}
	f := cmd.Flags()
	f.StringVarP(&o.Out, "output", "o", "", "HTML file to write (replaced on each change)")
	f.StringVar(&o.From, "from", "", "keep the outcomes of unchanged steps from a saved run result (JSON of docrun run --json)")
	f.BoolVar(&o.Rerun, "rerun", false, "run the page against the cluster, and after each change re-run it from the first changed step")
	o.add(cmd)
	return cmd
}

// Complete fills the options from the arguments.
func (o *WatchOptions) Complete(cmd *cobra.Command, args []string) error {
	o.Page = args[0]
	var err error
	if o.Rerun {
		o.opts, err = o.runnerOptions(cmd, args)
		o.parse = o.opts.Parse
		return err
	}
	for _, name := range []string{"kubeconfig", "context", "timeout", "offline", "allow-host", "set"} {
		if cmd.Flags().Changed(name) {
			return usageError{fmt.Errorf("--%s applies only with --rerun", name)}
		}
	}
	o.parse, err = parseOptions(o.SiteDir, o.Version)
	return err
}

// Validate checks the options.
func (o *WatchOptions) Validate() error {
	if o.Out == "" {
		return usageError{fmt.Errorf("-o FILE is required: the HTML file to write")}
	}
	if o.Rerun && o.From != "" {
		return usageError{fmt.Errorf("--from and --rerun do not go together: --rerun runs the page itself")}
	}
	if fi, err := os.Stat(o.Page); err != nil {
		return exitError{code: ExitFail, msg: "docrun: " + statProblem(o.Page, err)}
	} else if fi.IsDir() {
		return exitError{code: ExitFail, msg: fmt.Sprintf("docrun: %s: not a page file", o.Page)}
	}
	return nil
}

// Run watches the page until interrupted.
func (o *WatchOptions) Run(ctx context.Context) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if o.parse.Site == nil {
		o.parse.Site = markdown.FindSite(o.Page)
	}
	wo := watch.Options{Page: o.Page, Out: o.Out, Parse: o.parse, Generator: "docrun " + version(),
		Stderr: o.s.ErrOut, Rendered: func(err error) {
			if err == nil {
				fmt.Fprintf(o.s.Out, "rendered %s\n", o.Out)
			}
		}}
	if o.From != "" {
		base, err := o.baseline()
		if err != nil {
			return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
		}
		wo.Baseline = base
	}
	if o.Rerun {
		return o.rerun(ctx, wo)
	}
	fmt.Fprintf(o.s.Out, "watching %s, writing %s (Ctrl-C to stop)\n", o.Page, o.Out)
	if err := watch.Watch(ctx, wo); err != nil {
		return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
	}
	return nil
}

// rerun opens a session of the page, watches it with the session running
// the changed steps, and ends the session.
func (o *WatchOptions) rerun(parent context.Context, wo watch.Options) error {
	ctx, stop := untilSignal(parent)
	defer stop()
	r, err := o.connectRunner(ctx, o.s, o.opts, o.s.Out, false)
	if err != nil {
		return err
	}
	wo.Parse = r.ParseOptions(o.Page)
	sess, err := r.Open(ctx, o.Page)
	if err != nil {
		return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
	}
	defer sess.Close(context.Background())
	wo.Session = sess
	fmt.Fprintf(o.s.Out, "watching %s, running it in namespace %s, writing %s (Ctrl-C to stop)\n",
		o.Page, sess.Result().Cluster.Namespace, o.Out)
	werr := watch.Watch(ctx, wo)
	sess.Close(context.Background())
	for _, n := range sess.Result().Notes {
		fmt.Fprintf(o.s.Out, "  %s\n", n)
	}
	if werr != nil {
		return exitError{code: ExitFail, msg: "docrun: " + werr.Error()}
	}
	fmt.Fprintln(o.s.Out, "stopped; the session ended")
	return nil
}

// baseline is the report of the page's run in the --from result, redacted.
func (o *WatchOptions) baseline() (*html.Report, error) {
	res, err := readResult(o.From)
	if err != nil {
		return nil, err
	}
	runner.Redact(res, redact.New())
	want := absPath(o.Page)
	var pr *result.PageResult
	for _, p := range res.Pages {
		if absPath(p.Path) == want {
			pr = p
		}
	}
	if pr == nil {
		return nil, fmt.Errorf("%s: no run of %s in it", o.From, o.Page)
	}
	return render.FromResult(pr, nil, o.parse.Site), nil
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

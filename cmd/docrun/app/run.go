package app

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/docrun/docrun/authoring/update"
	"github.com/docrun/docrun/frontend/terminal"
	"github.com/docrun/docrun/render"
	"github.com/docrun/docrun/runner"
	"github.com/docrun/docrun/runner/cluster"
	"github.com/docrun/docrun/runner/redact"

	"github.com/docrun/docrun/result"
)

// RunOptions are the options of docrun run: the runner's own, which the
// flags fill directly, and those of the command line alone.
type RunOptions struct {
	Flags *genericclioptions.ConfigFlags
	// Runner holds the flags that are runner options (--timeout, --fail-fast,
	// --step, -j, ...); Complete adds what the other flags give.
	Runner runner.Options

	Yes     bool
	Quiet   bool
	LiveOut bool
	// live streams step output (--live, or a terminal, one page at a
	// time, not --quiet).
	live             bool
	Set, SetFrom     []string
	ConfigFile       string
	Output           string
	JSONFile         string
	SiteDir, Version string
	// HTMLDir, JUnitFile and NoRedact are the report flags: --html DIR,
	// --junit FILE, --no-redact.
	HTMLDir   string
	JUnitFile string
	NoRedact  bool
	// ShardSpec and Durations are --shard K/N and --durations FILE; shard
	// is the part of the page list run, recorded in the result.
	ShardSpec string
	Durations string
	shard     *result.Shard

	// Update is --update's value (differs, all, add), "" without it;
	// update what it asks for, and diffOnly is set by --dry-run with it:
	// the pages run and their diffs are printed instead of written.
	Update   string
	update   update.Options
	diffOnly bool

	Pages []string
	s     genericiooptions.IOStreams
}

func newRunCommand(s genericiooptions.IOStreams) *cobra.Command {
	o := &RunOptions{s: s, Flags: genericclioptions.NewConfigFlags(true)}
	cmd := &cobra.Command{
		Use:   "run PAGE|FOLDER...",
		Short: "Run pages step by step against the cluster of the current kubeconfig",
		Long: `Run executes each page's steps in order against the cluster of the current
kubeconfig and reports every step's outcome.

Each page runs in a fresh namespace (docrun-<random>) with a copy of your
kubeconfig whose current context uses it; shell steps share one bash, as in one
terminal. At the end every process the page started is ended and the namespace
is deleted. Your kubeconfig is never written.`,
		Example: `  docrun run --offline --yes content/en/docs/tasks/access-cluster/
  docrun run page.md --set pod-name=web-0 -o json > result.json
  docrun run page.md --dry-run`,
		Args: cobra.MinimumNArgs(1),
		RunE: runE(o),
	}
	f := cmd.Flags()
	o.Flags.AddFlags(f)
	f.DurationVar(&o.Runner.StepTimeout, "timeout", runner.DefaultStepTimeout, "timeout of each step")
	f.DurationVar(&o.Runner.PageTimeout, "page-timeout", runner.DefaultPageTimeout, "timeout of each page")
	f.BoolVar(&o.Runner.FailFast, "fail-fast", false, "stop a page at its first failed step")
	f.BoolVar(&o.Runner.Offline, "offline", false, "skip steps that need the internet")
	f.BoolVar(&o.Runner.AllowHost, "allow-host", false, "run steps that change this machine (sudo, package managers, minikube, ...)")
	f.BoolVar(&o.Runner.StrictOutput, "strict-output", false, "fail a step whose output differs from the page's expected output")
	f.DurationVar(&o.Runner.Settle, "settle", 60*time.Second, "run a read-only step again until its output reaches the state the page shows, at most this long (0: off)")
	f.BoolVar(&o.Runner.DryRun, "dry-run", false, "print the steps as they would run; touch no cluster (with --update: run the pages, print the diff of each page and write none)")
	f.BoolVar(&o.Runner.Keep, "keep", false, "keep each page's namespace")
	f.DurationVar(&o.Runner.DeleteWait, "delete-wait", runner.DefaultDeleteWait, "at the end of the run, wait at most this long for the pages' namespaces, deleted in the background, to be gone")
	f.BoolVar(&o.Runner.CleanupClusterScoped, "cleanup-cluster-scoped", false, "delete cluster-scoped objects a page created (they are reported either way)")
	f.BoolVarP(&o.Yes, "yes", "y", false, "run against a cluster that is not on this machine without asking")
	f.BoolVarP(&o.Quiet, "quiet", "q", false, "one line per step, without streaming output (the default when stdout is not a terminal)")
	f.BoolVar(&o.LiveOut, "live", false, "stream each step's output as it runs (the default on a terminal)")
	f.IntVar(&o.Runner.Only, "step", -1, "run only step N (as numbered by docrun list)")
	f.IntVar(&o.Runner.From, "from", -1, "start at step N")
	f.IntVar(&o.Runner.To, "to", -1, "stop after step N")
	f.StringArrayVar(&o.Set, "set", nil, "bind a placeholder: --set pod-name=web-0 (repeatable)")
	f.StringArrayVar(&o.SetFrom, "set-from", nil, "bind a placeholder to a command's output: --set-from pod-name='kubectl get pods -o name | head -1'")
	f.StringVar(&o.ConfigFile, "config", "", "docrun.yaml to use (default: docrun.yaml beside the pages, if any)")
	f.IntVarP(&o.Runner.Parallel, "jobs", "j", 1, "pages to run at once, each in its own session and namespace")
	f.StringVarP(&o.Output, "output", "o", "", "print the run result to stdout: json")
	f.StringVar(&o.JSONFile, "json", "", "write the run result as JSON to this file")
	f.StringVar(&o.HTMLDir, "html", "", "write the report of the run into this folder: one HTML file per page and index.html")
	f.StringVar(&o.JUnitFile, "junit", "", "write the run result as JUnit XML to this file (a testsuite per page, a testcase per step)")
	f.StringVar(&o.ShardSpec, "shard", "", "run only part K of N of the pages (K/N, from 1), balanced by their step counts; every page is in exactly one part")
	f.StringVar(&o.Durations, "durations", "", "with --shard: balance the parts by the pages' durations in this earlier result (docrun run --json)")
	f.BoolVar(&o.NoRedact, "no-redact", false, "show secrets (tokens, keys, passwords, Secret data) in output and reports instead of [REDACTED]; for local debugging only")
	f.StringVar(&o.Update, "update", "", "write each step's real output into the page's expected-output block where it differs (=all: also where it is only similar; =add: also add a block after a step that has none; comma-separated); with --dry-run the pages still run and the diff is printed instead of written")
	f.Lookup("update").NoOptDefVal = "differs"
	addParseFlags(cmd, &o.SiteDir, &o.Version)
	return cmd
}

// Complete fills the options from flags and arguments.
func (o *RunOptions) Complete(cmd *cobra.Command, args []string) error {
	pages, err := expandPages(args)
	if err != nil {
		return err
	}
	o.Pages = pages
	po, err := parseOptions(o.SiteDir, o.Version)
	if err != nil {
		return err
	}
	o.Runner.Parse = po
	if o.ShardSpec != "" {
		if o.Pages, o.shard, err = selectShard(pages, o.ShardSpec, o.Durations, po); err != nil {
			return err
		}
	} else if o.Durations != "" {
		return usageError{fmt.Errorf("--durations needs --shard K/N")}
	}
	if cmd.Flags().Changed("update") {
		if o.update, err = updateOptions(o.Update); err != nil {
			return err
		}
		o.update.Parse = &o.Runner.Parse
		// There is no output to write back without running: --dry-run
		// keeps only its other half, nothing written.
		o.diffOnly, o.Runner.DryRun = o.Runner.DryRun, false
	}
	o.Runner.Set, o.Runner.SetFrom = map[string]string{}, map[string]string{}
	o.live = o.Runner.Parallel <= 1 && !o.Quiet && (o.LiveOut || isTerminal(o.s.Out))
	if cmd.Flags().Changed("namespace") && o.Flags.Namespace != nil {
		o.Runner.Namespace = *o.Flags.Namespace
	}
	for _, kv := range o.Set {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return usageError{fmt.Errorf("--set %q: want NAME=VALUE", kv)}
		}
		o.Runner.Set[strings.Trim(k, "<>")] = v
	}
	for _, kv := range o.SetFrom {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" || v == "" {
			return usageError{fmt.Errorf("--set-from %q: want NAME=COMMAND", kv)}
		}
		o.Runner.SetFrom[strings.Trim(k, "<>")] = v
	}
	conf := o.ConfigFile
	if conf == "" {
		conf = findConfig(args)
	}
	if conf != "" {
		c, err := runner.LoadConfig(conf)
		if err != nil {
			return exitError{code: ExitUsage, msg: "docrun: " + err.Error()}
		}
		o.Runner.Config = c
	}
	return nil
}

// findConfig looks for docrun.yaml beside the first page argument (or in
// the folder given).
func findConfig(args []string) string {
	for _, a := range args {
		dir := a
		if fi, err := os.Stat(a); err == nil && !fi.IsDir() {
			dir = filepathDir(a)
		}
		p := dir + string(os.PathSeparator) + "docrun.yaml"
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

func filepathDir(p string) string {
	if i := strings.LastIndexByte(p, os.PathSeparator); i >= 0 {
		return p[:i]
	}
	return "."
}

// Validate checks the options.
func (o *RunOptions) Validate() error {
	switch {
	case o.Output != "" && o.Output != "json":
		return usageError{fmt.Errorf("--output %q: want json", o.Output)}
	case o.Runner.StepTimeout <= 0 || o.Runner.PageTimeout <= 0:
		return usageError{fmt.Errorf("--timeout and --page-timeout must be positive")}
	case o.Runner.DeleteWait <= 0:
		return usageError{fmt.Errorf("--delete-wait must be positive")}
	case o.Runner.Settle < 0:
		return usageError{fmt.Errorf("--settle must not be negative")}
	case o.Runner.Parallel < 1:
		return usageError{fmt.Errorf("--jobs must be at least 1")}
	case o.Runner.Only >= 0 && (o.Runner.From >= 0 || o.Runner.To >= 0):
		return usageError{fmt.Errorf("--step cannot be combined with --from or --to")}
	case o.Update != "" && o.NoRedact:
		return usageError{fmt.Errorf("--update writes output into pages: it cannot be combined with --no-redact")}
	}
	return nil
}

// Run runs the pages.
func (o *RunOptions) Run(parent context.Context) error {
	ctx, stop := untilSignal(parent)
	defer stop()
	progress := o.s.Out
	if o.Output == "json" {
		progress = o.s.ErrOut
	}
	r := &runner.Runner{Opts: o.Runner, Executors: executors()}
	if !o.NoRedact {
		r.Opts.Redactor = redact.New()
	}
	r.Opts.Events = &terminal.Printer{Out: progress, Live: o.live, DryRun: o.Runner.DryRun, Redactor: r.Opts.Redactor,
		OnWriteError: closedOutput(ctx)}
	if !o.Runner.DryRun {
		c, err := connect(ctx, o.s, o.Flags, o.Yes, progress)
		if err != nil {
			return err
		}
		r.Cluster = c
	}
	if o.shard != nil {
		fmt.Fprintf(progress, "shard %d/%d: %d of %d pages\n", o.shard.K, o.shard.N, len(o.Pages), len(o.shard.Pages))
	}
	var src map[string][]byte
	if o.Update != "" {
		var err error
		if src, err = readPages(o.Pages); err != nil {
			return err
		}
	}
	res := r.Run(ctx, o.Pages)
	res.Version, res.Shard = version(), o.shard
	s := res.Summary
	fmt.Fprintf(progress, "summary: %d pages, %d steps: %d passed, %d failed, %d skipped, %d timeout (%.1fs)\n",
		s.Pages, s.Steps, s.Passed, s.Failed, s.Skipped, s.Timeout, float64(s.DurationMS)/1000)
	runner.Redact(res, r.Opts.Redactor)
	if err := o.writeReports(res, progress); err != nil {
		return err
	}
	if o.Output == "json" {
		if err := writeJSON(o.s.Out, res); err != nil {
			return err
		}
	}
	if o.JSONFile != "" {
		if err := render.WriteFile(o.JSONFile, func(w io.Writer) error { return writeJSON(w, res) }); err != nil {
			return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
		}
	}
	if err := interrupted(ctx, parent); err != nil {
		return err
	}
	if o.Update != "" {
		if err := writeUpdates(res, src, o.update, o.diffOnly, progress); err != nil {
			return err
		}
	}
	if !s.OK() {
		return exitError{code: ExitFail}
	}
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// connect asks before anything reaches a cluster that is not on this
// machine (the server's address is in the kubeconfig; --yes skips the
// question), then connects and prints what it connected to.
func connect(ctx context.Context, s genericiooptions.IOStreams, flags *genericclioptions.ConfigFlags, yes bool, progress io.Writer) (*cluster.Cluster, error) {
	if cfg, err := flags.ToRawKubeConfigLoader().ClientConfig(); err == nil && !cluster.IsLoopback(cfg.Host) && !yes {
		raw, _ := flags.ToRawKubeConfigLoader().RawConfig()
		name := raw.CurrentContext
		if flags.Context != nil && *flags.Context != "" {
			name = *flags.Context
		}
		if err := confirm(s, name, cfg.Host); err != nil {
			return nil, err
		}
	}
	c, err := cluster.Connect(ctx, flags)
	if err != nil {
		return nil, exitError{code: ExitFail, msg: "docrun: " + err.Error()}
	}
	fmt.Fprintf(progress, "cluster: context %s, server %s, version %s\n", c.Context, c.Server, c.Version)
	return c, nil
}

// confirm asks on a terminal before changing a cluster that is not on
// this machine; without a terminal it requires --yes.
func confirm(s genericiooptions.IOStreams, context, server string) error {
	in, ok := s.In.(*os.File)
	if !ok || !term.IsTerminal(int(in.Fd())) {
		return exitError{code: ExitUsage, msg: fmt.Sprintf("docrun: the cluster of context %q at %s is not on this machine; pass --yes to run pages against it", context, server)}
	}
	fmt.Fprintf(s.ErrOut, "Run pages against context %q at %s (not on this machine)? Pages create and delete objects there. [y/N] ", context, server)
	line, _ := bufio.NewReader(in).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	return exitError{code: ExitFail, msg: "docrun: not confirmed; nothing was run"}
}

// writeReports writes what the report flags ask for: the HTML report
// folder, the JUnit file, and GitHub Actions annotations when running in
// GitHub Actions.
func (o *RunOptions) writeReports(res *result.Result, progress io.Writer) error {
	if o.HTMLDir != "" {
		index, err := render.WriteHTML(o.HTMLDir, htmlReports(res, o.Runner.Parse), "docrun "+version(), time.Now())
		if err != nil {
			return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
		}
		fmt.Fprintf(progress, "report: %s\n", index)
	}
	return writeCIReports(res, o.JUnitFile, progress)
}

// writeCIReports writes the JUnit XML file (when junit is not empty) and,
// in GitHub Actions, the annotations of a result (run, render --from).
func writeCIReports(res *result.Result, junit string, progress io.Writer) error {
	if junit != "" {
		f, err := os.Create(junit)
		if err != nil {
			return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
		}
		err = render.WriteJUnit(f, res)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
		}
	}
	if render.GitHubActions() {
		if err := render.WriteGitHub(progress, res); err != nil {
			return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
		}
	}
	return nil
}

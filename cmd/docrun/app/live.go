package app

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/docrun/docrun/frontend/terminal"
	"github.com/docrun/docrun/runner"
	"github.com/docrun/docrun/runner/redact"
)

// liveSessionLimit bounds a session of walk, serve and watch --rerun.
const liveSessionLimit = 24 * time.Hour

// liveFlags are the flags of the commands that run a page a step at a time
// for a person (walk, serve): the cluster, step timeout, what may run, and
// placeholder values.
type liveFlags struct {
	Flags *genericclioptions.ConfigFlags
	// runnerFlags holds the flags that are runner options (--timeout,
	// --offline, --allow-host).
	runnerFlags runner.Options

	Yes              bool
	Set              []string
	SiteDir, Version string
}

func newLiveFlags() liveFlags {
	return liveFlags{Flags: genericclioptions.NewConfigFlags(true)}
}

func (l *liveFlags) add(cmd *cobra.Command) {
	f := cmd.Flags()
	l.Flags.AddFlags(f)
	f.DurationVar(&l.runnerFlags.StepTimeout, "timeout", runner.DefaultStepTimeout, "timeout of each step")
	f.BoolVar(&l.runnerFlags.Offline, "offline", false, "skip steps that need the internet")
	f.BoolVar(&l.runnerFlags.AllowHost, "allow-host", false, "run steps that change this machine (sudo, package managers, minikube, ...)")
	f.BoolVarP(&l.Yes, "yes", "y", false, "run against a cluster that is not on this machine without asking")
	f.StringArrayVar(&l.Set, "set", nil, "bind a placeholder: --set pod-name=web-0 (repeatable)")
	addParseFlags(cmd, &l.SiteDir, &l.Version)
}

// runnerOptions are the runner's options from the flags; args are the
// page arguments (docrun.yaml is looked for beside the first).
func (l *liveFlags) runnerOptions(cmd *cobra.Command, args []string) (runner.Options, error) {
	if l.runnerFlags.StepTimeout <= 0 {
		return runner.Options{}, usageError{fmt.Errorf("--timeout must be positive")}
	}
	po, err := parseOptions(l.SiteDir, l.Version)
	if err != nil {
		return runner.Options{}, err
	}
	// A person sets the pace: the whole session is not bound by docrun
	// run's 30 minutes per page (docrun.yaml may still set a limit).
	o := l.runnerFlags
	o.Only, o.From, o.To = -1, -1, -1
	o.Parse, o.Set, o.PageTimeout = po, map[string]string{}, liveSessionLimit
	if cmd.Flags().Changed("namespace") && l.Flags.Namespace != nil {
		o.Namespace = *l.Flags.Namespace
	}
	for _, kv := range l.Set {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return runner.Options{}, usageError{fmt.Errorf("--set %q: want NAME=VALUE", kv)}
		}
		o.Set[strings.Trim(k, "<>")] = v
	}
	if conf := findConfig(args); conf != "" {
		c, err := runner.LoadConfig(conf)
		if err != nil {
			return runner.Options{}, exitError{code: ExitUsage, msg: "docrun: " + err.Error()}
		}
		o.Config = c
	}
	return o, nil
}

// connectRunner connects to the cluster of the flags (asking first when it
// is not on this machine) and returns a runner for it with opts and
// secrets redacted. Its events are printed to progress (nil: nowhere),
// with the output of steps when live.
func (l *liveFlags) connectRunner(ctx context.Context, s genericiooptions.IOStreams, opts runner.Options, progress io.Writer, live bool) (*runner.Runner, error) {
	r := &runner.Runner{Opts: opts, Executors: executors()}
	r.Opts.Redactor = redact.New()
	if progress != nil {
		r.Opts.Events = &terminal.Printer{Out: progress, Live: live, Redactor: r.Opts.Redactor, OnWriteError: closedOutput(ctx)}
	}
	c, err := connect(ctx, s, l.Flags, l.Yes, s.Out)
	if err != nil {
		return nil, err
	}
	r.Cluster = c
	return r, nil
}

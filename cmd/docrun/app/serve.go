package app

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/docrun/docrun/frontend/serve"
	"github.com/docrun/docrun/runner"
)

// ServeOptions are the options of docrun serve.
type ServeOptions struct {
	liveFlags

	Addr        string
	IdleTimeout time.Duration

	root  string
	pages []string
	opts  runner.Options
	s     genericiooptions.IOStreams
}

func newServeCommand(s genericiooptions.IOStreams) *cobra.Command {
	o := &ServeOptions{s: s, liveFlags: newLiveFlags()}
	cmd := &cobra.Command{
		Use:   "serve [DIR|PAGE]",
		Short: "Serve pages as a local web playground where each step runs from the browser",
		Long: `Serve shows the pages under DIR (the current folder by default), or one PAGE,
in the browser: an index of the pages, and each page rendered like the HTML
report with a Run and a "Run from here" button on every step. A running
step's output is streamed to the page; its status, verdict and duration show
when it ends. "Run from here" stops after a step that fails.

Each browser tab has its own session, as docrun run gives a page: a bash, a
fresh namespace and a copy of your kubeconfig. It starts at the tab's first
Run and ends on Reset, after --idle-timeout without use, when the tab is
closed, and when docrun serve stops (Ctrl-C or SIGTERM): every process is
ended and every namespace deleted.

When a page, or a file it includes, changes on disk the page reloads in the
browser: steps whose code is unchanged keep their outcome, changed ones are
marked stale. A page that no longer parses shows the error.

The server listens on 127.0.0.1 on a free port unless --addr says otherwise,
and prints a URL with a random token: every request needs it (it is kept in
a cookie after the first). Requests that run or reset are POSTs accepted
only from the server's own pages.`,
		Example: `  docrun serve content/en
  docrun serve --addr 127.0.0.1:8080 content/ja/docs/tasks/access-cluster/access-api-with-docrun.md`,
		Args: cobra.MaximumNArgs(1),
		RunE: runE(o),
	}
	o.add(cmd)
	cmd.Flags().StringVar(&o.Addr, "addr", serve.DefaultAddr, "address to listen on (host:port; port 0 picks a free one)")
	cmd.Flags().DurationVar(&o.IdleTimeout, "idle-timeout", serve.DefaultIdleTimeout, "end a tab's session after this long without use")
	return cmd
}

// Complete fills the options from flags and arguments.
func (o *ServeOptions) Complete(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		args = []string{"."}
	}
	if o.IdleTimeout <= 0 {
		return usageError{fmt.Errorf("--idle-timeout must be positive")}
	}
	if _, port, err := net.SplitHostPort(o.Addr); err != nil {
		return usageError{fmt.Errorf("--addr %q: want host:port (127.0.0.1:8080, or port 0 for a free one)", o.Addr)}
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return usageError{fmt.Errorf("--addr %q: bad port", o.Addr)}
	}
	fi, err := os.Stat(args[0])
	if err != nil {
		return exitError{code: ExitFail, msg: "docrun: " + statProblem(args[0], err)}
	}
	o.root = args[0]
	if !fi.IsDir() {
		o.root = filepath.Dir(args[0])
	}
	if o.pages, err = expandPages(args[:1]); err != nil {
		return err
	}
	o.opts, err = o.runnerOptions(cmd, args)
	return err
}

// Run connects to the cluster, serves until SIGINT or SIGTERM, then ends
// every session.
func (o *ServeOptions) Run(parent context.Context) error {
	ctx, stop := untilSignal(parent)
	defer stop()
	out := o.s.Out
	r, err := o.connectRunner(ctx, o.s, o.opts, nil, false)
	if err != nil {
		return err
	}
	srv, err := serve.New(serve.Options{Root: o.root, Pages: o.pages, Addr: o.Addr, Runner: r,
		Generator: "docrun " + version(), IdleTimeout: o.IdleTimeout, Log: o.s.ErrOut})
	if err != nil {
		return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
	}
	if !srv.Loopback() {
		fmt.Fprintf(o.s.ErrOut, "warning: listening on %s, not only on this machine: anyone who can reach it and has the token runs commands against context %q\n", o.Addr, r.Cluster.Context)
	}
	n := len(o.pages)
	word := "pages"
	if n == 1 {
		word = "page"
	}
	fmt.Fprintf(out, "serving %d %s of %s\n  %s\n(Ctrl-C to stop; every session is cleaned up)\n", n, word, o.root, srv.URL())
	if err := srv.Serve(ctx); err != nil {
		return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
	}
	fmt.Fprintln(out, "stopped; every session ended")
	return interrupted(ctx, parent)
}

// Package app wires docrun's commands: flags, streams and exit codes. The
// work itself lives in the markdown and runner packages.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sync"
	"syscall"

	"github.com/docrun/docrun/runner/session"
	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/klog/v2"
)

func init() {
	// client-go logs through klog; docrun's output is its own.
	klog.SetOutput(io.Discard)
	klog.LogToStderr(false)
}

// Exit codes.
const (
	ExitOK    = 0
	ExitFail  = 1 // a page could not be parsed, or a step failed
	ExitUsage = 2 // bad flags or arguments
)

// usageError marks errors in how docrun was called.
type usageError struct{ error }

// Main runs docrun with args and returns the process exit code. Errors are
// printed as one line on ErrOut, never as a stack trace.
func Main(args []string, s genericiooptions.IOStreams) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(s.ErrOut, "docrun: internal error: %v\n", r)
			code = ExitFail
		}
	}()
	// Every page's shell is closed by then; what a page left running
	// where no cgroup could follow it ends with docrun.
	defer session.EndOrphans()
	root := NewRootCommand(s)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var ue usageError
	var ee exitError
	switch {
	case errors.As(err, &ee):
		if ee.msg != "" {
			fmt.Fprintln(s.ErrOut, ee.msg)
		}
		return ee.code
	case errors.As(err, &ue):
		fmt.Fprintf(s.ErrOut, "docrun: %v\nRun 'docrun --help' for usage.\n", err)
		return ExitUsage
	default:
		fmt.Fprintln(s.ErrOut, err)
		return ExitFail
	}
}

// exitError ends docrun with a given code after its message (if any) has
// been printed.
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }

// NewRootCommand builds the docrun command tree.
func NewRootCommand(s genericiooptions.IOStreams) *cobra.Command {
	root := &cobra.Command{
		Use:   "docrun",
		Short: "Run Kubernetes documentation pages against a cluster",
		Long: `docrun reads a Kubernetes task page (Hugo markdown as on kubernetes.io),
finds its shell and Go code, runs it step by step against the cluster of the
current kubeconfig, and reports every step's real outcome.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
	}
	root.SetIn(s.In)
	root.SetOut(s.Out)
	root.SetErr(s.ErrOut)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newListCommand(s), newRunCommand(s), newRenderCommand(s), newMergeCommand(s), newDispatchCommand(s), newSetupCommand(s), newVersionCommand(s), newWalkCommand(s), newWatchCommand(s), newServeCommand(s), newDriftCommand(s))
	for _, c := range root.Commands() {
		wrapArgs(c)
	}
	wrapArgs(root)
	return root
}

// wrapArgs makes argument-count errors usage errors.
func wrapArgs(c *cobra.Command) {
	if c.Args == nil {
		return
	}
	check := c.Args
	c.Args = func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return usageError{err}
		}
		return nil
	}
}

// Version is docrun's version, set at build time with
// -ldflags "-X github.com/docrun/docrun/cmd/docrun/app.Version=v0.1.0";
// otherwise read from the module's build information.
var Version = ""

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

func newVersionCommand(s genericiooptions.IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print docrun's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintf(s.Out, "docrun %s\n", version())
			return nil
		},
	}
}

// untilSignal is parent (Background when nil) ended by SIGINT or SIGTERM,
// or by a closed output (see closedOutput), so that a command cleans up
// before it exits.
func untilSignal(parent context.Context) (context.Context, context.CancelFunc) {
	if parent == nil {
		parent = context.Background()
	}
	catchSIGPIPE.Do(func() {
		// Without this a write to a closed stdout (docrun run … | head)
		// kills the process where it stands, its namespace and processes
		// left behind; with it the write fails with EPIPE, which the
		// printer reports (see closedOutput). SIGPIPEs of other pipes are
		// dropped here: their writes fail with EPIPE too.
		signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	})
	ctx, stop := signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithCancelCause(ctx)
	return context.WithValue(ctx, closedKey{}, cancel), func() { cancel(nil); stop() }
}

var catchSIGPIPE sync.Once

type closedKey struct{}

// errOutputClosed ends a command whose output was closed.
var errOutputClosed = errors.New("the output was closed")

// closedOutput is what a printer of ctx's command calls when a write
// fails: a closed output (EPIPE) ends the command as an interrupt does.
func closedOutput(ctx context.Context) func(error) {
	cancel, _ := ctx.Value(closedKey{}).(context.CancelCauseFunc)
	return func(err error) {
		if cancel != nil && errors.Is(err, syscall.EPIPE) {
			cancel(errOutputClosed)
		}
	}
}

// interrupted is the error of a command that ctx ended before its work was
// done: 130 for a signal, 141 (as a shell reports SIGPIPE) for a closed
// output; nil when parent ended it or it did not end.
func interrupted(ctx, parent context.Context) error {
	switch {
	case ctx.Err() == nil || parent.Err() != nil:
		return nil
	case context.Cause(ctx) == errOutputClosed:
		return exitError{code: 141, msg: "docrun: the output was closed; stopped and cleaned up"}
	}
	return exitError{code: 130, msg: "docrun: interrupted; cleaned up"}
}

// options is the convention of docrun's commands (kubectl's): Complete
// fills the options from the flags and arguments, Validate (where there is
// one) checks them, Run does the work.
type options interface {
	Complete(cmd *cobra.Command, args []string) error
	Run(ctx context.Context) error
}

// runE is a command's RunE for its options.
func runE(o options) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if err := o.Complete(cmd, args); err != nil {
			return err
		}
		if v, ok := o.(interface{ Validate() error }); ok {
			if err := v.Validate(); err != nil {
				return err
			}
		}
		return o.Run(cmd.Context())
	}
}

package app

import (
	"context"
	"errors"
	"fmt"
	"github.com/spf13/cobra"
	"golang.org/x/term"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"os"
	"strings"

	"github.com/docrun/docrun/frontend/walk"
	"github.com/docrun/docrun/runner"
)

// WalkOptions are the options of docrun walk.
type WalkOptions struct {
	liveFlags

	Page string
	opts runner.Options
	s    genericiooptions.IOStreams
}

func newWalkCommand(s genericiooptions.IOStreams) *cobra.Command {
	o := &WalkOptions{s: s, liveFlags: newLiveFlags()}
	cmd := &cobra.Command{
		Use:   "walk PAGE",
		Short: "Walk through a page in the terminal, running each step when you say",
		Long: `Walk shows a page one step at a time: the section, the prose before the step
and its code. Then it waits for a key (on a terminal one key is enough; from
a pipe, a line each):

  Enter  run the step (its output is streamed)
  s      skip it
  e      edit it in $EDITOR (vi by default) and run the edited version
  r      re-run the last step
  q      quit

The page runs as with docrun run: in a fresh namespace with a copy of your
kubeconfig and one bash; quitting, Ctrl-C and SIGTERM end every process the
page started and delete the namespace. Colours are off with NO_COLOR or when
the output is not a terminal.`,
		Example: `  docrun walk --offline content/en/docs/tasks/access-cluster/access-api-with-docrun.md`,
		Args:    cobra.ExactArgs(1),
		RunE:    runE(o),
	}
	o.add(cmd)
	return cmd
}

// Complete fills the options from flags and arguments.
func (o *WalkOptions) Complete(cmd *cobra.Command, args []string) error {
	if fi, err := os.Stat(args[0]); err != nil {
		return exitError{code: ExitFail, msg: "docrun: " + statProblem(args[0], err)}
	} else if fi.IsDir() {
		return usageError{fmt.Errorf("%s: want a page file", args[0])}
	}
	o.Page = args[0]
	var err error
	o.opts, err = o.runnerOptions(cmd, args)
	return err
}

// Run opens the page's session, walks through it and cleans up.
func (o *WalkOptions) Run(parent context.Context) error {
	ctx, stop := untilSignal(parent)
	defer stop()
	out := o.s.Out
	r, err := o.connectRunner(ctx, o.s, o.opts, out, true)
	if err != nil {
		return err
	}
	ps, err := r.Open(ctx, o.Page)
	if err != nil {
		return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
	}
	defer ps.Close(context.Background())
	wo := walk.Options{In: o.s.In, Out: out, Width: 80, Color: isTerminal(out) && os.Getenv("NO_COLOR") == ""}
	if in, ok := o.s.In.(*os.File); ok && term.IsTerminal(int(in.Fd())) {
		wo.Keys = in
	}
	if f, ok := out.(*os.File); ok {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			wo.Width = w
		}
	}
	if strings.Contains(os.Getenv("TERM"), "256") || os.Getenv("COLORTERM") != "" {
		wo.Formatter = "terminal256"
	} else {
		wo.Formatter = "terminal16"
	}
	werr := walk.Walk(ctx, ps, wo)
	ps.Close(context.Background())
	for _, n := range ps.Result().Notes {
		fmt.Fprintf(out, "  %s\n", n)
	}
	if err := interrupted(ctx, parent); err != nil {
		return err
	}
	switch {
	case werr != nil && !errors.Is(werr, walk.ErrQuit):
		return exitError{code: ExitFail, msg: "docrun: " + werr.Error()}
	case !walk.OK(ps):
		return exitError{code: ExitFail}
	}
	return nil
}

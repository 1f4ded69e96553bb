package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/docrun/docrun/drift"
	"github.com/docrun/docrun/drift/view"
	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/render"
	"github.com/docrun/docrun/runner"
)

// DriftOptions are the options of docrun drift.
type DriftOptions struct {
	Output  string
	HTMLDir string
	Source  string
	RunBoth bool
	// live holds the cluster and runner flags, docrun run's, for --run.
	live liveFlags

	pages  []string
	folder bool // a folder was given: one summary line a page
	parse  markdown.Options
	runner runner.Options
	s      genericiooptions.IOStreams
}

func newDriftCommand(s genericiooptions.IOStreams) *cobra.Command {
	o := &DriftOptions{s: s, live: newLiveFlags()}
	cmd := &cobra.Command{
		Use:   "drift PAGE|FOLDER...",
		Short: "Show where translated pages have drifted from their English source",
		Long: `Drift aligns the steps of a translated page (content/<lang>/...) with those of
its English source (content/en/, the same path; --source names another) and
reports, per step, whether the code is the same (comments and spacing aside),
changed (which flags, images, file names, API versions differ), only in one
page or moved, and whether the expected outputs still have the same shape.
Prose is not compared. With --run both pages run, each in its own namespace,
and steps whose outcomes differ are reported too.

A folder gives one line per translated page, the most drifted first; pages
whose source does not exist are listed as such. Exit status 1 when any step
or front matter field drifted.`,
		Example: `  docrun drift content/ja/docs/tasks/access-cluster/access-api-with-docrun.md
  docrun drift -o json content/ja
  docrun drift --html out/drift content/ja
  docrun drift --run --offline page.md --source other.md`,
		Args: cobra.MinimumNArgs(1),
		RunE: runE(o),
	}
	f := cmd.Flags()
	f.StringVarP(&o.Output, "output", "o", "table", "output format: table or json")
	f.StringVar(&o.HTMLDir, "html", "", "write the side-by-side view of each page into this folder")
	f.StringVar(&o.Source, "source", "", "the source page to compare the one page given with (default: content/en/<the same path>)")
	f.BoolVar(&o.RunBoth, "run", false, "run both pages against the cluster and report where their outcomes differ")
	o.live.add(cmd)
	return cmd
}

// Complete fills the options from flags and arguments.
func (o *DriftOptions) Complete(cmd *cobra.Command, args []string) error {
	for _, a := range args {
		if fi, err := os.Stat(a); err == nil && fi.IsDir() {
			o.folder = true
		}
	}
	pages, err := expandPages(args)
	if err != nil {
		return err
	}
	o.pages = pages
	if o.Source != "" && (len(pages) != 1 || o.folder) {
		return usageError{fmt.Errorf("--source needs exactly one page")}
	}
	if o.runner, err = o.live.runnerOptions(cmd, args); err != nil {
		return err
	}
	o.runner.PageTimeout, o.runner.Parallel = runner.DefaultPageTimeout, 2
	o.parse = o.runner.Parse
	return nil
}

// Validate checks the options.
func (o *DriftOptions) Validate() error {
	switch o.Output {
	case "table", "json":
		return nil
	}
	return usageError{fmt.Errorf("--output %q: want table or json", o.Output)}
}

// Run compares the pages with their sources, runs them with --run, and
// writes what was asked.
func (o *DriftOptions) Run(parent context.Context) error {
	res, failed := o.compare()
	if o.RunBoth {
		if err := o.runPages(parent, res); err != nil {
			return err
		}
	}
	if o.folder {
		view.SortByDrift(res.Pages)
	}
	if err := o.write(res); err != nil {
		return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
	}
	if failed || res.Drifted() {
		return exitError{code: ExitFail}
	}
	return nil
}

// compare parses each page and its source and compares them. Pages that
// cannot be read are reported on ErrOut (file:line: message); failed says
// there were some.
func (o *DriftOptions) compare() (res *drift.Result, failed bool) {
	res = &drift.Result{Pages: []*drift.Report{}}
	for _, p := range o.pages {
		src := o.Source
		if src == "" {
			var err error
			if src, err = drift.SourcePath(p); err != nil {
				if o.folder && src == "" && errors.Is(err, drift.ErrEnglish) {
					continue
				}
				fmt.Fprintf(o.s.ErrOut, "%s: %v\n", p, err)
				failed = true
				continue
			}
		}
		if _, err := os.Stat(src); errors.Is(err, fs.ErrNotExist) && o.Source == "" {
			res.Pages = append(res.Pages, drift.NoSource(p, src))
			continue
		}
		tr, err1 := o.parsePage(p)
		sd, err2 := o.parsePage(src)
		if err1 != nil || err2 != nil {
			failed = true
			continue
		}
		res.Pages = append(res.Pages, drift.Compare(tr, sd))
	}
	return res, failed
}

// parsePage parses a page, printing its warnings and error.
func (o *DriftOptions) parsePage(path string) (*markdown.Document, error) {
	doc, err := markdown.Parse(path, o.parse)
	if err != nil {
		fmt.Fprintln(o.s.ErrOut, err)
		return nil, err
	}
	for _, w := range doc.Warnings {
		fmt.Fprintln(o.s.ErrOut, "warning: "+w)
	}
	return doc, nil
}

// write writes the reports: the table (or JSON) on Out, the HTML view,
// and GitHub Actions annotations when running in GitHub Actions.
func (o *DriftOptions) write(res *drift.Result) error {
	out := o.s.Out
	if o.Output == "json" {
		if err := writeJSON(out, res); err != nil {
			return err
		}
		out = o.s.ErrOut
	} else if o.folder {
		if err := view.WriteSummary(out, res.Pages); err != nil {
			return err
		}
	} else {
		for i, r := range res.Pages {
			if i > 0 {
				fmt.Fprintln(out)
			}
			if err := view.WriteTable(out, r); err != nil {
				return err
			}
		}
	}
	if o.HTMLDir != "" {
		index, err := view.WriteHTML(o.HTMLDir, res.Pages, "docrun "+version(), time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintf(o.s.ErrOut, "view: %s\n", index)
	}
	if render.GitHubActions() {
		if err := view.WriteGitHub(out, res); err != nil {
			return err
		}
	}
	return nil
}

// runPages runs every compared page and its source on the cluster, two at
// a time, each in its own namespace, and adds the outcomes to the reports.
// The runner's progress goes to ErrOut.
func (o *DriftOptions) runPages(parent context.Context, res *drift.Result) error {
	ctx, stop := untilSignal(parent)
	defer stop()
	var pages []string
	var reps []*drift.Report
	for _, r := range res.Pages {
		if !r.NoSource {
			pages = append(pages, r.Translation, r.Source)
			reps = append(reps, r)
		}
	}
	if len(pages) == 0 {
		return nil
	}
	progress := genericiooptions.IOStreams{In: o.s.In, Out: o.s.ErrOut, ErrOut: o.s.ErrOut}
	rn, err := o.live.connectRunner(ctx, progress, o.runner, o.s.ErrOut, false)
	if err != nil {
		return err
	}
	ran := rn.Run(ctx, pages)
	for k, r := range reps {
		tr, src := ran.Pages[2*k], ran.Pages[2*k+1]
		for _, p := range []string{tr.Error, src.Error} {
			if p != "" {
				fmt.Fprintln(o.s.ErrOut, p)
			}
		}
		r.AddRun(tr, src)
	}
	return interrupted(ctx, parent)
}

package app

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/render"
	"github.com/docrun/docrun/render/html"
	"github.com/docrun/docrun/runner"
	"github.com/docrun/docrun/runner/redact"

	"github.com/docrun/docrun/result"
)

// RenderOptions are the options of docrun render.
type RenderOptions struct {
	OutDir string
	From   string
	// History is --history DIR: the health over time of the results
	// given (or of a folder's), written into DIR.
	History string
	// JUnit is --junit FILE: with --from, the result as JUnit XML too.
	JUnit    string
	NoRedact bool
	SiteDir  string
	Version  string

	Pages []string
	parse markdown.Options
	s     genericiooptions.IOStreams
}

func newRenderCommand(s genericiooptions.IOStreams) *cobra.Command {
	o := &RenderOptions{s: s}
	cmd := &cobra.Command{
		Use:   "render PAGE|FOLDER... -o DIR | render --from RESULT.json -o DIR",
		Short: "Write pages as static HTML reports, without running them or from a saved run",
		Long: `Render writes each page as the website shows it, one self-contained HTML file
per page plus index.html, into the folder given with -o. Its steps are shown as
"not run".

With --from it renders a saved run result (docrun run --json FILE) instead: the
prose is read again from each page, the steps' outcomes come from the result.
A page that is gone is rendered from the result alone.

The files need no server and no JavaScript: open index.html in a browser.`,
		Example: `  docrun render content/en -o out/render
  docrun run page.md --json result.json && docrun render --from result.json -o out/report`,
		RunE: runE(o),
	}
	f := cmd.Flags()
	f.StringVarP(&o.OutDir, "output-dir", "o", "", "folder to write the reports into (created if needed)")
	f.StringVar(&o.From, "from", "", "render a saved run result (JSON of docrun run --json) instead of pages")
	f.StringVar(&o.History, "history", "", "write into this folder the health over time of the run results given (oldest first, or a folder of results named by date): a strip of cells per page, one per run")
	f.StringVar(&o.JUnit, "junit", "", "with --from: write the result as JUnit XML to this file too (and, in GitHub Actions, print its annotations)")
	f.BoolVar(&o.NoRedact, "no-redact", false, "show secrets found in a saved result instead of [REDACTED] (local debugging only)")
	addParseFlags(cmd, &o.SiteDir, &o.Version)
	return cmd
}

// Complete fills the options from the arguments.
func (o *RenderOptions) Complete(_ *cobra.Command, args []string) error {
	o.Pages = args
	var err error
	o.parse, err = parseOptions(o.SiteDir, o.Version)
	return err
}

// Validate checks the options.
func (o *RenderOptions) Validate() error {
	switch {
	case o.History != "":
		if o.OutDir != "" || o.From != "" || o.JUnit != "" || len(o.Pages) == 0 {
			return usageError{fmt.Errorf("--history DIR takes run results (or a folder of them), and no -o, --from or --junit")}
		}
		return nil
	case o.OutDir == "":
		return usageError{fmt.Errorf("-o DIR is required: the folder to write the reports into")}
	case o.From != "" && len(o.Pages) > 0:
		return usageError{fmt.Errorf("give pages or --from, not both")}
	case o.JUnit != "" && o.From == "":
		return usageError{fmt.Errorf("--junit needs --from RESULT.json")}
	case o.From == "" && len(o.Pages) == 0:
		return usageError{fmt.Errorf("give pages to render, or --from RESULT.json")}
	}
	return nil
}

// Run renders the pages or the saved result.
func (o *RenderOptions) Run(context.Context) error {
	if o.History != "" {
		return o.writeHistory()
	}
	var reps []*html.Report
	failed := false
	if o.From != "" {
		res, err := readResult(o.From)
		if err != nil {
			return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
		}
		if !o.NoRedact {
			runner.Redact(res, redact.New())
		}
		reps = htmlReports(res, o.parse)
		if err := writeCIReports(res, o.JUnit, o.s.Out); err != nil {
			return err
		}
	} else {
		pages, err := expandPages(o.Pages)
		if err != nil {
			return err
		}
		sites := siteCache{}
		for _, p := range pages {
			opts := o.parse
			if opts.Site == nil {
				opts.Site = sites.find(p)
			}
			page, err := markdown.ParsePage(p, opts)
			if err != nil {
				fmt.Fprintln(o.s.ErrOut, err)
				failed = true
				reps = append(reps, &html.Report{Doc: &markdown.Document{Path: p, Lang: opts.Site.Lang(p)},
					Site: opts.Site, Result: &result.PageResult{Error: err.Error()}})
				continue
			}
			for _, w := range page.Doc.Warnings {
				fmt.Fprintln(o.s.ErrOut, "warning: "+w)
			}
			reps = append(reps, &html.Report{Page: page, Site: opts.Site})
		}
	}
	index, err := render.WriteHTML(o.OutDir, reps, "docrun "+version(), time.Now())
	if err != nil {
		return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
	}
	fmt.Fprintf(o.s.Out, "report: %s\n", index)
	if failed {
		return exitError{code: ExitFail}
	}
	return nil
}

// readResult reads a run result saved by docrun run --json.
func readResult(path string) (*result.Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var res result.Result
	if err := json.Unmarshal(data, &res); err != nil {
		return nil, fmt.Errorf("%s: not a docrun run result: %v", path, err)
	}
	for _, p := range res.Pages {
		if p == nil {
			return nil, fmt.Errorf("%s: not a docrun run result: a page is null", path)
		}
	}
	return &res, nil
}

// htmlReports makes the HTML reports of a run: each page is parsed again
// (with the Kubernetes version it ran against) for its prose.
func htmlReports(res *result.Result, parse markdown.Options) []*html.Report {
	sites := siteCache{}
	var reps []*html.Report
	for _, pr := range res.Pages {
		opts := parse
		if opts.Site == nil {
			opts.Site = sites.find(pr.Path)
		}
		if opts.Version == (markdown.Version{}) && pr.Cluster != nil {
			if v, err := markdown.ParseVersion(pr.Cluster.Version); err == nil {
				opts.Version = v
			}
		}
		page, err := markdown.ParsePage(pr.Path, opts)
		if err != nil {
			page = nil
		}
		reps = append(reps, render.FromResult(pr, page, opts.Site))
	}
	return reps
}

// siteCache shares one Site (and its translations, read once) among the
// pages of the same site.
type siteCache map[string]*markdown.Site

func (c siteCache) find(page string) *markdown.Site {
	s := markdown.FindSite(page)
	if cached, ok := c[s.Root]; ok {
		return cached
	}
	c[s.Root] = s
	return s
}

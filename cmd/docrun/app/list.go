package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/docrun/docrun/markdown"
)

// ListOptions are the options of docrun list.
type ListOptions struct {
	Output  string
	SiteDir string
	Version string
	Pages   []string

	parse markdown.Options
	s     genericiooptions.IOStreams
}

func newListCommand(s genericiooptions.IOStreams) *cobra.Command {
	o := &ListOptions{s: s}
	cmd := &cobra.Command{
		Use:   "list PAGE...",
		Short: "List the steps docrun finds in pages",
		Long: `List parses each page and prints its steps: index, line, kind, language,
flags and the first line of code. With -o json it prints each page's Document
(path, title, lang, front, sections, steps).`,
		Example: `  docrun list content/en/docs/tasks/access-cluster/access-api-with-docrun.md
  docrun list -o json page.md`,
		Args: cobra.MinimumNArgs(1),
		RunE: runE(o),
	}
	cmd.Flags().StringVarP(&o.Output, "output", "o", "table", "output format: table or json")
	addParseFlags(cmd, &o.SiteDir, &o.Version)
	return cmd
}

func addParseFlags(cmd *cobra.Command, siteDir, version *string) {
	cmd.Flags().StringVar(siteDir, "site-dir", "", "the website's root folder (default: the nearest folder above the page that has content/)")
	cmd.Flags().StringVar(version, "site-version", "", "Kubernetes version the site's version shortcodes show, e.g. 1.37 (default: docrun's client-go version)")
}

func parseOptions(siteDir, version string) (markdown.Options, error) {
	var po markdown.Options
	if siteDir != "" {
		fi, err := os.Stat(siteDir)
		if err != nil || !fi.IsDir() {
			return po, usageError{fmt.Errorf("--site-dir %s: not a folder", siteDir)}
		}
		po.Site = markdown.NewSite(siteDir)
	}
	if version != "" {
		v, err := markdown.ParseVersion(version)
		if err != nil {
			return po, usageError{fmt.Errorf("--site-version: %v", err)}
		}
		po.Version = v
	}
	return po, nil
}

// Complete fills the options from the arguments.
func (o *ListOptions) Complete(_ *cobra.Command, args []string) error {
	o.Pages = args
	var err error
	o.parse, err = parseOptions(o.SiteDir, o.Version)
	return err
}

// Validate checks the options.
func (o *ListOptions) Validate() error {
	switch o.Output {
	case "table", "json":
		return nil
	}
	return usageError{fmt.Errorf("--output %q: want table or json", o.Output)}
}

// Run parses the pages and prints their steps.
func (o *ListOptions) Run(context.Context) error {
	pages, err := expandPages(o.Pages)
	if err != nil {
		return err
	}
	var docs []*markdown.Document
	failed := false
	for _, p := range pages {
		doc, err := markdown.Parse(p, o.parse)
		if err != nil {
			fmt.Fprintln(o.s.ErrOut, err)
			failed = true
			continue
		}
		for _, w := range doc.Warnings {
			fmt.Fprintln(o.s.ErrOut, "warning: "+w)
		}
		docs = append(docs, doc)
	}
	if o.Output == "json" {
		enc := json.NewEncoder(o.s.Out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		var v any = docs
		if len(o.Pages) == 1 && len(pages) == 1 && len(docs) == 1 {
			v = docs[0]
		}
		if err := enc.Encode(v); err != nil {
			return err
		}
	} else {
		for i, d := range docs {
			if i > 0 {
				fmt.Fprintln(o.s.Out)
			}
			printSteps(o.s.Out, d)
		}
	}
	if failed {
		return exitError{code: ExitFail}
	}
	return nil
}

func printSteps(out io.Writer, d *markdown.Document) {
	fmt.Fprintf(out, "%s  (%s, %d steps)\n", d.Path, d.Lang, len(d.Steps))
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tLINE\tKIND\tLANG\tFLAGS\tCODE")
	for _, s := range d.Steps {
		for _, su := range d.Setups {
			if su.Before == s.Index {
				for _, x := range su.Steps {
					fmt.Fprintf(tw, "setup\t%d\t%s\t%s\t-\t%s  (from %s:%d)\n", su.Line, x.Kind, x.Lang, markdown.FirstLine(x.Code, 60), su.Page, x.Line)
				}
			}
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\n", s.Index, s.Line, s.Kind, s.Lang, stepFlags(s), markdown.FirstLine(s.Code, 60))
	}
	tw.Flush()
}

func stepFlags(s markdown.Step) string {
	var f []string
	if !s.Runnable {
		f = append(f, "norun")
	}
	for _, x := range []struct {
		on   bool
		name string
	}{{s.Background, "bg"}, {s.Interactive, "interactive"}, {s.Network, "network"}, {s.Host, "host"}, {s.Hidden, "hidden"}, {s.Expected != nil, "expect"}, {s.Fails != nil, "fails"}} {
		if x.on {
			f = append(f, x.name)
		}
	}
	for _, p := range s.Placeholders {
		f = append(f, "<"+p+">")
	}
	if len(f) == 0 {
		return "-"
	}
	return strings.Join(f, ",")
}

// expandPages turns folder arguments into the pages under them (sorted);
// files are kept as given. A missing argument, a symlink loop and a folder
// without pages are errors.
func expandPages(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil {
			return nil, exitError{code: ExitFail, msg: "docrun: " + statProblem(a, err)}
		}
		if !fi.IsDir() {
			out = append(out, a)
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "includes" || d.Name() == "examples" || d.Name() == "included") && p != a {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(p, ".md") {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, exitError{code: ExitFail, msg: "docrun: " + err.Error()}
		}
		if len(found) == 0 {
			return nil, exitError{code: ExitFail, msg: fmt.Sprintf("docrun: no pages under %s (no .md files in it)", a)}
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

// statProblem words why a path given on the command line cannot be read.
func statProblem(path string, err error) string {
	switch {
	case errors.Is(err, syscall.ELOOP):
		return path + ": a symlink loop"
	case errors.Is(err, fs.ErrNotExist):
		return path + ": no such file or folder"
	}
	return err.Error()
}

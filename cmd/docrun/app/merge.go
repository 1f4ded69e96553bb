package app

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/docrun/docrun/result"
)

// MergeOptions are the options of docrun merge.
type MergeOptions struct {
	Output string
	Files  []string
	s      genericiooptions.IOStreams
}

func newMergeCommand(s genericiooptions.IOStreams) *cobra.Command {
	o := &MergeOptions{s: s}
	cmd := &cobra.Command{
		Use:   "merge RESULT.json... -o ALL.json",
		Short: "Join the results of runs of parts of a page list (docrun run --shard) into one",
		Long: `Merge joins run results (docrun run --json), typically of the parts of one
page list run side by side with --shard K/N, into one result: the pages in the
order of the whole list, each with its own cluster block, the summary counted
again. render --from, --junit and GitHub annotations work on it as on any
result.

Results of different docrun versions, or with a page in common, are refused.`,
		Example: `  docrun merge shard-1.json shard-2.json shard-3.json -o all.json
  docrun render --from all.json -o report --junit junit.xml`,
		Args: cobra.MinimumNArgs(1),
		RunE: runE(o),
	}
	cmd.Flags().StringVarP(&o.Output, "output", "o", "", "file to write the merged result into")
	return cmd
}

// Complete fills the options from the arguments.
func (o *MergeOptions) Complete(_ *cobra.Command, args []string) error {
	o.Files = args
	return nil
}

// Validate checks the options.
func (o *MergeOptions) Validate() error {
	if o.Output == "" {
		return usageError{fmt.Errorf("-o ALL.json is required: the file to write the merged result into")}
	}
	return nil
}

// Run merges the results.
func (o *MergeOptions) Run(context.Context) error {
	var rs []*result.Result
	for _, f := range o.Files {
		r, err := readResult(f)
		if err != nil {
			return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
		}
		rs = append(rs, r)
	}
	m, err := result.Merge(rs, o.Files)
	if err != nil {
		return exitError{code: ExitFail, msg: "docrun merge: " + err.Error()}
	}
	f, err := os.Create(o.Output)
	if err != nil {
		return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
	}
	err = writeJSON(f, m)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return exitError{code: ExitFail, msg: "docrun: " + err.Error()}
	}
	s := m.Summary
	fmt.Fprintf(o.s.Out, "merged %d results: %d pages, %d steps: %d passed, %d failed, %d skipped, %d timeout\n",
		len(rs), s.Pages, s.Steps, s.Passed, s.Failed, s.Skipped, s.Timeout)
	return nil
}

package app

import (
	"context"
	"fmt"
	"os/exec"
	"strings"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/docrun/docrun/runner/clients"
	"github.com/docrun/docrun/runner/gostep"
)

// setupLanguages are the languages docrun setup knows.
var setupLanguages = []string{"go", "python", "javascript"}

// SetupOptions are the options of docrun setup.
type SetupOptions struct {
	Languages []string
	// Install is set when languages were named: javascript is installed,
	// not only checked.
	Install bool
	s       genericiooptions.IOStreams
}

func newSetupCommand(s genericiooptions.IOStreams) *cobra.Command {
	o := &SetupOptions{s: s}
	return &cobra.Command{
		Use:   "setup [go|python|javascript]...",
		Short: "Set up or check the toolchains that run a page's client programs",
		Long: `Setup prepares what docrun needs to run the client-library programs of a page,
or says what is missing. Without arguments it checks every language.

  go          needs the go command on PATH; Go steps are built in docrun's cache
              (` + "`$DOCRUN_CACHE_DIR`" + ` or the user cache folder, then docrun/go).
  python      needs a python3 that can import kubernetes (Debian: apt-get install
              python3-kubernetes; or pip install kubernetes). Setup only checks.
  javascript  installs ` + clients.NodeClient + `@` + clients.NodeClientVersion + ` with npm into docrun's
              cache (docrun/node); JavaScript steps resolve the client from there.
              docrun run never installs it by itself.`,
		Example: `  docrun setup javascript
  docrun setup`,
		Args: cobra.ArbitraryArgs,
		RunE: runE(o),
	}
}

// Complete fills the options from the arguments.
func (o *SetupOptions) Complete(_ *cobra.Command, args []string) error {
	o.Languages, o.Install = nil, len(args) > 0
	for _, a := range args {
		o.Languages = append(o.Languages, strings.ToLower(a))
	}
	if len(o.Languages) == 0 {
		o.Languages = setupLanguages
	}
	return nil
}

// Validate checks the languages.
func (o *SetupOptions) Validate() error {
	for _, l := range o.Languages {
		known := false
		for _, k := range setupLanguages {
			known = known || k == l
		}
		if !known {
			return usageError{fmt.Errorf("setup %q: want one of %s", l, strings.Join(setupLanguages, ", "))}
		}
	}
	return nil
}

// Run sets up or checks each language; it fails when one is not ready.
func (o *SetupOptions) Run(ctx context.Context) error {
	if ctx == nil {
		ctx = context.Background()
	}
	failed := 0
	for _, l := range o.Languages {
		why := ""
		switch l {
		case "go":
			why = gostep.New().Available(nil)
			if why == "" {
				goPath, _ := exec.LookPath("go")
				fmt.Fprintf(o.s.Out, "go: ready (%s)\n", goPath)
			}
		case "python":
			if py := clients.NewPython().Interpreter(); py != "" {
				fmt.Fprintf(o.s.Out, "python: ready (%s imports kubernetes)\n", py)
			} else {
				why = clients.PythonReason
			}
		case "javascript":
			if !o.Install {
				why = clients.NewJavaScript().Available(nil)
			} else if err := clients.SetupJavaScript(ctx, o.s.Out); err != nil {
				why = err.Error()
			}
			if why == "" {
				dir, _ := clients.NodeDir()
				fmt.Fprintf(o.s.Out, "javascript: ready (%s in %s)\n", clients.NodeClient, dir)
			}
		}
		if why != "" {
			failed++
			fmt.Fprintf(o.s.ErrOut, "%s: not ready: %s\n", l, why)
		}
	}
	if failed > 0 {
		return exitError{code: ExitFail}
	}
	return nil
}

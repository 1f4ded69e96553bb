// Command docrun makes Kubernetes documentation pages executable: it parses
// a page written for the Kubernetes website, runs its steps against the
// cluster of the current kubeconfig and reports every step's outcome.
package main

import (
	"os"

	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/docrun/docrun/cmd/docrun/app"
)

func main() {
	os.Exit(app.Main(os.Args[1:], genericiooptions.IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}))
}

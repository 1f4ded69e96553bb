package app

import (
	"github.com/docrun/docrun/runner"
	"github.com/docrun/docrun/runner/clients"
	"github.com/docrun/docrun/runner/gostep"
)

// executors is the registry of step executors docrun run uses: shell, Go,
// Python and JavaScript; other languages (Java, C#, Haskell, ...) fall back
// to being skipped with the reason.
func executors() *runner.Registry {
	r := runner.NewRegistry()
	r.Register(gostep.New(), "go")
	r.Register(clients.NewPython(), "python")
	r.Register(clients.NewJavaScript(), "javascript")
	return r
}

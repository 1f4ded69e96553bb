// Package watch re-renders a documentation page to an HTML report each time
// the page, one of its includes or one of its example files changes: the
// loop behind docrun watch PAGE -o FILE.
//
// Files are watched through their folders, so that editors that save by
// writing a temporary file and renaming it over the original are seen.
// Changes are debounced; the report is written atomically (temporary file
// renamed over FILE). A page that cannot be parsed is shown as a small error
// page, and the error printed, until it is fixed.
//
// Steps are not run. Given the outcomes of an earlier run (Options.Baseline),
// a step whose code is unchanged keeps its outcome, and a changed one is
// marked stale and shown as "not run" with the reason StaleReason.
package watch

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/render"
	"github.com/docrun/docrun/render/html"
	"github.com/docrun/docrun/runner"
)

// DefaultDebounce is how long the watcher waits after a change for more
// changes before it renders.
const DefaultDebounce = 50 * time.Millisecond

// Options configure a watch.
type Options struct {
	// Page is the page to watch; Out the HTML file to write.
	Page, Out string
	// Parse are the parse options; a nil Site is found from the page.
	Parse markdown.Options
	// Baseline is the report of an earlier run of the page whose outcomes
	// unchanged steps keep; nil shows every step as not run.
	Baseline *html.Report
	// Generator names docrun and its version in the report.
	Generator string
	// Debounce is the quiet time before a render; 0 means DefaultDebounce.
	Debounce time.Duration
	// Stderr receives parse errors, warnings and watcher errors; nil
	// discards them.
	Stderr io.Writer
	// Rendered, when set, is called after each write of Out with the parse
	// or write error (nil when the report was written).
	Rendered func(error)
	// Session, when set, is an open session of the page (docrun watch
	// --rerun): every step runs before the first render, and after each
	// change the page is reloaded into the session and the steps from the
	// first changed one on run again; the report shows the outcomes.
	// Parse should then be the runner's (Runner.ParseOptions).
	Session *runner.PageSession
}

// Watch renders the page to Out, then again on every change, until ctx is
// cancelled or the process gets SIGINT or SIGTERM; it then closes the
// watcher and returns nil. It returns an error only when watching cannot
// start or Out cannot be written.
func Watch(ctx context.Context, o Options) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	w, err := newWatcher(o)
	if err != nil {
		return err
	}
	defer w.files.Close()
	if err := w.render(); err != nil {
		return err
	}
	return w.files.Run(ctx, func([]string) error { return w.render() })
}

// watcher is the state of one watch.
type watcher struct {
	o     Options
	files *Files
	warns []string // warnings last printed
	ran   bool     // the session ran the page once
}

func newWatcher(o Options) (*watcher, error) {
	if o.Stderr == nil {
		o.Stderr = io.Discard
	}
	if o.Parse.Site == nil {
		o.Parse.Site = markdown.FindSite(o.Page)
	}
	files, err := NewFiles(o.Debounce, o.Stderr)
	if err != nil {
		return nil, err
	}
	w := &watcher{o: o, files: files}
	if err := files.Set(o.Page, nil); err != nil {
		files.Close()
		return nil, err
	}
	return w, nil
}

// render parses the page and writes Out: the report, or the error page
// when the page cannot be parsed. It returns only write errors.
func (w *watcher) render() error {
	page, perr := markdown.ParsePage(w.o.Page, w.o.Parse)
	var data []byte
	if perr != nil {
		fmt.Fprintf(w.o.Stderr, "%v\n", perr)
		data = errorPage(w.o.Page, perr)
		w.warns = nil
	} else {
		if err := w.files.Set(w.o.Page, page.Deps); err != nil {
			return err
		}
		if !slices.Equal(page.Doc.Warnings, w.warns) {
			for _, s := range page.Doc.Warnings {
				fmt.Fprintln(w.o.Stderr, "warning: "+s)
			}
			w.warns = page.Doc.Warnings
		}
		var rep *html.Report
		if w.o.Session != nil {
			rep = w.rerun(page)
		} else {
			rep = report(page, w.o.Parse.Site, w.o.Baseline, w.o.Generator)
		}
		var err error
		if data, err = renderReport(rep); err != nil {
			perr = err
			fmt.Fprintf(w.o.Stderr, "%s: %v\n", w.o.Page, err)
			data = errorPage(w.o.Page, err)
		}
	}
	if err := writeAtomic(w.o.Out, data); err != nil {
		return err
	}
	if w.o.Rendered != nil {
		w.o.Rendered(perr)
	}
	return nil
}

// rerun runs the steps of a new parse of the page that changed (all of
// them the first time), from the first changed one to the end, and returns
// the report of the session.
func (w *watcher) rerun(page *markdown.Page) *html.Report {
	sess := w.o.Session
	from := -1
	if changed := sess.Reload(page); !w.ran {
		from = 0
	} else if len(changed) > 0 {
		from = changed[0]
	}
	w.ran = true
	if from >= 0 {
		for i := from; i < len(sess.Steps()) && !sess.Ended() && !sess.Closed(); i++ {
			if _, err := sess.Run(i, ""); err != nil {
				fmt.Fprintf(w.o.Stderr, "%v\n", err)
				break
			}
		}
	}
	rep := render.FromResult(sess.Result(), page, w.o.Parse.Site)
	rep.Generator = w.o.Generator
	return rep
}

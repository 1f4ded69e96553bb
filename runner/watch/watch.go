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
// shown as "not run" with the reason StaleReason.
package watch

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/markdown/html"
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
	defer w.fs.Close()
	if err := w.render(); err != nil {
		return err
	}
	return w.loop(ctx)
}

// watcher is the state of one watch.
type watcher struct {
	o     Options
	fs    *fsnotify.Watcher
	files map[string]bool // absolute paths of the page and its deps
	dirs  map[string]bool // folders being watched
	warns []string        // warnings last printed
}

func newWatcher(o Options) (*watcher, error) {
	if o.Debounce <= 0 {
		o.Debounce = DefaultDebounce
	}
	if o.Stderr == nil {
		o.Stderr = io.Discard
	}
	if o.Parse.Site == nil {
		o.Parse.Site = markdown.FindSite(o.Page)
	}
	fs, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	w := &watcher{o: o, fs: fs, files: map[string]bool{}, dirs: map[string]bool{}}
	if err := w.follow(nil); err != nil {
		fs.Close()
		return nil, err
	}
	return w, nil
}

// follow makes the watched files the page and deps, watching their folders
// and no longer the folders nothing is in. Only the page's folder is
// required to be watchable.
func (w *watcher) follow(deps []string) error {
	files := map[string]bool{abs(w.o.Page): true}
	for _, d := range deps {
		files[abs(d)] = true
	}
	dirs := map[string]bool{}
	for f := range files {
		dirs[filepath.Dir(f)] = true
	}
	for d := range dirs {
		if w.dirs[d] {
			continue
		}
		if err := w.fs.Add(d); err != nil {
			if d == filepath.Dir(abs(w.o.Page)) {
				return fmt.Errorf("watch %s: %w", d, err)
			}
			fmt.Fprintf(w.o.Stderr, "warning: cannot watch %s: %v\n", d, err)
			delete(dirs, d)
		}
	}
	for d := range w.dirs {
		if !dirs[d] {
			w.fs.Remove(d)
		}
	}
	w.files, w.dirs = files, dirs
	return nil
}

// loop waits for changes and renders after each quiet spell.
func (w *watcher) loop(ctx context.Context) error {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.fs.Events:
			if !ok {
				return nil
			}
			if w.files[abs(ev.Name)] && !ev.Has(fsnotify.Chmod) {
				timer.Reset(w.o.Debounce)
			}
		case err, ok := <-w.fs.Errors:
			if !ok {
				return nil
			}
			fmt.Fprintf(w.o.Stderr, "watch: %v\n", err)
		case <-timer.C:
			if err := w.render(); err != nil {
				return err
			}
		}
	}
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
		if err := w.follow(page.Deps); err != nil {
			return err
		}
		if !slices.Equal(page.Doc.Warnings, w.warns) {
			for _, s := range page.Doc.Warnings {
				fmt.Fprintln(w.o.Stderr, "warning: "+s)
			}
			w.warns = page.Doc.Warnings
		}
		rep := report(page, w.o.Parse.Site, w.o.Baseline, w.o.Generator)
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

// abs is path made absolute and clean, or path when that fails.
func abs(path string) string {
	if a, err := filepath.Abs(path); err == nil {
		return a
	}
	return filepath.Clean(path)
}

package watch

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Files watches sets of files, each under a key (a page and the files it
// includes, keyed by the page), and reports which keys changed after each
// quiet spell. Files are watched through their folders, so that saves by
// rename are seen. It is safe for use from several goroutines.
type Files struct {
	fs       *fsnotify.Watcher
	debounce time.Duration
	errOut   io.Writer

	mu   sync.Mutex
	sets map[string]map[string]bool // key -> absolute paths
	dirs map[string]bool            // folders being watched
}

// NewFiles starts a watcher; debounce is the quiet time before changes are
// reported (0: DefaultDebounce). Watcher errors are written to errOut
// (nil discards them).
func NewFiles(debounce time.Duration, errOut io.Writer) (*Files, error) {
	if debounce <= 0 {
		debounce = DefaultDebounce
	}
	if errOut == nil {
		errOut = io.Discard
	}
	fs, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	return &Files{fs: fs, debounce: debounce, errOut: errOut, sets: map[string]map[string]bool{}, dirs: map[string]bool{}}, nil
}

// Set makes key's files key itself and files. The folder of key must be
// watchable; a folder of the others that is not is a warning on errOut.
func (f *Files) Set(key string, files []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	set := map[string]bool{Abs(key): true}
	for _, p := range files {
		set[Abs(p)] = true
	}
	old := f.sets[key]
	f.sets[key] = set
	if err := f.sync(); err != nil {
		if old == nil {
			delete(f.sets, key)
		} else {
			f.sets[key] = old
		}
		f.sync()
		return err
	}
	return nil
}

// Len is how many keys are watched.
func (f *Files) Len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.sets)
}

// Remove stops watching key's files.
func (f *Files) Remove(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.sets, key)
	f.sync()
}

// sync watches the folders of the files of every key, and no others.
func (f *Files) sync() error {
	want := map[string]bool{}
	required := map[string]bool{}
	for key, set := range f.sets {
		required[filepath.Dir(Abs(key))] = true
		for p := range set {
			want[filepath.Dir(p)] = true
		}
	}
	var err error
	for d := range want {
		if f.dirs[d] {
			continue
		}
		if aerr := f.fs.Add(d); aerr != nil {
			delete(want, d)
			if required[d] {
				err = fmt.Errorf("watch %s: %w", d, aerr)
				continue
			}
			fmt.Fprintf(f.errOut, "warning: cannot watch %s: %v\n", d, aerr)
		}
	}
	for d := range f.dirs {
		if !want[d] {
			f.fs.Remove(d)
		}
	}
	f.dirs = want
	return err
}

// keysOf returns the keys one of whose files is path.
func (f *Files) keysOf(path string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for key, set := range f.sets {
		if set[path] {
			out = append(out, key)
		}
	}
	return out
}

// Run waits for changes and calls changed with the keys whose files
// changed (sorted) after each quiet spell, until ctx is done, the watcher
// is closed, or changed returns an error, which Run returns.
func (f *Files) Run(ctx context.Context, changed func(keys []string) error) error {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	pending := map[string]bool{}
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-f.fs.Events:
			if !ok {
				return nil
			}
			if ev.Has(fsnotify.Chmod) && !ev.Has(fsnotify.Write) {
				continue
			}
			keys := f.keysOf(Abs(ev.Name))
			for _, k := range keys {
				pending[k] = true
			}
			if len(keys) > 0 {
				timer.Reset(f.debounce)
			}
		case err, ok := <-f.fs.Errors:
			if !ok {
				return nil
			}
			fmt.Fprintf(f.errOut, "watch: %v\n", err)
		case <-timer.C:
			keys := make([]string, 0, len(pending))
			for k := range pending {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			clear(pending)
			if err := changed(keys); err != nil {
				return err
			}
		}
	}
}

// Close stops watching; Run returns.
func (f *Files) Close() error { return f.fs.Close() }

// Abs is path made absolute and clean, or path cleaned when that fails.
func Abs(path string) string {
	if a, err := filepath.Abs(path); err == nil {
		return a
	}
	return filepath.Clean(path)
}

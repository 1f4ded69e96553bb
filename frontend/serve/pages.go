package serve

import (
	"os"
	"sync"
	"time"

	"github.com/docrun/docrun/markdown"
)

// pageState is one served page: its latest parse, made on first use and
// again when the page or a file it includes changes.
type pageState struct {
	rel, path string
	site      *markdown.Site // for the localised labels of its renders

	mu     sync.Mutex
	parsed bool
	page   *markdown.Page // the latest page that parsed
	err    error          // the latest parse error, nil once fixed

	// For the index, pages nobody opened are parsed without being
	// watched, again when their file's time or size changed.
	listMod  time.Time
	listSize int64
	listPage *markdown.Page
	listErr  error
}

// listed returns the page for the index: the watched parse of an opened
// page, or a parse made for the index alone. A page is watched (a folder
// watch each) only once a reader opens it, so that serving a large folder
// does not watch all of it.
func (p *pageState) listed(s *Server) (*markdown.Page, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.parsed {
		return p.page, p.err
	}
	fi, err := os.Stat(p.path)
	if err != nil {
		return nil, err
	}
	if p.listPage == nil && p.listErr == nil || !fi.ModTime().Equal(p.listMod) || fi.Size() != p.listSize {
		p.listMod, p.listSize = fi.ModTime(), fi.Size()
		p.listPage, p.listErr = s.o.Runner.Parse(p.path)
	}
	return p.listPage, p.listErr
}

// get returns the page's latest good parse and the error of the latest
// parse (the page is the previous good one while the file cannot be
// parsed; nil when it never could).
func (p *pageState) get(s *Server) (*markdown.Page, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.parsed {
		p.parse(s)
	}
	return p.page, p.err
}

// parse parses the page and watches it and its includes. Callers hold mu.
func (p *pageState) parse(s *Server) {
	p.parsed = true
	page, err := s.o.Runner.Parse(p.path)
	p.err = err
	var deps []string
	if err == nil {
		p.page = page
		deps = page.Deps
	} else if p.page != nil {
		deps = p.page.Deps
	}
	if werr := s.files.Set(p.path, deps); werr != nil {
		s.logf("%v", werr)
	}
}

// byPath returns the page whose file is path (absolute), or nil.
func (s *Server) byPath(path string) *pageState {
	for _, p := range s.pages {
		if p.path == path {
			return p
		}
	}
	return nil
}

// changed re-parses the pages whose files changed and tells their tabs.
func (s *Server) changed(paths []string) error {
	for _, path := range paths {
		p := s.byPath(path)
		if p == nil {
			continue
		}
		p.mu.Lock()
		p.parse(s)
		page, err := p.page, p.err
		p.mu.Unlock()
		if err != nil {
			s.logf("%v", err)
		}
		s.mu.Lock()
		var tabs []*tab
		for _, t := range s.tabs {
			if t.ps == p {
				tabs = append(tabs, t)
			}
		}
		s.mu.Unlock()
		for _, t := range tabs {
			t.pageChanged(page, err)
		}
	}
	return nil
}

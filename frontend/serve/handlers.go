package serve

import (
	"bytes"
	_ "embed"
	"fmt"
	stdhtml "html"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/docrun/docrun/render"
	"github.com/docrun/docrun/render/html"
	"github.com/docrun/docrun/runner"

	"github.com/docrun/docrun/result"
)

//go:embed docrun.js
var script []byte

// scriptPath is where the page's script is served; the version keeps a
// browser from using an old copy after an upgrade.
const scriptPath = "/static/docrun.js"

// Handler is the server's HTTP handler: every request goes through the
// checks of secure first.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.secure(w, r) {
			return
		}
		p := r.URL.Path
		get := r.Method == http.MethodGet || r.Method == http.MethodHead
		switch {
		case p == "/" && get:
			s.index(w, r)
		case strings.HasPrefix(p, "/page/") && get:
			s.page(w, r, strings.TrimPrefix(p, "/page/"))
		case p == "/events" && r.Method == http.MethodGet:
			s.events(w, r)
		case p == "/run" && r.Method == http.MethodPost:
			s.run(w, r)
		case p == "/reset" && r.Method == http.MethodPost:
			s.reset(w, r)
		case p == scriptPath && get:
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			w.Write(script)
		case p == "/" || p == "/run" || p == "/reset" || p == "/events" || strings.HasPrefix(p, "/page/"):
			http.Error(w, "docrun: method not allowed", http.StatusMethodNotAllowed)
		default:
			http.NotFound(w, r)
		}
	})
}

// pageURL is the address of a page's view, for a tab when id is set.
func pageURL(rel, id string) string {
	segs := strings.Split(rel, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	u := "/page/" + strings.Join(segs, "/")
	if id != "" {
		u += "?tab=" + url.QueryEscape(id)
	}
	return u
}

// index lists the pages: title, language, steps.
func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	ix := &html.Index{Title: "docrun serve", Generator: s.o.Generator, Now: time.Now()}
	if c := s.o.Runner.Cluster; c != nil {
		ix.Context = c.Context
	}
	for _, rel := range s.order {
		ps := s.pages[rel]
		page, err := ps.listed(s)
		e := html.IndexEntry{Title: rel, Path: rel, Href: pageURL(rel, "")}
		if page != nil {
			rep := &html.Report{Page: page}
			e.Title, e.Lang, e.Counts = rep.Title(), page.Doc.Lang, rep.Counts()
		}
		if err != nil {
			e.Error = err.Error()
		}
		ix.Entries = append(ix.Entries, e)
	}
	var b bytes.Buffer
	if err := html.RenderIndex(&b, ix); err != nil {
		http.Error(w, "docrun: "+err.Error(), http.StatusInternalServerError)
		return
	}
	writeHTML(w, b.Bytes())
}

func writeHTML(w http.ResponseWriter, data []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", LiveCSP+"; frame-ancestors 'none'")
	w.Write(data)
}

// page shows a page for a tab; without a (known) tab it makes one and
// redirects to its address. rel comes from the request's path, which
// net/http has already unescaped (unescaping it again would lose pages
// whose names have a "%").
func (s *Server) page(w http.ResponseWriter, r *http.Request, rel string) {
	ps := s.pages[rel]
	if ps == nil {
		http.NotFound(w, r)
		return
	}
	id := r.URL.Query().Get("tab")
	s.mu.Lock()
	t := s.tabs[id]
	s.mu.Unlock()
	if t == nil || t.ps != ps {
		t = s.newTab(ps)
		if t == nil {
			http.Error(w, "docrun: too many tabs open; close some or Reset them", http.StatusServiceUnavailable)
			return
		}
		http.Redirect(w, r, pageURL(rel, t.id), http.StatusSeeOther)
		return
	}
	t.touch()
	data, err := s.render(t)
	if err != nil {
		http.Error(w, "docrun: "+err.Error(), http.StatusInternalServerError)
		return
	}
	writeHTML(w, data)
}

// newTab makes a tab for a page, forgetting the longest unused tab
// without a session when there are too many; nil when all have one.
func (s *Server) newTab(ps *pageState) *tab {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	if len(s.tabs) >= MaxTabs {
		var oldest *tab
		for _, t := range s.tabs {
			if t.session() == nil && !t.isBusy() && (oldest == nil || t.lastUse().Before(oldest.lastUse())) {
				oldest = t
			}
		}
		if oldest == nil {
			return nil
		}
		delete(s.tabs, oldest.id)
	}
	t := newTab(s, ps)
	s.tabs[t.id] = t
	return t
}

// render renders a tab's page: the page its session runs with the
// outcomes so far, or the latest parse of the page, not run.
func (s *Server) render(t *tab) ([]byte, error) {
	page, perr := t.ps.get(s)
	sess := t.session()
	site := t.ps.site
	var rep *html.Report
	switch {
	case sess != nil:
		rep = render.FromResult(sess.Result(), sess.Page(), site)
	case page != nil:
		rep = render.FromResult(s.o.Runner.Plan(t.ps.path, page), page, site)
		// Not run yet: the plan's steps, without the run's context.
		rep.Result = &result.PageResult{Steps: rep.Result.Steps}
	default:
		return errorPage(t.ps.rel, "/events?tab="+url.QueryEscape(t.id), perr), nil
	}
	rep.Generator = s.o.Generator
	t.mu.Lock()
	running, status := t.running, t.statusLocked()
	t.mu.Unlock()
	c := &controls{Action: "/run", Reset: "/reset", Fields: [][2]string{{"tab", t.id}},
		Script: scriptPath, Events: "/events?tab=" + url.QueryEscape(t.id), Index: "/",
		Session: status, Run: running, Placeholders: s.placeholders(sess, rep)}
	if perr != nil {
		c.Error = "The page has an error; shown as it was before it:\n" + perr.Error()
	}
	rep.Controls = c
	var b bytes.Buffer
	if err := html.Render(&b, rep); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// placeholders are the fields of the steps' placeholders: the session's
// values (automatic or given), or those of --set before it starts; empty
// fields say what happens then.
func (s *Server) placeholders(sess *runner.PageSession, rep *html.Report) map[int][]result.Binding {
	binds := map[string]result.Binding{}
	if sess != nil {
		binds = sess.Bindings()
	} else {
		for k, v := range s.o.Runner.Opts.Set {
			binds[k] = result.Binding{Name: k, Value: v, Source: "set"}
		}
	}
	out := map[int][]result.Binding{}
	for pos, o := range rep.Result.Steps {
		names := o.Step.Placeholders
		if !o.Step.Hidden {
			// The placeholders of the files docrun writes for the step.
			for _, n := range rep.Document().FilePlaceholders(o.Step.Index) {
				if !slices.Contains(names, n) {
					names = append(slices.Clone(names), n)
				}
			}
		}
		for _, name := range names {
			b := result.Binding{Name: name, Value: binds[name].Value}
			if b.Value == "" {
				b.Source = "value needed"
				if sess == nil {
					b.Source = "empty: docrun's automatic value, if it has one"
				}
			}
			out[pos] = append(out[pos], b)
		}
	}
	return out
}

// errorPage is shown for a page that never parsed; its script reloads it
// when the file changes.
func errorPage(rel, events string, err error) []byte {
	return []byte(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>docrun serve: error in ` + stdhtml.EscapeString(rel) + `</title>
<meta name="docrun-events" content="` + stdhtml.EscapeString(events) + `">
<script src="` + scriptPath + `" defer></script>
<style>` + html.Stylesheet() + `</style>
</head><body><header class="report"><p class="crumb"><a href="/">docrun serve</a> · <span id="docrun-session">the page could not be parsed</span></p></header>
<main><h1>The page could not be parsed</h1>
<pre class="page-error" id="docrun-page-error">` + stdhtml.EscapeString(err.Error()) + `</pre>
<p>This page reloads when the file is fixed.</p></main></body></html>
`)
}

// tabOf returns the tab a request names, or writes an error.
func (s *Server) tabOf(w http.ResponseWriter, id string) *tab {
	s.mu.Lock()
	t := s.tabs[id]
	s.mu.Unlock()
	if t == nil {
		http.Error(w, "docrun: this tab's session is gone (the server restarted or the tab was closed): reload the page", http.StatusNotFound)
	}
	return t
}

// maxForm bounds a posted form: a step's edited code is in it.
const maxForm = 1 << 20

// formTab reads a posted form (maxForm at most) and returns the tab it
// names, or writes an error and returns nil.
func (s *Server) formTab(w http.ResponseWriter, r *http.Request) *tab {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "docrun: bad form", http.StatusBadRequest)
		return nil
	}
	return s.tabOf(w, r.PostForm.Get("tab"))
}

// events streams a tab's events: start, output and end of steps, the
// session's state, and reload when the page changed.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	t := s.tabOf(w, r.URL.Query().Get("tab"))
	if t == nil {
		return
	}
	f, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "docrun: streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	ch := t.subscribe()
	defer t.unsubscribe(ch)
	fmt.Fprintf(w, "retry: 1000\n\n")
	f.Flush()
	ping := time.NewTicker(15 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-ping.C:
			fmt.Fprintf(w, ": ping\n\n")
		case ev, ok := <-ch:
			if !ok {
				return
			}
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.name, ev.data)
		}
		f.Flush()
	}
}

// run runs a step, or the steps from it on. With the page's script
// (X-Docrun: fetch) it answers at once and the output comes as events;
// from a plain form it answers when the run ends, with a redirect back.
func (s *Server) run(w http.ResponseWriter, r *http.Request) {
	t := s.formTab(w, r)
	if t == nil {
		return
	}
	pos, err := strconv.Atoi(r.PostForm.Get("step"))
	do := r.PostForm.Get("do")
	if err != nil || pos < 0 || (do != "run" && do != "from" && do != "edited") {
		http.Error(w, "docrun: want step=N and do=run, do=from or do=edited (with code)", http.StatusBadRequest)
		return
	}
	q := runRequest{pos: pos, from: do == "from", set: map[string]string{}}
	if do == "edited" {
		q.code = strings.ReplaceAll(r.PostForm.Get("code"), "\r\n", "\n")
		if strings.TrimSpace(q.code) == "" {
			http.Error(w, "docrun: the edited code is empty", http.StatusBadRequest)
			return
		}
		if !strings.HasSuffix(q.code, "\n") {
			q.code += "\n"
		}
	}
	if n := t.steps(); pos >= n {
		http.Error(w, fmt.Sprintf("docrun: no step at position %d (the page has %d)", pos, n), http.StatusBadRequest)
		return
	}
	for k, v := range r.PostForm {
		if name, ok := strings.CutPrefix(k, "set."); ok && name != "" && len(v) > 0 {
			q.set[name] = strings.TrimSpace(v[0])
		}
	}
	if !t.start() {
		http.Error(w, "docrun: a step of this tab is running", http.StatusConflict)
		return
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		t.done()
		http.Error(w, "docrun: the server is stopping", http.StatusServiceUnavailable)
		return
	}
	s.wg.Add(1)
	s.mu.Unlock()
	if r.Header.Get("X-Docrun") == "fetch" {
		go func() {
			defer s.wg.Done()
			t.run(q)
		}()
		w.WriteHeader(http.StatusAccepted)
		return
	}
	t.run(q)
	s.wg.Done()
	http.Redirect(w, r, pageURL(t.ps.rel, t.id)+"#"+t.anchor(pos), http.StatusSeeOther)
}

// reset ends a tab's session; the next run starts a new one.
func (s *Server) reset(w http.ResponseWriter, r *http.Request) {
	t := s.formTab(w, r)
	if t == nil {
		return
	}
	t.end("session ended by Reset")
	t.touch()
	if r.Header.Get("X-Docrun") == "fetch" {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	http.Redirect(w, r, pageURL(t.ps.rel, t.id), http.StatusSeeOther)
}

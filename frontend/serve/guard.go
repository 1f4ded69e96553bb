package serve

import (
	"crypto/subtle"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// allowedHosts are the Host header values a request may carry: the
// listening address, and the loopback names when it listens on loopback or
// on every interface. Anything else is a DNS-rebinding attempt or a
// mistake.
func allowedHosts(a *net.TCPAddr, addr string) map[string]bool {
	port := strconv.Itoa(a.Port)
	hosts := map[string]bool{}
	add := func(h string) { hosts[hostKey(net.JoinHostPort(h, port))] = true }
	if a.IP.IsLoopback() || a.IP.IsUnspecified() {
		add("127.0.0.1")
		add("localhost")
		add("::1")
	}
	if !a.IP.IsUnspecified() {
		add(a.IP.String())
	} else {
		if h, err := os.Hostname(); err == nil {
			add(h)
		}
		if addrs, err := net.InterfaceAddrs(); err == nil {
			for _, ia := range addrs {
				if n, ok := ia.(*net.IPNet); ok {
					add(n.IP.String())
				}
			}
		}
	}
	if h, _, err := net.SplitHostPort(addr); err == nil && h != "" {
		add(h)
	}
	return hosts
}

// hostKey is a Host header value, or an origin's host, as allowedHosts
// keeps it: in lower case and with its port. A browser leaves out the
// scheme's default port (Host: 127.0.0.1 for http://127.0.0.1:80/), and
// the server speaks only http.
func hostKey(host string) string {
	host = strings.ToLower(host)
	h, port, err := net.SplitHostPort(host)
	if err != nil {
		// No port: "127.0.0.1", "localhost", "[::1]".
		h, port = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"), ""
	}
	if port == "" {
		port = "80"
	}
	return net.JoinHostPort(h, port)
}

// cookieName is the token's cookie; it names the port, since cookies are
// shared by all ports of a host.
func (s *Server) cookieName() string {
	return "docrun_" + strconv.Itoa(s.ln.Addr().(*net.TCPAddr).Port)
}

// authorized reports whether the request carries the token, in the query
// (the printed URL) or in the cookie.
func (s *Server) authorized(r *http.Request) (fromQuery, ok bool) {
	if q := r.URL.Query().Get("token"); q != "" {
		return true, s.tokenIs(q)
	}
	if c, err := r.Cookie(s.cookieName()); err == nil {
		return false, s.tokenIs(c.Value)
	}
	return false, false
}

func (s *Server) tokenIs(v string) bool {
	return subtle.ConstantTimeCompare([]byte(v), []byte(s.token)) == 1
}

// setCookie keeps the token for the next requests.
func (s *Server) setCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: s.token, Path: "/",
		HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: int((7 * 24 * time.Hour).Seconds())})
}

// sameOrigin reports whether a state-changing request comes from a page of
// this server: a browser says where a request comes from (Sec-Fetch-Site,
// Origin), and it must be here. A request with neither header is not from
// a browser (curl with the token) and is let through.
//
// net/http's CrossOriginProtection decides the same for Sec-Fetch-Site,
// but without it compares Origin's host with Host and nothing else: it
// lets an https origin and an origin with a path through, and refuses
// http://127.0.0.1:80 for Host 127.0.0.1 (TestOrigin, TestHostHeader).
func (s *Server) sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Scheme != "http" || u.Path != "" && u.Path != "/" {
		return false
	}
	return hostKey(u.Host) == hostKey(r.Host) && s.hosts[hostKey(u.Host)]
}

// cleanPath reports whether a URL path is one docrun could have made: no
// dot segments, no backslashes, no NUL, no empty segments.
func cleanPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return false
	}
	for _, seg := range strings.Split(p[1:], "/") {
		if seg == "." || seg == ".." {
			return false
		}
	}
	return !strings.Contains(p, "//")
}

// secure is the first handler of every request: headers that keep the
// pages out of frames and caches, then the Host, the token, the method and
// origin of state-changing requests, and the shape of the path.
func (s *Server) secure(w http.ResponseWriter, r *http.Request) bool {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
	if !s.hosts[hostKey(r.Host)] {
		http.Error(w, "docrun: this server does not answer for host "+strconv.Quote(r.Host), http.StatusForbidden)
		return false
	}
	fromQuery, ok := s.authorized(r)
	if !ok {
		http.Error(w, "docrun: a token is needed: open the URL docrun serve printed", http.StatusForbidden)
		return false
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodPost {
		http.Error(w, "docrun: method not allowed", http.StatusMethodNotAllowed)
		return false
	}
	if r.Method == http.MethodPost && !s.sameOrigin(r) {
		http.Error(w, "docrun: cross-origin request refused", http.StatusForbidden)
		return false
	}
	if !cleanPath(r.URL.Path) {
		http.NotFound(w, r)
		return false
	}
	if fromQuery {
		// Keep the token in the cookie, out of the address bar and history.
		s.setCookie(w)
		if r.Method == http.MethodGet {
			q := r.URL.Query()
			q.Del("token")
			u := *r.URL
			u.RawQuery = q.Encode()
			http.Redirect(w, r, u.RequestURI(), http.StatusSeeOther)
			return false
		}
	}
	return true
}

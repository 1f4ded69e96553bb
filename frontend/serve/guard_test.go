package serve

import (
	"net"
	"net/http/httptest"
	"testing"
)

// TestHostHeader checks which Host headers the server answers: a browser
// leaves out port 80, the default of http.
func TestHostHeader(t *testing.T) {
	cases := []struct {
		addr  string
		host  string
		allow bool
	}{
		{"127.0.0.1:80", "127.0.0.1", true},
		{"127.0.0.1:80", "127.0.0.1:80", true},
		{"127.0.0.1:80", "127.0.0.1:", true},
		{"127.0.0.1:80", "LOCALHOST", true},
		{"127.0.0.1:80", "[::1]", true},
		{"127.0.0.1:80", "127.0.0.1:8080", false},
		{"127.0.0.1:80", "evil.example", false},
		{"127.0.0.1:80", "evil.example:80", false},
		{"127.0.0.1:8080", "127.0.0.1:8080", true},
		{"127.0.0.1:8080", "localhost:8080", true},
		{"127.0.0.1:8080", "127.0.0.1", false},
		{"127.0.0.1:8080", "127.0.0.1:80", false},
		{"[::1]:80", "[::1]", true},
		{"[::1]:80", "[::1]:80", true},
		{"[::1]:8080", "[::1]", false},
	}
	for _, c := range cases {
		a, err := net.ResolveTCPAddr("tcp", c.addr)
		if err != nil {
			t.Fatal(err)
		}
		s := &Server{hosts: allowedHosts(a, c.addr)}
		if got := s.hosts[hostKey(c.host)]; got != c.allow {
			t.Errorf("listening on %s, Host %q: allowed %v, want %v", c.addr, c.host, got, c.allow)
		}
		// A browser's POST from the page: Origin names the same host.
		req := httptest.NewRequest("POST", "/run", nil)
		req.Host = c.host
		req.Header.Set("Origin", "http://"+c.host)
		if got := s.sameOrigin(req); got != c.allow {
			t.Errorf("listening on %s, Origin and Host %q: same origin %v, want %v", c.addr, c.host, got, c.allow)
		}
	}
	s := &Server{hosts: allowedHosts(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 80}, "127.0.0.1:80")}
	req := httptest.NewRequest("POST", "/run", nil)
	req.Host = "127.0.0.1"
	for origin, want := range map[string]bool{"http://127.0.0.1:80": true, "http://127.0.0.1": true, "http://localhost": false, "https://127.0.0.1": false} {
		req.Header.Set("Origin", origin)
		if got := s.sameOrigin(req); got != want {
			t.Errorf("Host 127.0.0.1, Origin %s: same origin %v, want %v", origin, got, want)
		}
	}
}

package markdown

import (
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/docrun/docrun/markdown/shell"
)

// hostsLine is a line of /etc/hosts: an address, then one or more names.
var hostsLine = regexp.MustCompile(`^\s*([0-9A-Fa-f.:]+)\s+([A-Za-z0-9][A-Za-z0-9.-]*(?:\s+[A-Za-z0-9][A-Za-z0-9.-]*)*)\s*(?:#.*)?$`)

// hostsEntries returns the names a block maps to addresses when every
// line of it (comments and blank lines aside) is a line of /etc/hosts
// ("172.17.0.15 hello-world.info"), or nil. Each line must name a host
// with a domain (a dot), so that an address followed by words is not
// read as one.
func hostsEntries(code string) []string {
	var names []string
	for _, l := range strings.Split(code, "\n") {
		if t := strings.TrimSpace(l); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		m := hostsLine.FindStringSubmatch(l)
		if m == nil {
			return nil
		}
		if _, err := netip.ParseAddr(m[1]); err != nil {
			return nil
		}
		fields := strings.Fields(m[2])
		if !slices.ContainsFunc(fields, func(n string) bool { return strings.Contains(n, ".") }) {
			return nil
		}
		for _, n := range fields {
			if n != "localhost" {
				names = append(names, strings.ToLower(n))
			}
		}
	}
	return names
}

// markHostsNames reads the blocks a page has the reader add to
// /etc/hosts: such a block is text, not a command, and a later command
// that fetches a URL of one of its names (curl hello-world.info) is not
// runnable: docrun never changes this machine's /etc/hosts, so the name
// does not lead where the page points it.
func markHostsNames(doc *Document) {
	mapped := map[string]int{} // name → line of the block
	for i := range doc.Steps {
		st := &doc.Steps[i]
		if st.Kind == KindManifest || st.Kind == KindGo || st.Kind == KindClient {
			continue
		}
		if names := hostsEntries(st.Code); names != nil {
			if st.Kind == KindCommand {
				st.Expected, st.Fails = nil, nil
			}
			st.Kind, st.Runnable, st.Reason = KindText, false, "lines for /etc/hosts, not commands"
			for _, n := range names {
				mapped[n] = st.Line
			}
			continue
		}
		if st.Kind != KindCommand || !st.Runnable || len(mapped) == 0 {
			continue
		}
		if name, line, ok := fetchesMapped(st.Code, mapped); ok {
			st.Runnable = false
			st.Reason = fmt.Sprintf("needs the name %s in this machine's /etc/hosts, which the page has the reader add at line %d: docrun does not change /etc/hosts", name, line)
		}
	}
}

// fetchesMapped returns the first mapped name that a curl or wget call of
// the code fetches from, unless the call resolves it itself (curl
// --resolve).
func fetchesMapped(code string, mapped map[string]int) (string, int, bool) {
	for _, c := range shell.Parse(code).Calls {
		prog, args := c.Program()
		if prog != "curl" && prog != "wget" {
			continue
		}
		resolves := false
		for _, a := range args {
			resolves = resolves || a == "--resolve" || strings.HasPrefix(a, "--resolve=") || a == "--connect-to"
		}
		if resolves {
			continue
		}
		for _, a := range args {
			if strings.HasPrefix(a, "-") {
				continue
			}
			if line, ok := mapped[fetchHost(a)]; ok {
				return fetchHost(a), line, true
			}
		}
	}
	return "", 0, false
}

// fetchHost returns the host name of a URL as curl and wget read it,
// with or without a scheme (http://name:8080/path, name/path), in lower
// case; "" for other words.
func fetchHost(w string) string {
	w = strings.Trim(w, `"'`)
	if !strings.Contains(w, "://") {
		w = "http://" + w
	}
	u, err := url.Parse(w)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

package runner

import (
	"fmt"
	"slices"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/markdown/shell"
)

// unlistened is a server a skipped step would have started on this
// machine's ports.
type unlistened struct {
	step  int
	ports []int
	lack  *lack
}

// noListener records the local ports of a server (kubectl port-forward or
// proxy, in the background or in the foreground) whose step is skipped for
// a lack of the cluster: the steps that connect to them follow it.
func (pr *pageRun) noListener(step int, code string, l *lack) {
	var ports []int
	for _, c := range shell.Parse(code).Calls {
		ports = append(ports, serverPorts(c)...)
	}
	if len(ports) > 0 {
		pr.unlistened = append(pr.unlistened, unlistened{step: step, ports: ports, lack: l})
	}
}

// unlistenedPort returns why a command step cannot run: it connects to a
// local port only a skipped step's server would listen on ("curl
// localhost:8080" after a port-forward the cluster cannot do), or "". A
// step that starts a server on such a port itself ends the follow-ups.
func (pr *pageRun) unlistenedPort(s *markdown.Step, code string) string {
	if s.Kind != markdown.KindCommand || len(pr.unlistened) == 0 {
		return ""
	}
	listens := listenerPorts(code)
	kept := pr.unlistened[:0]
	why := ""
	for _, u := range pr.unlistened {
		for _, p := range u.ports {
			if why == "" && connectsTo(code, p) {
				why = fmt.Sprintf("follows step %d: its server on port %d did not start: %s", u.step, p, u.lack.why)
			}
		}
		if !slices.ContainsFunc(u.ports, func(p int) bool { return slices.Contains(listens, p) }) {
			kept = append(kept, u)
		}
	}
	pr.unlistened = kept
	return why
}

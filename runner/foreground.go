package runner

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/markdown/shell"
	"github.com/docrun/docrun/runner/session"

	"github.com/docrun/docrun/result"
)

// backgroundNote is the note of a step that runs a server in the
// foreground (kubectl proxy, kubectl port-forward, python3 -m http.server)
// which docrun runs in the background because a later step talks to it, as
// a reader leaves it running in one terminal and types on in another.
const backgroundNote = "run in the background: later steps use it"

// served is a server docrun put in the background: the step that started
// it, its process id in the page's shell and the ports it listens on.
type served struct {
	step  int
	pid   string
	ports []int
}

// foregroundServer returns the code of a step that starts a server in the
// foreground with that server in the background, and the note that says
// so, when a later step of the page connects to one of its ports
// (localhost:PORT, 127.0.0.1:PORT). Otherwise it returns the code as it
// is and "": the step stays interactive.
func (pr *pageRun) foregroundServer(st *result.StepResult, code string) (string, string) {
	if st.Kind != markdown.KindCommand || st.Target != nil || !st.Interactive {
		return code, ""
	}
	sc := shell.Parse(code)
	for _, c := range sc.Calls {
		if c.Background || c.Substituted {
			continue
		}
		ports := serverPorts(c)
		if len(ports) == 0 {
			continue
		}
		user, port := pr.laterUser(st, ports)
		if user == nil {
			continue
		}
		bg, ok := sc.InBackground(c.Start)
		if !ok {
			continue
		}
		return bg, fmt.Sprintf("%s (step %d connects to port %d)", backgroundNote, user.Index, port)
	}
	return code, ""
}

// laterUser returns the first step after st whose code connects to one of
// the ports on this machine, and the port.
func (pr *pageRun) laterUser(st *result.StepResult, ports []int) (*result.StepResult, int) {
	after := false
	for _, o := range pr.res.Steps {
		if o == st {
			after = true
			continue
		}
		if !after || o.Kind == markdown.KindText || o.Kind == markdown.KindManifest || o.Target != nil {
			continue
		}
		for _, p := range ports {
			if connectsTo(o.Code, p) {
				return o, p
			}
		}
	}
	return nil, 0
}

// connectsTo reports whether code names a loopback address with the port
// (localhost:8080, http://127.0.0.1:8080/api).
func connectsTo(code string, port int) bool {
	re := regexp.MustCompile(`(?:\blocalhost|\b127\.0\.0\.1|\[::1\]|\b0\.0\.0\.0):` + strconv.Itoa(port) + `\b`)
	return re.MatchString(code)
}

// serving records the server a step put in the background (its note says
// so), once it listens: the shell's $! is its process.
func (pr *pageRun) serving(ctx context.Context, st *result.StepResult, code string) {
	if !strings.HasPrefix(st.Note, backgroundNote) || st.Status != result.Passed || pr.sess == nil {
		return
	}
	res, err := pr.sess.Run(ctx, `builtin printf '%s' "$!"`, 10*time.Second, session.Output{})
	if err != nil || res.ExitCode != 0 {
		return
	}
	if _, err := strconv.Atoi(res.Stdout); err != nil {
		return
	}
	pr.servers = append(pr.servers, served{step: st.Index, pid: res.Stdout, ports: listenerPorts(code)})
}

// stopServers ends the servers docrun put in the background that hold a
// port the code is about to listen on: the reader stops a server (Ctrl-C)
// before starting it again. The others end with the page.
func (pr *pageRun) stopServers(ctx context.Context, code string) {
	want := listenerPorts(code)
	if len(want) == 0 || pr.sess == nil {
		return
	}
	kept := pr.servers[:0]
	for _, s := range pr.servers {
		if !overlaps(s.ports, want) {
			kept = append(kept, s)
			continue
		}
		// TERM, then KILL if it is still there after 2 s; wait collects it
		// so that bash reports nothing and the port is free.
		stop := fmt.Sprintf(`builtin kill %[1]s 2>/dev/null; for _ in 1 2 3 4 5 6 7 8 9 10; do builtin kill -0 %[1]s 2>/dev/null || break; sleep 0.2; done; builtin kill -9 %[1]s 2>/dev/null; builtin wait %[1]s 2>/dev/null; true`, s.pid)
		pr.sess.Run(ctx, stop, 10*time.Second, session.Output{})
	}
	pr.servers = kept
}

func overlaps(a, b []int) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

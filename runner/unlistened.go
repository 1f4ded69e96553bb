package runner

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/markdown/shell"
	"github.com/docrun/docrun/result"
	"github.com/docrun/docrun/runner/session"
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

// unlistenedBySkip records the local ports of a server (an ssh tunnel,
// kubectl proxy or port-forward) whose step is skipped for any other
// reason (it changes this machine, needs a program): the steps that
// connect to them follow it as well.
func (pr *pageRun) unlistenedBySkip(st *result.StepResult) {
	if slices.ContainsFunc(pr.unlistened, func(u unlistened) bool { return u.step == st.Index }) {
		return
	}
	pr.noListener(st.Index, st.Code, &lack{why: st.SkipReason})
}

// proxyVars are the variables that send a program's requests through a
// proxy (Go's, curl's, wget's).
var proxyVars = []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"}

// proxiedToUnlistened returns why a command step that sends requests
// (kubectl, curl, wget) cannot run, or "": the page's shell has a proxy
// variable (export HTTPS_PROXY=socks5://localhost:1080) set to a local
// port only a skipped step's server (ssh -D 1080) would listen on. A
// reader without that server gets no answer; docrun's kubectl, whose API
// server may be on this machine, would bypass the proxy and pass where
// the page's reader would not.
func (pr *pageRun) proxiedToUnlistened(ctx context.Context, st *result.StepResult, code string) string {
	if len(pr.unlistened) == 0 || st.Kind != markdown.KindCommand || st.Target != nil || pr.sess == nil || pr.ended >= 0 {
		return ""
	}
	sends := false
	for _, c := range shell.Parse(code).Calls {
		if prog, _ := c.Program(); prog == "kubectl" || prog == "curl" || prog == "wget" {
			sends = true
		}
	}
	if !sends {
		return ""
	}
	query := "builtin printf '%s\\n'"
	for _, v := range proxyVars {
		query += ` "${` + v + `-}"`
	}
	res, err := pr.sess.Run(ctx, query, 10*time.Second, session.Output{})
	if err != nil || res.Ended || res.ExitCode != 0 {
		return ""
	}
	for i, val := range strings.Split(strings.TrimSuffix(res.Stdout, "\n"), "\n") {
		for _, u := range pr.unlistened {
			for _, p := range u.ports {
				if i < len(proxyVars) && connectsTo(val, p) {
					return fmt.Sprintf("follows step %d: its server on port %d did not start: %s; %s sends this step's requests to it",
						u.step, p, u.lack.why, proxyVars[i])
				}
			}
		}
	}
	return ""
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
	sets := onlySets(code)
	for _, u := range pr.unlistened {
		for _, p := range u.ports {
			if why == "" && !sets && connectsTo(code, p) {
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

// onlySets reports whether code only sets variables (export
// HTTPS_PROXY=socks5://localhost:1080): it runs no program, so it
// connects to nothing. (The parser reads export and declare as
// declarations, not calls; read line by line they are calls.)
func onlySets(code string) bool {
	for _, c := range shell.Parse(code).Calls {
		switch prog, _ := c.Program(); prog {
		case "", "export", "declare", "typeset", "readonly", "local":
		default:
			return false
		}
	}
	return strings.TrimSpace(code) != ""
}

package runner

import (
	"context"
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"

	"github.com/docrun/docrun/result"
)

// listenerPorts finds the local ports a background command will listen
// on: kubectl proxy (--port/-p, default 8001), kubectl port-forward
// (LOCAL:REMOTE or PORT arguments after the resource) and python's
// http.server (default 8000).
func listenerPorts(code string) []int {
	var ports []int
	for _, c := range shell.Parse(code).Calls {
		if c.Background {
			ports = append(ports, serverPorts(c)...)
		}
	}
	return ports
}

// serverPorts returns the local ports a call serves on until it is
// stopped: kubectl proxy or port-forward, or python's http.server; none
// for any other call.
func serverPorts(c shell.Call) []int {
	prog, args := c.Program()
	if prog == "kubectl" {
		return kubectlListens(args)
	}
	if prog == "ssh" {
		return sshListens(args)
	}
	if p, ok := shell.PythonServerPort(prog, args); ok {
		if n, err := strconv.Atoi(p); err == nil && n > 0 && n < 65536 {
			return []int{n}
		}
	}
	return nil
}

// kubectlListens returns the local ports of kubectl proxy (--port,
// default 8001) or port-forward (LOCAL:REMOTE or PORT after the resource)
// arguments, read with kubectl's command tree.
func kubectlListens(args []string) []int {
	inv, _ := kubectl.Parse(args)
	switch inv.Command() {
	case "proxy":
		port := 8001
		if v, ok := inv.Value("port"); ok {
			if n, err := strconv.Atoi(v); err == nil {
				port = n
			}
		}
		if port > 0 {
			return []int{port}
		}
	case "port-forward":
		var ports []int
		for i, a := range inv.Args {
			if i == 0 {
				continue // the pod, deployment/x or service/x
			}
			local, _, _ := strings.Cut(a, ":")
			if n, err := strconv.Atoi(local); err == nil && n > 0 && n < 65536 {
				ports = append(ports, n)
			}
		}
		return ports
	}
	return nil
}

// sshListens returns the local ports of an ssh tunnel: a SOCKS proxy
// (-D [ADDRESS:]PORT) or a forward (-L [ADDRESS:]PORT:HOST:HOSTPORT),
// the option's value joined to it or the next word.
func sshListens(args []string) []int {
	var ports []int
	for i := 0; i < len(args); i++ {
		a := args[i]
		if len(a) < 2 || (a[:2] != "-D" && a[:2] != "-L") {
			continue
		}
		opt, v := a[:2], a[2:]
		if v == "" && i+1 < len(args) {
			i++
			v = args[i]
		}
		parts := strings.Split(v, ":")
		p := parts[0]
		if opt == "-D" && len(parts) == 2 || opt == "-L" && len(parts) == 4 {
			p = parts[1]
		}
		if n, err := strconv.Atoi(p); err == nil && n > 0 && n < 65536 {
			ports = append(ports, n)
		}
	}
	return ports
}

// localURL matches an address on this machine's loopback: what a page's
// curl or browser reaches through its own kubectl proxy or port-forward.
var localURL = regexp.MustCompile(`\b(?:localhost|127\.0\.0\.1)(?::\d+|/|\b)`)

// usesLocalPorts reports whether a page listens on or connects to ports of
// this machine: a background kubectl proxy or port-forward, or a command
// that names localhost. Pages run in parallel share the machine's ports,
// so such pages run one at a time: a page's curl must reach its own proxy,
// not another page's, and two proxies must not want the same port.
func usesLocalPorts(steps []*result.StepResult) bool {
	for _, st := range steps {
		if st.Kind != markdown.KindCommand {
			continue
		}
		if len(listenerPorts(st.Code)) > 0 || localURL.MatchString(st.Code) {
			return true
		}
	}
	return false
}

// waitListening waits, after a step that passed and left a server in the
// background (its own & or docrun's, see foregroundServer), until the
// server's ports accept connections, at most 15 s; the step fails when one
// does not. Without a known port it gives the job a moment to start.
func (pr *pageRun) waitListening(ctx context.Context, st *result.StepResult, code string) {
	if st.Status != result.Passed || !(st.Background || strings.HasPrefix(st.Note, backgroundNote)) {
		return
	}
	ports := listenerPorts(code)
	if len(ports) == 0 {
		time.Sleep(300 * time.Millisecond)
		return
	}
	if missing := waitPorts(ctx, ports, 15*time.Second); len(missing) > 0 {
		st.Status = result.Failed
		st.Stderr += fmt.Sprintf("\ndocrun: the background command did not listen on port %d within 15s\n", missing[0])
	}
}

// waitPorts waits until each port accepts connections on loopback, at
// most timeout in all. It returns the ports that never did.
func waitPorts(ctx context.Context, ports []int, timeout time.Duration) []int {
	deadline := time.Now().Add(timeout)
	var missing []int
	for _, p := range ports {
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(p))
		for {
			c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
			if err == nil {
				c.Close()
				break
			}
			if time.Now().After(deadline) || ctx.Err() != nil {
				missing = append(missing, p)
				break
			}
			time.Sleep(25 * time.Millisecond)
		}
	}
	return missing
}

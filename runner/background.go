package runner

import (
	"context"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/docrun/docrun/markdown/shell"
)

// listenerPorts finds the local ports a background command will listen
// on: kubectl proxy (--port/-p, default 8001) and kubectl port-forward
// (LOCAL:REMOTE or PORT arguments after the resource).
func listenerPorts(code string) []int {
	var ports []int
	for _, c := range shell.Parse(code).Calls {
		prog, args := c.Program()
		if !c.Background || prog != "kubectl" {
			continue
		}
		ports = append(ports, kubectlListens(args)...)
	}
	return ports
}

// kubectlListens returns the local ports of kubectl proxy or port-forward
// arguments.
func kubectlListens(args []string) []int {
	sub := -1
	for i := 0; i < len(args); i++ {
		if !strings.HasPrefix(args[i], "-") {
			sub = i
			break
		}
		if globalWithValue[args[i]] {
			i++
		}
	}
	if sub < 0 {
		return nil
	}
	rest := args[sub+1:]
	switch args[sub] {
	case "proxy":
		port := 8001
		for i, a := range rest {
			v, ok := "", false
			switch {
			case (a == "--port" || a == "-p") && i+1 < len(rest):
				v, ok = rest[i+1], true
			case strings.HasPrefix(a, "--port="), strings.HasPrefix(a, "-p="):
				_, v, ok = strings.Cut(a, "=")
			case strings.HasPrefix(a, "-p") && len(a) > 2:
				v, ok = a[2:], true
			}
			if ok {
				if n, err := strconv.Atoi(v); err == nil {
					port = n
				}
			}
		}
		if port > 0 {
			return []int{port}
		}
	case "port-forward":
		var ports []int
		positional := 0
		for i := 0; i < len(rest); i++ {
			a := rest[i]
			if strings.HasPrefix(a, "-") {
				if !strings.Contains(a, "=") && (a == "-n" || a == "--namespace" || a == "--address" || a == "--pod-running-timeout" || a == "--context" || a == "--kubeconfig") {
					i++
				}
				continue
			}
			positional++
			if positional == 1 {
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

// globalWithValue are kubectl's global flags that take a separate value,
// which can come before the subcommand (kubectl -n ns proxy).
var globalWithValue = map[string]bool{"-n": true, "--namespace": true, "--context": true, "--kubeconfig": true,
	"--cluster": true, "--user": true, "-s": true, "--server": true, "--token": true, "--as": true, "-v": true}

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

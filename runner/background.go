package runner

import (
	"context"
	"net"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	proxyPort   = regexp.MustCompile(`(?:--port[= ]|-p[= ]?)(\d+)`)
	forwardPort = regexp.MustCompile(`\s(?:(\d+):)?(\d+)(?:\s|$|&)`)
)

// listenerPorts finds the local ports a background command will listen
// on: kubectl proxy (--port, default 8001) and kubectl port-forward
// (LOCAL:REMOTE or PORT).
func listenerPorts(code string) []int {
	var ports []int
	for _, line := range strings.Split(code, "\n") {
		t := strings.TrimSpace(line)
		if !strings.HasSuffix(t, "&") || strings.HasSuffix(t, "&&") {
			continue
		}
		switch {
		case strings.Contains(t, "kubectl proxy"):
			port := 8001
			if m := proxyPort.FindStringSubmatch(t); m != nil {
				port, _ = strconv.Atoi(m[1])
			}
			if port > 0 {
				ports = append(ports, port)
			}
		case strings.Contains(t, "kubectl port-forward"):
			args := t[strings.Index(t, "port-forward")+len("port-forward"):]
			for _, m := range forwardPort.FindAllStringSubmatch(args+" ", -1) {
				p := m[1]
				if p == "" {
					p = m[2]
				}
				if n, err := strconv.Atoi(p); err == nil && n > 0 && n < 65536 {
					ports = append(ports, n)
				}
			}
		}
	}
	return ports
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

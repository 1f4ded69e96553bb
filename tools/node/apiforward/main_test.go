package main

import (
	"bufio"
	"net"
	"strings"
	"testing"
)

// TestForward copies a connection both ways to a loopback server, and
// refuses addresses that would lead out of the machine.
func TestForward(t *testing.T) {
	up, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close()
	go func() {
		c, err := up.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		line, _ := bufio.NewReader(c).ReadString('\n')
		c.Write([]byte("echo " + line))
	}()
	ln, err := setup("127.0.0.1:0", up.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go serve(ln, up.Addr().String())
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("hello\n"))
	got, _ := bufio.NewReader(c).ReadString('\n')
	if got != "echo hello\n" {
		t.Errorf("got %q", got)
	}
	for _, tc := range []struct{ listen, to, want string }{
		{"8.8.8.8:6443", "127.0.0.1:1", "-listen"},
		{"0.0.0.0:6443", "127.0.0.1:1", "-listen"},
		{"127.0.0.1:0", "10.0.0.1:443", "-to"},
		{"127.0.0.1", "127.0.0.1:1", "-listen"},
	} {
		if _, err := setup(tc.listen, tc.to); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("setup(%s, %s) = %v, want an error of %s", tc.listen, tc.to, err, tc.want)
		}
	}
}

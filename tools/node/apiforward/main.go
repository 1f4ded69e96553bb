// Command docrun-apiforward gives the real node's Pods a way to the API
// server, which listens on 127.0.0.1 only (the kubernetes Service's
// endpoint is that address, which a Pod cannot reach): it listens on the
// node's bridge address and copies each connection to the API server,
// bytes only (TLS stays end to end: clients check the server's
// certificate for kubernetes.default.svc).
//
//	docrun-apiforward -listen 10.244.0.1:6443 -to 127.0.0.1:32764
//
// It refuses to listen on an address that is not private or loopback, and
// to forward to one that is not loopback: it is no way out of the machine.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

func main() {
	listen := flag.String("listen", "", "the address to listen on (the node's bridge address and a port)")
	to := flag.String("to", "", "the API server's loopback address")
	flag.Parse()
	ln, err := setup(*listen, *to)
	if err != nil {
		fmt.Fprintf(os.Stderr, "docrun-apiforward: %v\n", err)
		os.Exit(1)
	}
	log.Printf("forwarding %s to %s", ln.Addr(), *to)
	go serve(ln, *to)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	ln.Close()
}

// setup checks the addresses and listens.
func setup(listen, to string) (net.Listener, error) {
	if err := checkIP(listen, func(ip net.IP) bool { return ip.IsPrivate() || ip.IsLoopback() }, "a private or loopback"); err != nil {
		return nil, fmt.Errorf("-listen: %v", err)
	}
	if err := checkIP(to, net.IP.IsLoopback, "a loopback"); err != nil {
		return nil, fmt.Errorf("-to: %v", err)
	}
	return net.Listen("tcp", listen)
}

func checkIP(addr string, ok func(net.IP) bool, what string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q: %v", addr, err)
	}
	ip := net.ParseIP(host)
	if ip == nil || !ok(ip) {
		return fmt.Errorf("%s: want %s address", addr, what)
	}
	return nil
}

// serve copies each accepted connection to the address to, until ln is
// closed.
func serve(ln net.Listener, to string) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go forward(c, to)
	}
}

func forward(c net.Conn, to string) {
	defer c.Close()
	up, err := net.Dial("tcp", to)
	if err != nil {
		log.Printf("%s: %v", c.RemoteAddr(), err)
		return
	}
	defer up.Close()
	var wg sync.WaitGroup
	wg.Add(2)
	pipe := func(dst, src net.Conn) {
		defer wg.Done()
		io.Copy(dst, src)
		if tc, ok := dst.(*net.TCPConn); ok {
			tc.CloseWrite()
		}
	}
	go pipe(up, c)
	go pipe(c, up)
	wg.Wait()
}

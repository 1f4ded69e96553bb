// Command coredns is the local cluster's DNS server: CoreDNS with only the
// plugins a cluster.local zone without upstream needs. Names outside the
// cluster are answered by the template plugin (NXDOMAIN); there is no forward
// plugin, so nothing is ever sent to the machine's resolver.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/ready"
	_ "github.com/coredns/coredns/plugin/template"
)

func init() {
	// The order in which the plugins run, as in CoreDNS's own plugin.cfg.
	dnsserver.Directives = []string{
		"bind", "ready", "health", "errors", "log", "loadbalance", "cache",
		"template", "kubernetes",
	}
}

func main() {
	coremain.Run()
}

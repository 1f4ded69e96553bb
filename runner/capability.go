package runner

import (
	"fmt"
	"strings"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
	"github.com/docrun/docrun/runner/cluster"

	"github.com/docrun/docrun/result"
)

// simulatedReason says why a step that needs a container does not run on a
// cluster whose nodes are simulated.
const simulatedReason = "the cluster's nodes are simulated (kwok): no container runs"

// lack is a capability a step needs and the cluster lacks: what, and the
// reason the step is skipped with.
type lack struct{ what, why string }

// containersLack is the lack of a step that needs a running container.
func containersLack(detail string) *lack {
	return &lack{"running containers", simulatedReason + ": " + detail}
}

// caps returns the capabilities of the run's cluster, or nil (dry run).
func (pr *pageRun) caps() *cluster.Capabilities {
	if pr.r.Cluster == nil {
		return nil
	}
	return pr.r.Cluster.Capabilities
}

// clusterLack returns what a step about to run as code needs from the
// cluster that it lacks, or nil. Rules read the code as it will run
// (kubectl's own command tree) and the manifests it applies.
func (pr *pageRun) clusterLack(st *result.StepResult, code string) *lack {
	c := pr.caps()
	if c == nil {
		return nil
	}
	if l := pr.serverTooOld(); l != nil {
		return l
	}
	if st.Kind != markdown.KindCommand {
		return nil
	}
	inContainer := st.Target != nil && st.Target.Kind == "container"
	if inContainer && c.DNS == "" {
		// the code typed into the container, not the kubectl exec around it
		if l := dnsLack(shell.Parse(st.Code).Calls, true); l != nil {
			return l
		}
	}
	return commandLack(c, shell.Parse(code))
}

// serverTooOld is the lack of a page whose front matter asks for a newer
// server than the cluster's.
func (pr *pageRun) serverTooOld() *lack {
	want := pr.res.Front.MinKubernetesServerVersion
	if want == "" || pr.r.Cluster == nil {
		return nil
	}
	return versionLack(pr.r.Cluster.Version, want)
}

// versionLack compares the server's version with a page's
// min-kubernetes-server-version; nil when either does not parse or the
// server is new enough.
func versionLack(server, want string) *lack {
	w, err := markdown.ParseVersion(want)
	if err != nil {
		return nil
	}
	s, err := markdown.ParseVersion(server)
	if err != nil {
		return nil
	}
	if s.Major > w.Major || s.Major == w.Major && (s.Minor > w.Minor || s.Minor == w.Minor && s.Patch >= w.Patch) {
		return nil
	}
	return &lack{"a newer server", fmt.Sprintf("server %s is below the page's min-kubernetes-server-version v%s",
		server, strings.TrimPrefix(want, "v"))}
}

// dnsPrograms look names up; in a container they need the cluster's DNS.
var dnsPrograms = map[string]bool{"nslookup": true, "dig": true, "host": true}

// dnsReason is the reason of a step that looks up the cluster's names on a
// cluster without DNS.
const dnsReason = "no cluster DNS (no kube-dns or CoreDNS Service in kube-system): "

// dnsLack finds a name lookup (nslookup, dig, host) among calls made in a
// container: the calls of code typed into one (inContainer), or the
// command of kubectl exec or run.
func dnsLack(calls []shell.Call, inContainer bool) *lack {
	for _, call := range calls {
		prog, _ := call.Program()
		if inv, ok := kubectl.ReadCall(call); ok && !inContainer {
			if cmd := inv.Command(); (cmd == "exec" || cmd == "run") && len(inv.Dash) > 0 && dnsPrograms[inv.Dash[0]] {
				return &lack{"cluster DNS", dnsReason + inv.Dash[0] + " in the container cannot resolve the cluster's names"}
			}
		}
		if dnsPrograms[prog] && inContainer {
			return &lack{"cluster DNS", dnsReason + prog + " cannot resolve the cluster's names"}
		}
	}
	return nil
}

// commandLack applies the rules that read a command as it will run in the
// page's shell: containers, metrics, nodes to drain to, DNS.
func commandLack(c *cluster.Capabilities, sc *shell.Script) *lack {
	if !c.Containers {
		if cmd, ok := markdown.NeedsContainer(sc.Code); ok {
			return containersLack(cmd + " needs a running container")
		}
	}
	if c.DNS == "" {
		if l := dnsLack(sc.Calls, false); l != nil {
			return l
		}
	}
	for _, inv := range kubectl.Calls(sc) {
		switch cmd := inv.Command(); {
		case strings.HasPrefix(cmd, "top") && !c.Metrics:
			return &lack{"metrics-server", "no metrics-server: kubectl top has no data (the metrics.k8s.io API is not available)"}
		case cmd == "drain" && c.SchedulableNodes >= 0 && c.SchedulableNodes < 2:
			return &lack{"a second schedulable node", fmt.Sprintf("the cluster has %d schedulable node(s): kubectl drain leaves its Pods nowhere to go", c.SchedulableNodes)}
		}
	}
	return nil
}

// recordLack adds a step skipped for a capability to the page's list.
func (pr *pageRun) recordLack(l *lack, step int) {
	for i := range pr.res.Missing {
		if m := &pr.res.Missing[i]; m.What == l.what {
			if step >= 0 {
				m.Steps = append(m.Steps, step)
			}
			return
		}
	}
	m := result.Lack{What: l.what, Reason: l.why, Steps: []int{}}
	if l.what == "running containers" {
		m.Reason = simulatedReason // the same for every step
	}
	if step >= 0 {
		m.Steps = append(m.Steps, step)
	}
	pr.res.Missing = append(pr.res.Missing, m)
}

package runner

import (
	"strings"

	"k8s.io/client-go/tools/clientcmd"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
	"github.com/docrun/docrun/result"
)

// missingContext returns why a command step cannot run against this
// cluster: a kubectl command of it names a kubeconfig context (--context
// NAME, config use-context NAME) that the page's kubeconfig does not have,
// or "". Such a context is a cluster of the page's own making (kind create
// cluster, minikube start) that a step skipped here would have made; the
// command would fail with "context … does not exist".
func (pr *pageRun) missingContext(st *result.StepResult, code string) string {
	if st.Kind != markdown.KindCommand || pr.kubecfg == "" {
		return ""
	}
	var names []string
	for _, c := range kubectl.Calls(shell.Parse(code)) {
		if c.Err != nil {
			continue
		}
		if v, ok := c.Value("context"); ok && v != "" {
			names = append(names, v)
		}
		if c.Command() == "config use-context" && len(c.Args) > 0 {
			names = append(names, c.Args[0])
		}
	}
	if len(names) == 0 {
		return ""
	}
	cfg, err := clientcmd.LoadFromFile(pr.kubecfg)
	if err != nil {
		return ""
	}
	for _, n := range names {
		if _, ok := cfg.Contexts[n]; !ok && !strings.ContainsAny(n, "$`<>") {
			return "uses the kubeconfig context " + n + ", which this run's kubeconfig does not have (a cluster the page makes with a step not run here)"
		}
	}
	return ""
}

package runner

import (
	"fmt"
	"strings"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

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
// command would fail with "context … does not exist". So does a command
// that uses a context or a user (--user) whose kubeconfig user has no
// credentials, which a skipped kubectl config set-credentials would have
// set (from a key and certificate a program this machine lacks makes).
func (pr *pageRun) missingContext(st *result.StepResult, code string) string {
	if st.Kind != markdown.KindCommand || pr.kubecfg == "" {
		return ""
	}
	var names, users []string
	for _, c := range kubectl.Calls(shell.Parse(code)) {
		if c.Err != nil {
			continue
		}
		if v, ok := c.Value("context"); ok && v != "" {
			names = append(names, v)
		}
		if v, ok := c.Value("user"); ok && v != "" && !strings.HasPrefix(c.Command(), "config ") {
			users = append(users, v)
		}
		if c.Command() == "config use-context" && len(c.Args) > 0 {
			names = append(names, c.Args[0])
		}
	}
	if len(names) == 0 && len(users) == 0 {
		return ""
	}
	cfg, err := clientcmd.LoadFromFile(pr.kubecfg)
	if err != nil {
		return ""
	}
	for _, n := range names {
		ctx, ok := cfg.Contexts[n]
		if !ok && !strings.ContainsAny(n, "$`<>") {
			return "uses the kubeconfig context " + n + ", which this run's kubeconfig does not have (a cluster the page makes with a step not run here)"
		}
		if ok && !hasCredentials(cfg.AuthInfos[ctx.AuthInfo]) {
			if i, why := pr.unsetCredentials(st.Index, ctx.AuthInfo); i >= 0 {
				return fmt.Sprintf("follows step %d, which would have set the credentials of the kubeconfig user %s that context %s uses: %s", i, ctx.AuthInfo, n, why)
			}
		}
	}
	for _, u := range users {
		if !hasCredentials(cfg.AuthInfos[u]) {
			if i, why := pr.unsetCredentials(st.Index, u); i >= 0 {
				return fmt.Sprintf("follows step %d, which would have set the credentials of the kubeconfig user %s: %s", i, u, why)
			}
		}
	}
	return ""
}

// hasCredentials reports whether a kubeconfig user has a way to
// authenticate: a client certificate and key, a token, a user name,
// an exec plugin or an auth provider.
func hasCredentials(u *clientcmdapi.AuthInfo) bool {
	if u == nil {
		return false
	}
	return len(u.ClientCertificateData) > 0 || u.ClientCertificate != "" || u.Token != "" || u.TokenFile != "" ||
		u.Username != "" || u.Exec != nil || u.AuthProvider != nil
}

// unsetCredentials returns the last skipped step before step that would
// have set the credentials of a kubeconfig user (kubectl config
// set-credentials USER), and its skip reason; -1 when there is none.
func (pr *pageRun) unsetCredentials(step int, user string) (int, string) {
	for i := step - 1; i >= 0; i-- {
		st := pr.res.Steps[i]
		if st.Status != result.Skipped || st.Kind != markdown.KindCommand || st.Step.Alternative() {
			continue
		}
		for _, c := range kubectl.Calls(shell.Parse(st.Code)) {
			if c.Err == nil && c.Command() == "config set-credentials" && len(c.Args) > 0 && c.Args[0] == user {
				return i, st.SkipReason
			}
		}
	}
	return -1, ""
}

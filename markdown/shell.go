package markdown

import (
	"net/netip"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
)

// commandWords are programs and shell words that start a command line in
// Kubernetes pages. An untagged block whose first line starts with one of
// them is a command, not output.
var commandWords = toSet(`kubectl kubeadm kubelet kube-apiserver curl wget export cat echo printf cd ls mkdir
rm cp mv ln touch chmod chown sudo apt apt-get yum dnf zypper brew snap choco scoop go git helm minikube
kind docker podman nerdctl crictl ctr openssl cfssl base64 sed awk grep jq yq for while until if case
source . sleep watch kill ps systemctl journalctl ssh scp nslookup dig ping mysql psql etcdctl etcdutl
envsubst tee make python python3 pip pip3 npm npx node mvn dotnet java javac ruby tar gzip unzip sha256sum
shasum install kustomize alias unset set eval exec read test [ [[ true false cut tr head tail wc sort uniq
xargs find env id whoami hostname uname nc telnet ip iptables mount umount df du free top time mongosh
redis-cli vi vim nano less more diff patch cilium istioctl calicoctl velero kubectl-convert gcloud az aws
eksctl doctl terraform vagrant virtualctl kubens kubectx stern k9s skaffold tilt ko crane skopeo
function declare local readonly trap wait jobs fg bg history clear screen tmux yes seq date base32
gpg rev autoload compinit complete shopt ulimit umask pushd popd printenv exit logout bash sh zsh dash fish ksh nohup setsid timeout stdbuf xdg-open open`)

func toSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

var assignment = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?=`)

// looksLikeCommand reports whether text reads as shell commands: its first
// line that is not blank or a comment starts with a known program, a
// variable assignment, a path to a program, or a "$ " prompt.
func looksLikeCommand(code string) bool {
	for _, line := range strings.Split(code, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#!") || (strings.HasPrefix(t, "#") && !strings.HasPrefix(t, "# ")) {
			continue
		}
		if strings.HasPrefix(t, "# ") {
			// A shell comment.
			continue
		}
		t = strings.TrimPrefix(t, "$ ")
		word := strings.Fields(t)[0]
		switch {
		case strings.HasSuffix(word, ":"):
			return false
		case commandWords[word]:
			// "kubectl" alone is output of `kubectl config current-context`
			// style commands only rarely; accept.
			return !looksLikeTableHeader(t)
		case assignment.MatchString(word):
			return true
		case strings.HasPrefix(word, "./") || strings.HasPrefix(word, "/usr/") || strings.HasPrefix(word, "/bin/"):
			return true
		case strings.HasPrefix(word, "kubectl-"):
			return true
		}
		return false
	}
	return false
}

// looksLikeTableHeader catches output lines such as "kubectl: OK".
func looksLikeTableHeader(line string) bool {
	f := strings.Fields(line)
	return len(f) > 0 && strings.HasSuffix(f[0], ":")
}

// shellFlags are what a command step's text says about how it runs.
type shellFlags struct {
	background, interactive, network, host bool
}

// CommandFlags are the flags docrun gives shell code: whether it leaves a
// background process, waits for a person, needs the internet or changes
// this machine. Runners use it on code that was changed before running
// (a substitution that removes --watch makes a step non-interactive).
type CommandFlags struct {
	Background, Interactive, Network, Host bool
}

// AnalyzeCommand returns the flags of shell code.
func AnalyzeCommand(code string) CommandFlags {
	f := analyzeShell(shell.Parse(code))
	return CommandFlags{Background: f.background, Interactive: f.interactive, Network: f.network, Host: f.host}
}

// hostPrograms change the reader's machine.
var hostPrograms = toSet(`sudo systemctl ssh scp kubeadm minikube kind apt apt-get yum dnf zypper brew snap
choco scoop service journalctl vagrant`)

// analyzeShell finds the flags of a command step from its calls.
func analyzeShell(sc *shell.Script) shellFlags {
	var f shellFlags
	for _, c := range sc.Calls {
		if c.Background && !c.Substituted {
			f.background = true
		}
		if c.Wrapped("sudo") {
			f.host = true
		}
		prog, args := c.Program()
		if prog == "" {
			continue
		}
		words := append([]string{prog}, args...)
		if hostPrograms[prog] {
			f.host = true
		}
		switch prog {
		case "watch", "vi", "vim", "nano", "less", "more", "top", "k9s":
			f.interactive = true
		case "kubectl":
			if kubectlInteractive(args, c.Background) {
				f.interactive = true
			}
			if kubectlRemote(args) {
				f.network = true
			}
		case "git":
			if len(words) > 1 && words[1] == "clone" {
				f.network = true
			}
		case "go":
			if len(words) > 1 && (words[1] == "get" || words[1] == "install") {
				f.network = true
			}
		case "pip", "pip3":
			if hasWord(words, "install") {
				f.network = true
			}
		case "npm", "yarn", "pnpm":
			if hasWord(words, "install") || hasWord(words, "i") || hasWord(words, "add") {
				f.network = true
			}
		case "mvn", "gradle":
			f.network = true
		case "dotnet":
			if hasWord(words, "add") && hasWord(words, "package") {
				f.network = true
			}
		case "curl", "wget":
			for _, w := range args {
				// The site's example URLs are read from the site.
				if remoteURL(w) && ExampleURLPath(w) == "" || outsideAddress(w) {
					f.network = true
				}
			}
		case "helm":
			if hasWord(words, "repo") || hasWord(words, "pull") {
				f.network = true
			}
		}
	}
	// a loop or server that runs until stopped holds the page up unless
	// the step leaves it in the background
	if !f.background && sc.Endless() {
		f.interactive = true
	}
	return f
}

func hasWord(words []string, w string) bool {
	for _, x := range words {
		if x == w {
			return true
		}
	}
	return false
}

// kubectlInteractive reports whether kubectl arguments wait for a person,
// as kubectl's own command tree reads them (markdown/kubectl): an editor,
// a confirmation, a terminal session that opens a shell or a database
// client, or a watch, follow or server that is not in the background. A
// terminal session given a command that ends by itself (kubectl exec -it
// web -- ls) does not wait: with no terminal kubectl only warns and runs it.
func kubectlInteractive(args []string, background bool) bool {
	inv, _ := kubectl.Parse(args)
	if _, ok := inv.Interactive(); ok && !(inv.Bool("stdin") && inv.Bool("tty") && commandEnds(inv)) {
		return true
	}
	_, endless := inv.Endless()
	return endless && !background
}

// commandEnds reports whether the command a terminal session runs (after
// --) ends by itself: not a shell or database client waiting for input.
func commandEnds(inv kubectl.Invocation) bool {
	switch inv.Command() {
	case "exec", "run", "debug":
	default:
		return false
	}
	if len(inv.Dash) == 0 {
		return false
	}
	prog := path.Base(inv.Dash[0])
	return !shellPrograms[prog] || scriptArgs(prog, inv.Dash[1:])
}

// NeedsContainer returns the first kubectl command of shell code that
// needs a container running on a node (logs, exec, attach, cp,
// port-forward, debug, run attached to its Pod), and whether there is one.
func NeedsContainer(code string) (string, bool) {
	for _, inv := range kubectl.Calls(shell.Parse(code)) {
		switch cmd := inv.Command(); cmd {
		case "logs", "exec", "attach", "cp", "port-forward", "debug":
			return "kubectl " + cmd, true
		case "run":
			if inv.Bool("stdin") || inv.Bool("attach") || inv.Bool("rm") {
				return "kubectl run -i", true
			}
		}
	}
	return "", false
}

// kubectlRemote reports whether kubectl reads a manifest from the internet
// (other than the site's examples, which docrun maps to local files).
func kubectlRemote(args []string) bool {
	inv, _ := kubectl.Parse(args)
	for _, src := range inv.Sources() {
		if src.Remote() && ExampleURLPath(src.Path) == "" {
			return true
		}
	}
	return false
}

// ExampleURLPath returns the example path of a site example URL
// (https://k8s.io/examples/pods/pod.yaml -> pods/pod.yaml), or "".
func ExampleURLPath(s string) string {
	s = strings.Trim(s, `"'`)
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	switch strings.TrimPrefix(u.Host, "www.") {
	case "k8s.io", "kubernetes.io":
	default:
		return ""
	}
	p, ok := strings.CutPrefix(u.Path, "/examples/")
	if !ok || p == "" {
		return ""
	}
	return p
}

// remoteURL reports whether a word is a literal http(s) URL of a host other
// than this machine (loopback) and other than a shell variable.
func remoteURL(w string) bool {
	w = strings.Trim(w, `"'`)
	if !strings.HasPrefix(w, "http://") && !strings.HasPrefix(w, "https://") {
		return false
	}
	u, err := url.Parse(w)
	if err != nil || u.Host == "" || strings.ContainsAny(u.Host, "$<{") {
		return false
	}
	switch h := u.Hostname(); {
	case h == "localhost", strings.HasPrefix(h, "127."), h == "::1", h == "0.0.0.0":
		return false
	case !strings.Contains(h, "."), strings.HasSuffix(h, ".svc"), strings.HasSuffix(h, ".local"),
		strings.HasSuffix(h, ".cluster.local"), strings.HasSuffix(h, ".internal"), strings.HasSuffix(h, ".example"):
		// A name inside the cluster (a Service, web-0.nginx) or a
		// documentation name, not the internet.
		return false
	}
	return true
}

// outsideAddress reports whether a word is an address without a scheme
// (curl 203.0.113.140, curl 198.51.100.7:8080/healthz) whose IPv4 or
// IPv6 literal is outside this machine and the private ranges a cluster
// uses: a public address, or one of the documentation ranges pages show
// as a load balancer's (RFC 5737), which lead off the machine too.
func outsideAddress(w string) bool {
	w = strings.Trim(w, `"'`)
	if strings.HasPrefix(w, "-") || strings.Contains(w, "://") {
		return false
	}
	host, _, _ := strings.Cut(w, "/")
	if strings.HasPrefix(host, "[") {
		host, _, _ = strings.Cut(strings.TrimPrefix(host, "["), "]")
	} else if h, _, ok := strings.Cut(host, ":"); ok && strings.Count(host, ":") == 1 {
		host = h
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	return !(a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsUnspecified())
}

// textPlaceholders returns the placeholders of code that is not shell (a
// Go program): the same forms as in shell, found in the text.
func textPlaceholders(code string) []string {
	return shell.TextPlaceholders(code)
}

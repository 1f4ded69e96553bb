package markdown

import (
	"net/url"
	"regexp"
	"strings"
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
	f := analyzeShell(code)
	return CommandFlags{Background: f.background, Interactive: f.interactive, Network: f.network, Host: f.host}
}

// logicalLines splits shell text into command lines: continuation
// backslashes joined, comments and heredoc bodies dropped.
func logicalLines(code string) []string {
	var out []string
	var cur strings.Builder
	var heredoc []string
	for _, line := range strings.Split(code, "\n") {
		if len(heredoc) > 0 {
			if strings.TrimSpace(line) == heredoc[0] {
				heredoc = heredoc[1:]
			}
			continue
		}
		t := stripComment(line)
		if strings.HasSuffix(t, "\\") {
			cur.WriteString(strings.TrimSuffix(t, "\\") + " ")
			continue
		}
		cur.WriteString(t)
		l := strings.TrimSpace(cur.String())
		cur.Reset()
		if l != "" {
			out = append(out, l)
			heredoc = append(heredoc, heredocDelims(l)...)
		}
	}
	if l := strings.TrimSpace(cur.String()); l != "" {
		out = append(out, l)
	}
	return out
}

var heredocRe = regexp.MustCompile(`<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)(['"]?)`)

func heredocDelims(line string) []string {
	var d []string
	for _, m := range heredocRe.FindAllStringSubmatch(line, -1) {
		d = append(d, m[2])
	}
	return d
}

// stripComment removes a trailing # comment outside quotes.
func stripComment(line string) string {
	var q byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case q != 0:
			if c == '\\' && q == '"' {
				i++
			} else if c == q {
				q = 0
			}
		case c == '\\':
			i++
		case c == '\'' || c == '"':
			q = c
		case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return strings.TrimRight(line[:i], " \t")
		}
	}
	return line
}

// analyzeShell finds the flags of a command step.
func analyzeShell(code string) shellFlags {
	var f shellFlags
	for _, line := range logicalLines(code) {
		bg := strings.HasSuffix(line, "&") && !strings.HasSuffix(line, "&&")
		if bg {
			f.background = true
		}
		for _, cmd := range splitCommands(line) {
			words := strings.Fields(cmd)
			if len(words) == 0 {
				continue
			}
			for len(words) > 1 && (assignment.MatchString(words[0]) || words[0] == "time" || words[0] == "nohup" || words[0] == "$") {
				words = words[1:]
			}
			prog := words[0]
			switch prog {
			case "sudo", "systemctl", "ssh", "scp", "kubeadm", "minikube", "kind", "apt", "apt-get", "yum",
				"dnf", "zypper", "brew", "snap", "choco", "scoop", "service", "journalctl", "vagrant":
				f.host = true
			}
			switch prog {
			case "watch", "vi", "vim", "nano", "less", "more", "top", "k9s":
				f.interactive = true
			case "kubectl":
				if kubectlInteractive(words[1:], bg) {
					f.interactive = true
				}
				if kubectlRemote(words[1:]) {
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
				for _, w := range words[1:] {
					if remoteURL(w) {
						f.network = true
					}
				}
			case "helm":
				if hasWord(words, "repo") || hasWord(words, "pull") {
					f.network = true
				}
			}
		}
	}
	return f
}

// splitCommands splits a command line at ;, &&, || and | outside quotes.
func splitCommands(line string) []string {
	var out []string
	var q byte
	start := 0
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case q != 0:
			if c == '\\' && q == '"' {
				i++
			} else if c == q {
				q = 0
			}
		case c == '\\':
			i++
		case c == '\'' || c == '"':
			q = c
		case c == ';' || c == '|' || c == '&' || c == '(' || c == ')' || c == '`':
			out = append(out, line[start:i])
			start = i + 1
		}
	}
	out = append(out, line[start:])
	for i := range out {
		out[i] = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(out[i]), "$"))
	}
	return out
}

func hasWord(words []string, w string) bool {
	for _, x := range words {
		if x == w {
			return true
		}
	}
	return false
}

// kubectlInteractive reports whether kubectl arguments wait for a person:
// a terminal (exec/run/attach -it), an editor, a watch, a follow, or a
// proxy/port-forward that blocks because it is not in the background.
func kubectlInteractive(args []string, background bool) bool {
	sub := ""
	stdin, tty := false, false
	for _, a := range args {
		if sub == "" && !strings.HasPrefix(a, "-") {
			sub = a
		}
		if a == "--" {
			break
		}
		switch {
		case a == "--stdin" || a == "--stdin=true":
			stdin = true
		case a == "--tty" || a == "--tty=true":
			tty = true
		case a == "-w" || a == "--watch" || a == "--watch=true" || a == "--watch-only" || a == "-f" && sub == "logs" || a == "--follow":
			if !background {
				return true
			}
		case strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && len(a) > 1:
			letters := a[1:]
			if strings.ContainsRune(letters, '=') {
				continue
			}
			if strings.ContainsRune(letters, 'i') && len(letters) <= 3 {
				stdin = true
			}
			if strings.ContainsRune(letters, 't') && len(letters) <= 3 {
				tty = true
			}
		}
	}
	switch sub {
	case "edit":
		return true
	case "exec", "run", "attach", "debug":
		return stdin && tty
	case "proxy", "port-forward":
		return !background
	}
	return false
}

// kubectlRemote reports whether kubectl reads a manifest from the internet
// (other than the site's examples, which docrun maps to local files).
func kubectlRemote(args []string) bool {
	for i, a := range args {
		v := ""
		switch {
		case (a == "-f" || a == "--filename" || a == "-k") && i+1 < len(args):
			v = args[i+1]
		case strings.HasPrefix(a, "--filename="), strings.HasPrefix(a, "-f="):
			_, v, _ = strings.Cut(a, "=")
		}
		if remoteURL(v) && ExampleURLPath(v) == "" {
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

var (
	anglePlaceholder   = regexp.MustCompile(`<([A-Za-z][A-Za-z0-9_.:/-]*[A-Za-z0-9_])>`)
	literalPlaceholder = regexp.MustCompile(`\b(some_[a-z][a-z0-9_]*|X{2,3}(?:\.X{2,3}){3}|MY_[A-Z0-9_]*PLACEHOLDER|[A-Z][A-Z0-9_]*_PLACEHOLDER)\b`)
)

// placeholders returns the names of values a reader must supply: <pod-name>
// style tokens (not heredocs, redirections or process substitutions) and the
// literal ones the docs use (some_server_name, XXX.XXX.XXX.XXX,
// MY_..._PLACEHOLDER), in order of first appearance.
func placeholders(code string) []string {
	out := []string{}
	seen := map[string]bool{}
	addName := func(n string) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	type hit struct {
		at   int
		name string
	}
	var hits []hit
	for _, m := range anglePlaceholder.FindAllStringSubmatchIndex(code, -1) {
		if m[0] > 0 && (code[m[0]-1] == '<' || code[m[0]-1] == '\\') {
			continue
		}
		hits = append(hits, hit{m[0], code[m[2]:m[3]]})
	}
	for _, m := range literalPlaceholder.FindAllStringSubmatchIndex(code, -1) {
		hits = append(hits, hit{m[0], code[m[2]:m[3]]})
	}
	for i := 1; i < len(hits); i++ {
		for j := i; j > 0 && hits[j].at < hits[j-1].at; j-- {
			hits[j], hits[j-1] = hits[j-1], hits[j]
		}
	}
	for _, h := range hits {
		addName(h.name)
	}
	return out
}

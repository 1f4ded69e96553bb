package markdown

import (
	"fmt"
	"regexp"
	"runtime"
	"strings"
)

// Tabs that are alternatives.
//
// The website's tabs shortcode shows "multiple flavors of a given
// solution": one tab per operating system, shell, processor, distribution,
// package manager, cloud or tool. A reader follows one of them; running
// them all would install kubectl three times or configure three shells. A
// tab set is a set of alternatives when every tab's name names a platform
// or a method (platformWords, or "Use X", "Using X", 「Xを使用」), or when
// the sentence before it says the reader has a choice ("You can do this two
// different ways:", 「次のいずれかの方法で」, alternativeCues); docrun runs the
// tab that fits this machine and skips the others. Any other tab set
// (Literals / Files, Deployment / Service) is parts of one procedure and
// every tab runs.

// platformWords are the names of mutually exclusive platforms and methods,
// by family, lower case. A tab name names a platform when one of its words
// (or word pairs) is listed here.
var platformWords = map[string][]string{
	"operating system": {"linux", "macos", "mac", "osx", "os x", "darwin", "windows", "freebsd"},
	"distribution": {"debian", "ubuntu", "red hat", "redhat", "rhel", "centos", "fedora", "suse", "opensuse",
		"sles", "alpine", "arch linux", "amazon linux", "flatcar", "coreos", "hypriotos", "rocky", "almalinux", "nixos"},
	"shell":     {"bash", "zsh", "fish", "powershell", "pwsh", "cmd", "tcsh", "ksh"},
	"processor": {"x86-64", "x86_64", "amd64", "x64", "arm64", "aarch64", "arm", "armhf", "armv7", "ppc64le", "s390x", "386", "i386"},
	"package manager": {"apt", "apt-get", "yum", "dnf", "zypper", "snap", "homebrew", "brew", "macports", "choco", "chocolatey",
		"scoop", "winget", "nix", "pacman", "apk", "package manager", "package management"},
	"install method": {"helm", "kustomize", "operator", "go install", "pip", "npm"},
	"cloud":          {"aws", "amazon", "eks", "gcp", "gce", "gke", "google cloud", "azure", "aks", "digitalocean", "openstack", "ibm cloud", "alibaba", "oracle", "vsphere", "on-premises", "bare metal"},
	"local cluster":  {"minikube", "kind", "k3s", "k3d", "microk8s", "docker desktop", "kubeadm", "kops", "kubespray"},
	"runtime":        {"docker", "containerd", "cri-o", "crio", "cri-dockerd", "podman"},
	"network family": {"ipv4", "ipv6", "dual-stack"},
	"cgroup driver":  {"systemd", "cgroupfs"},
}

var (
	platformSet = func() map[string]bool {
		m := map[string]bool{}
		for _, words := range platformWords {
			for _, w := range words {
				m[w] = true
			}
		}
		return m
	}()
	// A method named by its tool: "Use etcdutl", "Using kubectl", 「kubeadmを使用」.
	methodName = regexp.MustCompile(`(?i)^(use|using|with|via|through|without)\b|(を使用|を使う|を使った|を利用)`)
	nameWord   = regexp.MustCompile(`[a-z0-9][a-z0-9._+-]*`)
)

// namesPlatform reports whether a tab name names a platform or a method.
func namesPlatform(name string) bool {
	if methodName.MatchString(strings.TrimSpace(name)) {
		return true
	}
	words := nameWord.FindAllString(strings.ToLower(name), -1)
	for i, w := range words {
		words[i] = strings.TrimSuffix(strings.TrimSuffix(w, "-based"), ".")
	}
	for i, w := range words {
		if platformSet[w] || (i+1 < len(words) && platformSet[w+" "+words[i+1]]) {
			return true
		}
	}
	return false
}

// thisMachine is what docrun prefers among alternatives: this machine's
// operating system and processor, and bash, the shell docrun runs.
// Tests fix it so that results do not depend on the machine.
var thisMachine = machine{os: runtime.GOOS, arch: runtime.GOARCH}

type machine struct{ os, arch string }

// fit scores how well a tab name fits the machine: its operating system,
// processor and bash count for it, another system or processor and a
// deprecated method against it.
func (m machine) fit(name string) int {
	words := map[string]bool{}
	for _, w := range nameWord.FindAllString(strings.ToLower(name), -1) {
		words[strings.TrimSuffix(w, "-based")] = true
	}
	has := func(ws ...string) bool {
		for _, w := range ws {
			if words[w] {
				return true
			}
		}
		return false
	}
	systems := map[string][]string{"linux": {"linux"}, "darwin": {"macos", "mac", "osx", "darwin"}, "windows": {"windows"}}
	arches := map[string][]string{"amd64": {"x86-64", "x86_64", "amd64", "x64"}, "arm64": {"arm64", "aarch64"}, "386": {"386", "i386"}}
	score := 0
	for os, ws := range systems {
		if has(ws...) {
			score += map[bool]int{true: 4, false: -4}[os == m.os]
		}
	}
	for arch, ws := range arches {
		if has(ws...) {
			score += map[bool]int{true: 2, false: -2}[arch == m.arch]
		}
	}
	if has("bash") {
		score++
	}
	if has("deprecated") {
		score--
	}
	return score
}

// alternativeCues are the sentences before a tab set that offer a choice,
// per language; a translator adds rows.
var alternativeCues = []cue{
	{"en", cueCommand, "two ways", re(`(?i)\b(two|three|four|several|different|multiple|various|other)\s+([a-z-]+\s+)?(ways|methods|options|modes|approaches|alternatives)\b`)},
	{"en", cueCommand, "either", re(`(?i)\b(either of|one of the following|choose (one|between|from)|alternatively)\b`)},
	{"ja", cueCommand, "いずれかの方法", re(`(いずれか|どちらか|(二|2|２|三|3|３|いくつか|複数)(つ|通り)?の(方法|やり方|モード|選択肢))`)},
}

// offersChoice reports whether the last sentences before a tab set offer
// the reader a choice between its tabs.
func offersChoice(sentences []string, lang string) bool {
	for i := len(sentences) - 1; i >= 0 && i >= len(sentences)-2; i-- {
		for _, c := range alternativeCues {
			if (c.lang == "en" || c.lang == lang) && c.re.MatchString(sentences[i]) {
				return true
			}
		}
	}
	return false
}

// tabSet is a tabs shortcode: its tabs' names and, for alternatives, the
// one that runs.
type tabSet struct {
	names       []string
	alternative bool
	chosen      int
}

// newTabSet decides whether tabs are alternatives and which one runs: the
// one that fits this machine best, the first on a tie.
func newTabSet(names []string) *tabSet {
	s := &tabSet{names: names}
	if len(names) < 2 {
		return s
	}
	for _, n := range names {
		if !namesPlatform(n) {
			return s
		}
	}
	s.choose()
	return s
}

// choose makes the set alternatives and picks the tab that fits this
// machine best, the first on a tie.
func (s *tabSet) choose() {
	names := s.names
	s.alternative = true
	best := thisMachine.fit(names[0])
	for i, n := range names[1:] {
		if f := thisMachine.fit(n); f > best {
			s.chosen, best = i+1, f
		}
	}
}

// pageTabs are the tabs of a page and what docrun makes of them.
type pageTabs struct {
	spans []tabSpan
	sets  map[int]*tabSet // by the tabs mark id
}

func newPageTabs(source []byte, marks []*Mark) pageTabs {
	t := pageTabs{spans: tabSpans(source, marks), sets: map[int]*tabSet{}}
	names := map[int][]string{}
	for _, sp := range t.spans {
		g := sp.scope.group
		for len(names[g]) <= sp.scope.tab {
			names[g] = append(names[g], "")
		}
		names[g][sp.scope.tab] = sp.name
	}
	for g, n := range names {
		t.sets[g] = newTabSet(n)
	}
	return t
}

// at returns, for an offset of the expanded text, the name of the
// innermost tab around it, an id of that tab (-1 outside tabs), and why a
// block there does not run: it is in a tab that is an alternative to the
// one docrun runs ("" when it runs).
func (t pageTabs) at(off int) (name string, id int, skip string) {
	id = -1
	inner, outer := -1, -1
	for i, sp := range t.spans {
		if off < sp.start || off >= sp.end {
			continue
		}
		if inner < 0 || sp.start > t.spans[inner].start {
			inner = i
		}
		set := t.sets[sp.scope.group]
		if set.alternative && set.chosen != sp.scope.tab && (outer < 0 || sp.start < t.spans[outer].start) {
			outer = i
			skip = fmt.Sprintf(alternativeReason+"«%s» tab", set.names[set.chosen])
		}
	}
	if inner >= 0 {
		name, id = t.spans[inner].name, inner
	}
	return name, id, skip
}

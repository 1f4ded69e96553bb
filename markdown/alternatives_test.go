package markdown

import "testing"

// Results must not depend on the machine the tests run on.
func init() { thisMachine = machine{os: "linux", arch: "amd64"} }

func TestNamesPlatform(t *testing.T) {
	yes := []string{"Linux", "macOS", "Windows", "Bash", "zsh", "x86-64", "ARM64", "Debian-based distributions",
		"Red Hat-based distributions", "Homebrew", "choco", "winget", "Snap", "Without a package manager",
		"AWS", "Google Cloud", "minikube", "kind", "containerd", "CRI-O", "IPv6", "systemd",
		"Use etcdutl", "Using kubectl (Deprecated)", "kubeadmを使用"}
	no := []string{"Literals", "Files", ".env files", "Allow list", "Apply set", "User", "System",
		"Launch a browser", "Deployment", "Service", "Create the Pod", "Step 1", ""}
	for _, n := range yes {
		if !namesPlatform(n) {
			t.Errorf("namesPlatform(%q) = false, want true", n)
		}
	}
	for _, n := range no {
		if namesPlatform(n) {
			t.Errorf("namesPlatform(%q) = true, want false", n)
		}
	}
}

func TestNewTabSet(t *testing.T) {
	tests := []struct {
		names       []string
		alternative bool
		chosen      int
	}{
		{[]string{"macOS", "Linux", "Windows"}, true, 1},
		{[]string{"Zsh", "Fish", "Bash"}, true, 2},
		{[]string{"ARM64", "x86-64"}, true, 1},
		{[]string{"Debian-based distributions", "Red Hat-based distributions"}, true, 0},
		{[]string{"Use etcdctl (Deprecated)", "Use etcdutl"}, true, 1},
		{[]string{"choco", "scoop", "winget"}, true, 0},
		{[]string{"Linux", "Literals"}, false, 0},
		{[]string{"Create the ConfigMap", "Create the Pod"}, false, 0},
		{[]string{"Linux"}, false, 0},
	}
	for _, tt := range tests {
		s := newTabSet(tt.names)
		if s.alternative != tt.alternative || (s.alternative && s.chosen != tt.chosen) {
			t.Errorf("newTabSet(%q) = alternative %v, chosen %d; want %v, %d", tt.names, s.alternative, s.chosen, tt.alternative, tt.chosen)
		}
	}
}

func TestMachineFit(t *testing.T) {
	mac := machine{os: "darwin", arch: "arm64"}
	if s := newTabSet([]string{"Linux", "macOS", "Windows"}); s.chosen != 0 {
		t.Errorf("on linux/amd64 chose %d, want Linux", s.chosen)
	}
	if mac.fit("macOS") <= mac.fit("Linux") || mac.fit("ARM64") <= mac.fit("x86-64") {
		t.Errorf("darwin/arm64 does not prefer macOS and ARM64")
	}
}

func TestOffersChoice(t *testing.T) {
	tests := []struct {
		lang, prose string
		want        bool
	}{
		{"en", "Open the dashboard. You can do this two different ways:", true},
		{"en", "There are three pruning modes available:", true},
		{"en", "Do either of the following:", true},
		{"en", "Create the kustomization file:", false},
		{"ja", "次のいずれかの方法でインストールします。", true},
		{"ja", "2つの方法があります:", true},
		{"ja", "kustomizationファイルを作成します。", false},
	}
	for _, tt := range tests {
		if got := offersChoice(sentences(tt.prose), tt.lang); got != tt.want {
			t.Errorf("offersChoice(%q) = %v, want %v", tt.prose, got, tt.want)
		}
	}
}

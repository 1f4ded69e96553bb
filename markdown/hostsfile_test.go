package markdown

import (
	"slices"
	"testing"
)

func TestHostsEntries(t *testing.T) {
	cases := []struct {
		code string
		want []string
	}{
		{"172.17.0.15 hello-world.info\n", []string{"hello-world.info"}},
		{"# hosts\n192.0.2.1 a.test B.test\n\n::1 localhost c.test\n", []string{"a.test", "b.test", "c.test"}},
		{"127.0.0.1 localhost.localdomain localhost # loopback\n", []string{"localhost.localdomain"}},
		{"10.0.0.1 not a hosts line\n", nil},          // no name with a domain
		{"999.1.1.1 a.test\n", nil},                   // not an address
		{"192.0.2.1 a.test\nkubectl get pods\n", nil}, // not every line
		{"", nil},
	}
	for _, c := range cases {
		if got := hostsEntries(c.code); !slices.Equal(got, c.want) {
			t.Errorf("hostsEntries(%q) = %q, want %q", c.code, got, c.want)
		}
	}
}

func TestFetchHost(t *testing.T) {
	cases := map[string]string{
		"hello-world.info":           "hello-world.info",
		"hello-world.info/v2":        "hello-world.info",
		`"http://A.test:8080/x?y=1"`: "a.test",
		"https://[2001:db8::1]:443/": "2001:db8::1",
		"localhost:8001/api":         "localhost",
		"%zz":                        "",
	}
	for in, want := range cases {
		if got := fetchHost(in); got != want {
			t.Errorf("fetchHost(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLocalAndMachineFiles(t *testing.T) {
	cases := []struct {
		code                   string
		needs, writes, machine []string
	}{
		{`curl -LO "https://dl.k8s.io/release/$(curl -L -s https://dl.k8s.io/release/stable.txt)/bin/linux/amd64/kubectl"`,
			nil, []string{"kubectl"}, nil},
		{`echo "$(cat kubectl.sha256)  kubectl" | sha256sum --check`, []string{"kubectl.sha256"}, nil, nil},
		{"chmod +x kubectl\nmkdir -p ~/.local/bin\nmv ./kubectl ~/.local/bin/kubectl", []string{"kubectl"}, nil, nil},
		{"rm kubectl-convert kubectl-convert.sha256", []string{"kubectl-convert", "kubectl-convert.sha256"}, nil, nil},
		{"rm -rf build out.txt", nil, nil, nil},
		{"echo hi > note.txt\ncat note.txt", nil, []string{"note.txt"}, nil},
		{"source /usr/share/bash-completion/bash_completion", nil, nil, []string{"/usr/share/bash-completion/bash_completion"}},
		{"cat /etc/kubernetes/admin.conf /proc/cpuinfo < /etc/hosts", nil, nil, []string{"/etc/hosts", "/etc/kubernetes/admin.conf"}},
		{"echo x | tee /tmp/x.conf\ncat /tmp/x.conf", nil, nil, nil},
		{"bash /opt/tool/install.sh /etc/ignored.conf", nil, nil, []string{"/opt/tool/install.sh"}},
		{`sh -c "cat /etc/x"`, nil, nil, nil},
		{"cat $HOME/.kube/config", nil, nil, nil},
		{"rev data.txt", []string{"data.txt"}, nil, nil},
		{"cat a.yaml\ncd /proc/1\ncat status b.yaml", []string{"a.yaml"}, nil, nil},
		{"diff -u a.yaml b.yaml | grep -c x.json", []string{"a.yaml", "b.yaml"}, nil, nil},
		{"grep -i name y.json; sed 's/a/b/' z.yaml", []string{"y.json", "z.yaml"}, nil, nil},
		{"echo values.yaml; ping example.com; nslookup kubernetes.default", nil, nil, nil},
		{"tar czf out.tar.gz notes.txt", nil, nil, nil},
		{"jq . -r --arg x y.json", []string{"y.json"}, nil, nil},
	}
	for _, c := range cases {
		needs, writes := LocalFiles(c.code)
		if !slices.Equal(needs, c.needs) || !slices.Equal(writes, c.writes) {
			t.Errorf("LocalFiles(%q) = %q, %q; want %q, %q", c.code, needs, writes, c.needs, c.writes)
		}
		if got := MachineFiles(c.code); !slices.Equal(got, c.machine) {
			t.Errorf("MachineFiles(%q) = %q, want %q", c.code, got, c.machine)
		}
	}
}

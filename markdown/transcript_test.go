package markdown

import (
	"reflect"
	"strings"
	"testing"
)

func TestTranscript(t *testing.T) {
	type part struct {
		first    int
		code     string
		outFirst int
		output   string
	}
	tests := []struct {
		name  string
		class blockClass
		code  string
		want  []part // nil: not a transcript
	}{
		{"dollar prompts", classConsole,
			"$ kubectl get pods\nNAME   READY\nweb    1/1\n$ kubectl delete pod web\npod \"web\" deleted\n",
			[]part{{0, "kubectl get pods\n", 1, "NAME   READY\nweb    1/1\n"}, {3, "kubectl delete pod web\n", 4, "pod \"web\" deleted\n"}}},
		{"commands without output between are one step", classPlain,
			"$ cd /tmp\n$ ls\nfile\n",
			[]part{{0, "cd /tmp\nls\n", 2, "file\n"}}},
		{"root prompt in a console fence", classConsole,
			"# cat /etc/hostname\nweb-0\n",
			[]part{{0, "cat /etc/hostname\n", 1, "web-0\n"}}},
		{"hash is a comment in a shell fence", classShell,
			"# cat /etc/hostname\nweb-0\n", nil},
		{"a comment before the first prompt stays with the command", classConsole,
			"# list the Pods\n$ kubectl get pods\nNAME\n",
			[]part{{1, "# list the Pods\nkubectl get pods\n", 2, "NAME\n"}}},
		{"user@host and path prompts", classConsole,
			"root@web-0:/# hostname\nweb-0\nnode $ kubectl get nodes\nNAME STATUS\n/ # wget -qO- http://web\nhello\n",
			[]part{{0, "hostname\n", 1, "web-0\n"}, {2, "kubectl get nodes\n", 3, "NAME STATUS\n"}, {4, "wget -qO- http://web\n", 5, "hello\n"}}},
		{"a heredoc continues with the continuation prompt", classConsole,
			"$ cat <<EOF > a.txt\n> one\n> EOF\n$ cat a.txt\none\n",
			[]part{{0, "cat <<EOF > a.txt\none\nEOF\ncat a.txt\n", 4, "one\n"}}},
		{"a trailing backslash continues", classShell,
			"$ kubectl run web \\\n    --image=nginx\npod/web created\n",
			[]part{{0, "kubectl run web \\\n    --image=nginx\n", 2, "pod/web created\n"}}},
		{"PowerShell style prompt", classConsole,
			"> kubectl version --client\nClient Version: v1.37.2\n",
			[]part{{0, "kubectl version --client\n", 1, "Client Version: v1.37.2\n"}}},
		{"a prompt-like output line is output", classConsole,
			"$ mysql -e 'select 1'\nmysql> select 1\n",
			[]part{{0, "mysql -e 'select 1'\n", 1, "mysql> select 1\n"}}},
		{"no prompt", classConsole, "kubectl get pods\n", nil},
		{"text before the first prompt", classPlain, "NAME\n$ kubectl get pods\n", nil},
		{"yaml is never a transcript", classData, "$ a: b\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []part
			for _, p := range transcript(tt.code, tt.class) {
				got = append(got, part{p.first, p.code, p.outFirst, p.output})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("transcript(%q) =\n%+v\nwant\n%+v", tt.code, got, tt.want)
			}
		})
	}
}

// FuzzTranscript checks that splitting any block as a console transcript
// never panics, that its parts come in the block's order, and that every
// output line is a line of the block (an output line never becomes code).
func FuzzTranscript(f *testing.F) {
	f.Add("$ kubectl get pods\nNAME\nweb\n$ echo hi\nhi\n", uint8(classConsole))
	f.Add("$ cat <<EOF\n> a\n> EOF\n", uint8(classConsole))
	f.Add("root@x:/# ls \\\n  -l\ntotal 0\n", uint8(classPlain))
	f.Add("# id\nuid=0\n> kubectl version\n", uint8(classConsole))
	f.Fuzz(func(t *testing.T, code string, class uint8) {
		parts := transcript(code, blockClass(class%5))
		lines := strings.Split(code, "\n")
		last := -1
		for _, p := range parts {
			if p.first <= last || p.code == "" {
				t.Fatalf("parts out of order or empty: %+v", parts)
			}
			last = p.first
			if p.outFirst >= 0 {
				if p.outFirst <= p.first || p.outFirst >= len(lines) {
					t.Fatalf("output line %d outside the block after command line %d", p.outFirst, p.first)
				}
				for i, l := range strings.Split(strings.TrimSuffix(p.output, "\n"), "\n") {
					if p.outFirst+i >= len(lines) || lines[p.outFirst+i] != l {
						t.Fatalf("output line %q is not line %d of the block", l, p.outFirst+i)
					}
				}
				last = p.outFirst
			}
		}
	})
}

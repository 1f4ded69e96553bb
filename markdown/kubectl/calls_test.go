package kubectl

import (
	"fmt"
	"strings"
	"testing"

	"github.com/docrun/docrun/markdown/shell"
)

// TestCalls checks which shell commands Calls reads as kubectl and what it
// says of each: line, command path, arguments, whether the shell
// substitutes it, and kubectl's parse error.
func TestCalls(t *testing.T) {
	for _, c := range []struct {
		name, code string
		want       []string // "LINE COMMAND ARGS [subst] [err]"
	}{
		{"none", "echo hi\nls -l\n", nil},
		{"plain", "kubectl get pods web\n", []string{"1 get [pods web]"}},
		{"wrappers and prompt", "sudo kubectl delete pod a\n$ kubectl apply -f x.yaml\n/usr/local/bin/kubectl version\n",
			[]string{"1 delete [pod a]", "2 apply []", "3 version []"}},
		{"other programs between", "kubectl create ns x && echo ok | grep ok\nkubectl run web --image=nginx\n",
			[]string{"1 create namespace [x]", "2 run [web]"}},
		{"substitution", "POD=$(kubectl get pods -o name)\nkubectl logs $POD\n",
			[]string{"1 get [pods] subst", "2 logs [$POD]"}},
		{"refused flag kept with its error", "kubectl get pods --no-such-flag\n",
			[]string{"1 get [pods] err"}},
		{"plugin", "kubectl krew install foo\n", []string{"1  [install foo]"}},
		{"heredoc", "kubectl apply -f - <<EOF\nkind: Pod\nEOF\n", []string{"1 apply []"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, k := range Calls(shell.Parse(c.code)) {
				s := fmt.Sprintf("%d %s %v", k.Shell.Line, k.Command(), k.Args)
				if k.Shell.Substituted {
					s += " subst"
				}
				if k.Err != nil {
					s += " err"
				}
				got = append(got, s)
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("Calls(%q):\n got %q\nwant %q", c.code, got, c.want)
			}
		})
	}
}

// TestReadCall checks that the Call keeps the shell's facts (here the
// here-document) and that a command of another program is not read.
func TestReadCall(t *testing.T) {
	sc := shell.Parse("kubectl apply -f - <<EOF\nkind: Pod\nEOF\ncat x.yaml\n")
	k, ok := ReadCall(sc.Calls[0])
	if !ok || k.Shell.Heredoc != "kind: Pod\n" || len(k.Sources()) != 1 || !k.Sources()[0].Stdin() {
		t.Errorf("ReadCall(kubectl apply -f - <<EOF) = %+v, %v", k, ok)
	}
	if _, ok := ReadCall(sc.Calls[1]); ok {
		t.Error("ReadCall(cat x.yaml) read it as kubectl")
	}
	if _, ok := ReadCall(shell.Call{}); ok {
		t.Error("ReadCall of an empty call read it as kubectl")
	}
}

package shell

import (
	"reflect"
	"strings"
	"testing"
)

func TestCalls(t *testing.T) {
	cases := []struct {
		name, code string
		want       string // Script.String()
	}{
		{"simple", "kubectl get pods", `1 ["kubectl" "get" "pods"]` + "\n"},
		{"background", "kubectl proxy --port=8080 &\ncurl http://localhost:8080/api/", `1& ["kubectl" "proxy" "--port=8080"]` + "\n" + `2 ["curl" "http://localhost:8080/api/"]` + "\n"},
		{"continuation", "kubectl create deployment web \\\n  --image=nginx", `1 ["kubectl" "create" "deployment" "web" "--image=nginx"]` + "\n"},
		{"heredoc", "cat <<EOF | kubectl apply -f -\nkind: Secret\nEOF\nkubectl get secret", `1 ["cat"]` + "\n" + `1 ["kubectl" "apply" "-f" "-"]` + "\n" + `4 ["kubectl" "get" "secret"]` + "\n"},
		{"quotes", `kubectl exec pod -- sh -c 'echo "a b"'`, `1 ["kubectl" "exec" "pod" "--" "sh" "-c" "echo \"a b\""]` + "\n"},
		{"comment", "# a comment\nkubectl get ns # trailing", `2 ["kubectl" "get" "ns"]` + "\n"},
		{"subst", `TOKEN=$(kubectl get secret s -o jsonpath='{.data.token}')`, `1 ["TOKEN=$(kubectl get secret s -o jsonpath='{.data.token}')"]` + "\n"},
		{"placeholder", "kubectl logs <pod-name> -c <container name>", `1 ["kubectl" "logs" "<pod-name>" "-c" "<container name>"]` + "\n"},
		{"subshell bg", "(kubectl proxy &)", `1& ["kubectl" "proxy"]` + "\n"},
		{"fallback", "echo \"it's\ncurl x", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := Parse(c.code)
			if c.name == "fallback" {
				if s.Parsed() || s.FallbackReason() == "" {
					t.Fatalf("want fallback, got %v", s)
				}
				return
			}
			if !s.Parsed() {
				t.Fatalf("did not parse: %s", s.Fallback)
			}
			got := s.String()
			if c.name == "subst" {
				// the assignment alone and the call inside the substitution
				if len(s.Calls) != 2 || !s.Calls[1].Substituted || s.Calls[1].Args[0] != "kubectl" || s.Calls[0].Assigns[0] != "TOKEN" {
					t.Fatalf("got %s", got)
				}
				return
			}
			if got != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

func TestProgram(t *testing.T) {
	cases := map[string]string{
		"sudo -E kubectl get pods":           "kubectl",
		"env -i FOO=1 sleep 600":             "sleep",
		"setsid -f env -i sleep 600":         "sleep",
		"timeout 10 kubectl get pods -w":     "kubectl",
		"nohup /usr/local/bin/kubectl proxy": "kubectl",
		"X=1 kubectl get ns":                 "kubectl",
		"X=1":                                "",
		"time ./kubectl version":             "kubectl",
	}
	for code, want := range cases {
		s := Parse(code)
		got, _ := s.Calls[0].Program()
		if got != want {
			t.Errorf("%s: got %q want %q", code, got, want)
		}
	}
	if !Parse("sudo apt-get install x").Calls[0].Wrapped("sudo") {
		t.Error("sudo not seen")
	}
}

func TestPlaceholders(t *testing.T) {
	cases := []struct {
		code string
		want []string
	}{
		{"kubectl logs <pod-name>", []string{"pod-name"}},
		{"kubectl get pods -n <your namespace>", []string{"your namespace"}},
		{"kubectl get -f <filename|url> -o yaml", []string{"filename|url"}},
		{"kubectl describe pod ‹pod-name›", []string{"pod-name"}},
		{"kubectl describe pod POD-NAME", []string{"POD-NAME"}},
		{"kubectl label node YOUR_NODE disktype=ssd", []string{"YOUR_NODE"}},
		{`export CLUSTER_NAME="some_server_name"`, []string{"some_server_name"}},
		{"cat <<EOF > x\nhello\nEOF", []string{}},
		{"cat <<'EOF' > main.c\n#include <stdio.h>\nint x = <value>;\nEOF", []string{}},
		{"cat <<EOF | kubectl apply -f -\nname: <your-name>\nEOF", []string{"your-name"}},
		{"echo '<b>x</b>'", []string{}},
		{"# replace <pod-name> below\nkubectl get pods", []string{}},
		{"kubectl get pods # <none> shows", []string{}},
		{"cmd <in.txt >out.txt", []string{}},
		{"kubectl get pods -o wide | grep -v NODE-NAME", []string{"NODE-NAME"}},
		{"curl -X POST -H 'Content-Type: application/json'", []string{}},
	}
	for _, c := range cases {
		got := Parse(c.code).Placeholders()
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: got %q want %q", c.code, got, c.want)
		}
	}
}

func TestVars(t *testing.T) {
	s := Parse("export A=1\nB=$(echo $A)\nread -r C\nfor D in x y; do echo $D $E; done\n" +
		"echo ${F:-default} $HOME ${G} '$H' \"$1\"\ncat <<'EOF'\n$I\nEOF\n")
	v := s.Vars()
	if want := []string{"A", "B", "C", "D"}; !reflect.DeepEqual(v.Set, want) {
		t.Errorf("set %q want %q", v.Set, want)
	}
	if want := []string{"A", "D", "E", "HOME", "G"}; !reflect.DeepEqual(v.Used, want) {
		t.Errorf("used %q want %q", v.Used, want)
	}
	if want := []string{"B"}; !reflect.DeepEqual(v.FromOutput, want) {
		t.Errorf("from output %q want %q", v.FromOutput, want)
	}
	if got := Parse("export POD_NAME=\"$(kubectl get pods -o name)\"\nN=`date`\nM=x").Vars().FromOutput; !reflect.DeepEqual(got, []string{"POD_NAME", "N"}) {
		t.Errorf("from output %q", got)
	}
	if v.Opaque || !Parse("source ./env.sh").Vars().Opaque {
		t.Error("opaque")
	}
}

func TestWords(t *testing.T) {
	s := Parse("kubectl label nodes NODE_NAME disktype=ssd\necho $NODE_NAME\n# NODE_NAME")
	if got := s.Words([]string{"NODE_NAME", "OTHER"}); strings.Join(got, ",") != "NODE_NAME" {
		t.Errorf("got %q", got)
	}
	if got := Parse("echo ${NODE_NAME}").Words([]string{"NODE_NAME"}); len(got) != 0 {
		t.Errorf("got %q", got)
	}
}

func TestEndless(t *testing.T) {
	cases := map[string]bool{
		"while true; do curl x; sleep 1; done":                                                           true,
		"while sleep 0.01; do wget -q -O- http://php-apache; done":                                       true,
		"until false; do date; done":                                                                     true,
		"while true; do if curl x; then break; fi; done":                                                 false,
		"while true; do curl x; done &":                                                                  false,
		`kubectl run -i --tty lg --rm --image=busybox -- /bin/sh -c "while sleep 0.01; do wget x; done"`: true,
		`kubectl run c -i -t --rm -- bash -ic "while sleep 1; do mysql -e 'SELECT 1'; done"`:             true,
		`kubectl create deployment s --image=busybox -- sh -c 'while true; do sleep 1; done'`:            false,
		`kubectl run s --image=busybox -- sh -c 'while true; do sleep 1; done'`:                          false,
		`kubectl -n demo exec web -- sh -c 'tail -f /var/log/x'`:                                         true,
		"tail -f /var/log/x":                    true,
		"python3 -m http.server 8000":           true,
		"python3 -m http.server 8000 &":         false,
		"for i in 1 2 3; do echo $i; done":      false,
		"while read -r l; do echo $l; done < f": false,
	}
	for code, want := range cases {
		if got := Parse(code).Endless(); got != want {
			t.Errorf("%q: got %v want %v", code, got, want)
		}
	}
}

func TestWordsNotAssignments(t *testing.T) {
	if got := Parse("HTTPS_PROXY=socks5://localhost:1080 kubectl get pods").Words([]string{"HTTPS_PROXY"}); len(got) != 0 {
		t.Errorf("an assignment is not a placeholder: %q", got)
	}
}

func TestFallbackCalls(t *testing.T) {
	got := fallbackCalls("echo 'a;b' && kubectl get pods # note; here\ncurl \"x\n")
	want := [][]string{{"echo", "a;b"}, {"kubectl", "get", "pods"}, {"curl", "x\n"}}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want[:2] {
		if !reflect.DeepEqual(got[i].Args, want[i]) {
			t.Errorf("call %d: got %q want %q", i, got[i].Args, want[i])
		}
	}
	if got[2].Args[0] != "curl" {
		t.Errorf("call 2: %q", got[2].Args)
	}
}

func TestInBackground(t *testing.T) {
	cases := []struct {
		code, want string
		ok         bool
	}{
		{"kubectl proxy --port=8080\n", "kubectl proxy --port=8080 &\n", true},
		{"kubectl proxy --port=8080 # serve\n", "kubectl proxy --port=8080 & # serve\n", true},
		{"kubectl proxy; echo done\n", "kubectl proxy& echo done\n", true},
		{"python3 -m http.server 9000 > log.txt\n", "python3 -m http.server 9000 > log.txt &\n", true},
		{"kubectl proxy &\n", "kubectl proxy &\n", false},
		{"kubectl proxy | tee log\n", "kubectl proxy | tee log\n", false},
		{"echo a && kubectl proxy\n", "echo a && kubectl proxy\n", false},
	}
	for _, c := range cases {
		sc := Parse(c.code)
		start := -1
		for _, call := range sc.Calls {
			if p, _ := call.Program(); p == "kubectl" || p == "python3" {
				start = call.Start
			}
		}
		got, ok := sc.InBackground(start)
		if got != c.want || ok != c.ok {
			t.Errorf("%q: got %q, %v; want %q, %v", c.code, got, ok, c.want, c.ok)
		}
	}
}

func TestPythonServerPort(t *testing.T) {
	cases := []struct {
		line, port string
		ok         bool
	}{
		{"python3 -m http.server", "8000", true},
		{"python3 -m http.server 9000", "9000", true},
		{"python -m http.server --bind 127.0.0.1 -d /srv 8080", "8080", true},
		{"python3.12 -m http.server --directory=site 7000", "7000", true},
		{"python3 -m venv env", "", false},
		{"python3 server.py 8000", "", false},
		{"node -m http.server", "", false},
	}
	for _, c := range cases {
		w := strings.Fields(c.line)
		port, ok := PythonServerPort(w[0], w[1:])
		if port != c.port || ok != c.ok {
			t.Errorf("%q: got %q, %v; want %q, %v", c.line, port, ok, c.port, c.ok)
		}
	}
}

func TestHeredocBody(t *testing.T) {
	tests := []struct{ code, body string }{
		{"kubectl apply -f - <<EOF\nkind: ConfigMap\nEOF\n", "kind: ConfigMap\n"},
		{"cat <<'END' > x.yaml\na: 1\nb: 2\nEND\n", "a: 1\nb: 2\n"},
		{"cat <<-EOF\n\tindented\n\tEOF\n", "\tindented\n"},
		{"cat <<EOF\nEOF\n", ""},
	}
	for _, tc := range tests {
		calls := Parse(tc.code).Calls
		if len(calls) == 0 || calls[0].Heredoc != tc.body {
			t.Errorf("Parse(%q): heredoc %q, want %q", tc.code, calls[0].Heredoc, tc.body)
		}
	}
}

// TestPipedHeredoc checks that a here-document a cat pipes into a command
// is that command's Stdin, and only then.
func TestPipedHeredoc(t *testing.T) {
	tests := []struct{ code, stdin string }{
		{"cat <<EOF | kubectl apply -f -\nkind: Pod\nEOF\n", "kind: Pod\n"},
		{"cat <<'EOF' | kubectl create -f -\nkind: Pod\nEOF\n", "kind: Pod\n"},
		{"cat <<EOF | grep x | kubectl apply -f -\nkind: Pod\nEOF\n", ""},
		{"cat a.yaml <<EOF | kubectl apply -f -\nkind: Pod\nEOF\n", ""},
		{"echo hi | kubectl apply -f -\n", ""},
		{"kubectl apply -f - <<EOF\nkind: Pod\nEOF\n", ""},
	}
	for _, tc := range tests {
		var got string
		for _, c := range Parse(tc.code).Calls {
			if len(c.Args) > 0 && c.Args[0] == "kubectl" {
				got = c.Stdin
			}
		}
		if got != tc.stdin {
			t.Errorf("Parse(%q): kubectl's stdin %q, want %q", tc.code, got, tc.stdin)
		}
	}
}

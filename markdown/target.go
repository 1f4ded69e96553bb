package markdown

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"

	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
)

// Target is where a step's commands run when it is not the reader's own
// shell: a container the page opened a shell in, or a node of the cluster.
// The page's shell state is not affected by such steps.
type Target struct {
	// Kind is "container" or "node".
	Kind string `json:"kind"`
	// Pod and Container name the container, when the page says
	// (Container is "" for the Pod's default container).
	Pod       string `json:"pod,omitempty"`
	Container string `json:"container,omitempty"`
	// Namespace is the namespace the page gave the opening command, if any.
	Namespace string `json:"namespace,omitempty"`
	// Step is the index of the step that opened the container's shell, or
	// -1 when the prose says where the commands run.
	Step int `json:"step"`
	// Why says what told docrun.
	Why string `json:"why"`
}

// Reason is the sentence a report shows for a step run elsewhere.
func (t *Target) Reason() string {
	switch {
	case t.Kind == "node":
		return "runs on a node of the cluster (" + t.Why + ")"
	case t.Pod != "" && t.Container != "":
		return fmt.Sprintf("runs inside container %s of Pod %s (%s)", t.Container, t.Pod, t.Why)
	case t.Pod != "":
		return fmt.Sprintf("runs inside Pod %s (%s)", t.Pod, t.Why)
	}
	return "runs inside a container (" + t.Why + ")"
}

var (
	// Prose that puts the next commands inside a container: "from inside
	// the Pod", "in the container", "in the shell", 「コンテナ内で」.
	containerCue = regexp.MustCompile(`(?i)\b(inside|within|from|in) (the|your|this|that|a|each) ([\w-]+ ){0,2}(container|pod)('s)? ?(shell|terminal)?\b|\b(in|from|at) (the|this|that|your) ([\w-]+ ){0,2}(container'?s? )?shell\b|コンテナ(内|の中|のシェル)|Pod(内|の中)|シェル(内|の中)?で`)
	// Prose that puts the next commands on a node: "on the node", "SSH
	// into", "on each control plane node", 「ノード上で」.
	nodeCue = regexp.MustCompile(`(?i)\b(on|onto|into|to) (the|each|every|a|your|all|one of the) ([\w-]+ ){0,3}(node|nodes|host|hosts|machine|machines)\b[^.]*\b(run|execute|type|log ?in|ssh|shell)|\bssh (in)?to\b|\blog ?in to (the|each|a) [\w -]*node|ノード上|ノード(に|へ)(SSH|ログイン)|ノードで(実行|ローカル)`)
	// Prose that says a container runs the next command by itself (its
	// manifest's command, shown for reading): "When the container starts,
	// it executes this command:", 「コンテナは次のコマンドを実行します」.
	containerRunsCue = regexp.MustCompile(`(?i)\bcontainers?\b[^.;]*\b(it|which|that|then)?\s*(executes|runs|will (run|execute)|starts? (by )?running)\b[^.;]*\b(this|the following|these|a|the) (command|commands|script)\b|コンテナ(は|が)[^。]*(コマンド|スクリプト)を実行(します|する|されます)`)
	// nodePaths are paths only a node of the cluster has.
	nodePaths = regexp.MustCompile(`(^|[\s=:'"])/(etc/kubernetes|var/lib/kubelet|var/lib/etcd|etc/containerd|var/log/pods|var/log/containers|etc/cni)(/|\s|$)`)
)

// target decides where a command step runs: inside the container an
// earlier step opened a shell in (until a command of the reader's terminal
// such as kubectl, an exit, or a new heading), inside a container or on a
// node when the prose right before the block says so, or on a node when
// it works with a node's own files or services.
func (w *walker) target(st *Step, b *block) {
	if st.Kind != KindCommand {
		return
	}
	sc := shell.Parse(st.Code)
	terminal := callsKubectl(sc)
	if w.shell != nil && w.shellSection == len(w.page.Doc.Sections) && !terminal {
		t := *w.shell
		t.Why = fmt.Sprintf("typed into the shell step %d opened", t.Step)
		st.Target = &t
		st.Reason = t.Reason()
		if last, ok := sc.Last(); ok && len(last.Args) > 0 && last.Args[0] == "exit" {
			w.shell = nil
		}
		return
	}
	w.shell = nil
	lead := b.lead
	if cmt := leadingComment(st.Code); cmt != "" {
		lead += " " + cmt
	}
	if !terminal && containerRunsCue.MatchString(b.lead) {
		st.Runnable = false
		st.Reason = "runs inside the container by itself: the command it starts with, shown for reading (the prose says so)"
		return
	}
	switch {
	case !terminal && nodeCue.MatchString(lead):
		st.Target = &Target{Kind: "node", Step: -1, Why: "the prose says so"}
	case !terminal && containerCue.MatchString(lead):
		st.Target = &Target{Kind: "container", Step: -1, Why: "the prose says so"}
	case !terminal && nodePaths.MatchString(st.Code):
		st.Target = &Target{Kind: "node", Step: -1, Why: "it uses a node's own files"}
	}
	if st.Target != nil {
		st.Reason = st.Target.Reason()
		return
	}
	if t := opensShell(sc); t != nil {
		t.Step = st.Index
		w.shell, w.shellSection = t, len(w.page.Doc.Sections)
	}
}

// callsKubectl reports whether the code runs kubectl (or another program
// of the reader's terminal rather than of a container image).
func callsKubectl(sc *shell.Script) bool {
	for _, c := range sc.Calls {
		switch p, _ := c.Program(); p {
		case "kubectl", "minikube", "kind", "helm", "kubeadm":
			return true
		}
	}
	return false
}

// leadingComment returns the comment lines at the top of a block ("# Run
// this in the container shell").
func leadingComment(code string) string {
	var b strings.Builder
	for _, l := range strings.Split(code, "\n") {
		t := strings.TrimSpace(l)
		if !strings.HasPrefix(t, "#") || strings.HasPrefix(t, "#!") {
			break
		}
		b.WriteString(strings.TrimLeft(t, "# ") + " ")
	}
	return b.String()
}

// shellPrograms are programs that read commands from a person: the shells
// and database clients pages open in containers.
var shellPrograms = toSet(`sh bash ash zsh dash ksh mysql psql mongo mongosh redis-cli cqlsh python python3 node irb`)

// opensShell returns where the last command of a block leaves the reader:
// in a shell (or a database client) inside a container, after kubectl exec
// -it POD -- sh, or kubectl run/attach -it with no command (busybox-like
// images start a shell). It returns nil otherwise.
func opensShell(sc *shell.Script) *Target {
	last, ok := sc.Last()
	if !ok || last.Background {
		return nil
	}
	inv, ok := kubectl.ReadCall(last)
	if !ok {
		return nil
	}
	if !inv.Bool("stdin") || !inv.Bool("tty") || len(inv.Args) == 0 {
		return nil
	}
	switch inv.Command() {
	case "exec", "run", "attach":
	default:
		return nil
	}
	if inv.Command() == "exec" && len(inv.Dash) == 0 {
		return nil
	}
	if len(inv.Dash) > 0 && commandEnds(inv.Invocation) {
		return nil
	}
	t := &Target{Kind: "container", Pod: inv.Args[0]}
	t.Namespace, _ = inv.Namespace()
	t.Container, _ = inv.Value("container")
	t.Pod = strings.TrimPrefix(strings.TrimPrefix(t.Pod, "pod/"), "pods/")
	return t
}

// scriptArgs reports whether a shell's or client's arguments give it
// something to run, so it does not wait for a person: sh -c '...' or bash
// script.sh; mysql -e '...', psql -c '...', mongosh --eval '...'.
func scriptArgs(prog string, args []string) bool {
	for _, a := range args {
		switch a {
		case "-c", "-e", "-f", "--execute", "--command", "--eval", "--file":
			return true
		}
	}
	switch prog {
	case "sh", "bash", "ash", "zsh", "dash", "ksh", "python", "python3", "node", "irb":
		for _, a := range args {
			if !strings.HasPrefix(a, "-") {
				return true // a script file
			}
			if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.Contains(a, "c") {
				return true // -ic, -lc
			}
		}
	}
	return false
}

// around returns the plain text of the paragraph right before a block and
// of the one right after it, for the cues about where commands run and
// what to replace, and the code spans of both.
func (w *walker) around(n ast.Node) (before, after string, spans []string) {
	para := func(p ast.Node) string {
		switch p.(type) {
		case *ast.Paragraph, *ast.TextBlock:
			for c := p.FirstChild(); c != nil; c = c.NextSibling() {
				if cs, ok := c.(*ast.CodeSpan); ok {
					spans = append(spans, plainText(cs, w.source))
				}
			}
			return plainText(p, w.source)
		}
		return ""
	}
	prev := n.PreviousSibling()
	for prev != nil {
		h, ok := prev.(*ast.HTMLBlock)
		if ok && isComment(h, w.source) && !isMarker(h, w.source) {
			prev = prev.PreviousSibling()
			continue
		}
		if ok && w.calloutEnd(h) {
			// A note right before the block speaks of it: its last
			// paragraph is the lead ("Replace X in the command with ...").
			prev = prev.PreviousSibling()
			continue
		}
		break
	}
	if prev != nil {
		before = para(prev)
	}
	if next := n.NextSibling(); next != nil {
		after = para(next)
	}
	return before, after, spans
}

// callouts are the shortcodes that set a paragraph apart as a note.
var callouts = map[string]bool{"note": true, "caution": true, "warning": true}

// calloutEnd reports whether an HTML block is the closing marker of a
// note, caution or warning shortcode.
func (w *walker) calloutEnd(h *ast.HTMLBlock) bool {
	var id int
	if _, err := fmt.Sscanf(strings.TrimSpace(string(blockText(h, w.source))), "<!--docrun-sc:/%d-->", &id); err != nil {
		return false
	}
	marks := w.page.Marks
	return id >= 0 && id < len(marks) && callouts[marks[id].Name]
}

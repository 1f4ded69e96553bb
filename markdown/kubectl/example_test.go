package kubectl_test

import (
	"fmt"

	"github.com/docrun/docrun/markdown/kubectl"
)

func ExampleParse() {
	// The words of `kubectl --context kind -n demo exec -it web -- sh`
	// after "kubectl", as a shell parser gives them.
	inv, err := kubectl.Parse([]string{"--context", "kind", "-n", "demo", "exec", "-it", "web", "--", "sh"})
	if err != nil {
		fmt.Println(err)
	}
	fmt.Println(inv)
	fmt.Println(inv.Command(), inv.Args, inv.Dash)
	ns, _ := inv.Namespace()
	fmt.Println(ns)
	fmt.Println(inv.Interactive())
	fmt.Println(inv.ReadOnly())
	// Output:
	// kubectl exec --context=kind --namespace=demo --stdin=true --tty=true web -- sh
	// exec [web] [sh]
	// demo
	// kubectl exec -i -t connects a terminal to the container true
	// false
}

func ExampleInvocation_Blocks() {
	for _, args := range [][]string{
		{"port-forward", "svc/web", "8080:80"},
		{"logs", "-f", "deploy/web"},
		{"edit", "deploy/web"},
		{"get", "pods", "-w"},
		{"rollout", "status", "deploy/web", "-w"},
	} {
		inv, _ := kubectl.Parse(args)
		fg, blocks := inv.Blocks(false)
		_, blocksInBackground := inv.Blocks(true)
		fmt.Printf("%v %v %q\n", blocks, blocksInBackground, fg)
	}
	// Output:
	// true false "kubectl port-forward serves until stopped"
	// true false "kubectl logs --follow streams until stopped"
	// true true "kubectl edit opens an editor"
	// true false "kubectl get --watch streams until stopped"
	// false false ""
}

func ExampleInvocation_Sources() {
	inv, _ := kubectl.Parse([]string{"apply", "-f", "https://k8s.io/examples/pods/pod.yaml,local.yaml", "-k", "overlays/dev"})
	for _, s := range inv.Sources() {
		fmt.Println(s.Path, s.Remote(), s.Kustomize)
	}
	// Output:
	// https://k8s.io/examples/pods/pod.yaml true false
	// local.yaml false false
	// overlays/dev false true
}

package markdown

import "strings"

// kubectlArgs is what docrun reads from a kubectl command line.
type kubectlArgs struct {
	verb       string   // the subcommand (get, exec, run, ...)
	positional []string // arguments after the subcommand that are not flags
	dash       []string // the command after --
	stdin, tty bool     // -i/--stdin, -t/--tty
	watch      bool     // -w/--watch/--watch-only, logs -f/--follow
	edit       bool     // create/apply --edit
	namespace  string   // -n/--namespace
	container  string   // -c/--container
}

// kubectlValueFlags are kubectl flags that take a separate value.
var kubectlValueFlags = toSet(`-n --namespace -c --container --context --kubeconfig --cluster --user -s --server
--token --as --as-group -l --selector -o --output -f --filename -k --kustomize --image --restart --overrides --env
--port --labels -L --label-columns --serviceaccount --pod-running-timeout --timeout --field-selector --sort-by
--template --type --replicas --from-literal --from-file --from-env-file --cert-file --key-file --namespace
--address --dry-run --docker-server --docker-username --docker-password --docker-email --tail --since --since-time
--limit-bytes --max-log-requests --profile --target --copy-to --resource --verb --subresource -p --patch
--patch-file --cascade --grace-period --request-timeout --chunk-size --raw --for --record --to-revision --revision
--schedule --expose --hostport --protocol --target-port --name --external-ip --session-affinity --cluster-ip
--load-balancer-ip --min --max --cpu-percent --show-labels --api-group --api-version --containers --field-manager`)

// readKubectl reads kubectl's arguments (after "kubectl"): global flags may
// come before the subcommand (kubectl -n ns exec -it pod -- sh).
func readKubectl(args []string) kubectlArgs {
	var k kubectlArgs
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			k.dash = args[i+1:]
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			if k.verb == "" {
				k.verb = a
			} else {
				k.positional = append(k.positional, a)
			}
			continue
		}
		name, value, hasValue := strings.Cut(a, "=")
		if k.verb == "logs" && (name == "-f" || name == "-p") {
			// --follow and --previous of kubectl logs
			k.watch = k.watch || name == "-f"
			continue
		}
		if !hasValue && kubectlValueFlags[name] && i+1 < len(args) {
			i++
			value, hasValue = args[i], true
		}
		switch {
		case name == "-n" || name == "--namespace":
			k.namespace = value
		case name == "-c" || name == "--container":
			k.container = value
		case name == "--stdin":
			k.stdin = value != "false"
		case name == "--tty":
			k.tty = value != "false"
		case name == "-w" || name == "--watch" || name == "--watch-only" || name == "--follow":
			k.watch = value != "false"
		case name == "--edit":
			k.edit = value != "false"
		case !strings.HasPrefix(name, "--") && len(name) > 2 && !hasValue:
			// combined shorthands: -it, -ti, -itq
			for _, r := range name[1:] {
				switch r {
				case 'i':
					k.stdin = true
				case 't':
					k.tty = true
				case 'w':
					k.watch = true
				case 'f':
					if k.verb == "logs" {
						k.watch = true
					}
				}
			}
		case name == "-i":
			k.stdin = true
		case name == "-t":
			k.tty = true
		}
	}
	return k
}

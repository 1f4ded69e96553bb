#!/usr/bin/env bash
# cluster.sh builds and runs docrun's local Kubernetes cluster: a real control
# plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler) started
# as local processes by kwokctl, with nodes simulated by kwok and
# a real node that runs containers (tools/node.sh) when the machine can run
# it; DOCRUN_CLUSTER=kwok leaves it out.
#
#   tools/cluster.sh build     build the binaries and offline images missing from ./bin
#   tools/cluster.sh up        start the cluster "docrun" (or reuse a healthy one)
#                              and print the `export KUBECONFIG=...` line
#   tools/cluster.sh down      stop every process of the cluster (the real node's
#                              too), remove its state, restore the machine
#   tools/cluster.sh status    say whether the cluster is up and healthy
#   tools/cluster.sh env       print the `export KUBECONFIG=...` line
#   tools/cluster.sh node-up   add the real node to the running cluster
#   tools/cluster.sh node-down remove the real node only
#
# Everything lives in the repository: binaries in ./bin, state (kwokctl's work
# dir, logs, certificates, kubeconfig) in ./.cluster. Both are ignored by git.
# ~/.kube/config is never read or written. Progress goes to stderr; only the
# export line goes to stdout, so `eval "$(tools/cluster.sh up)"` works.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS=$ROOT/tools
BIN=$ROOT/bin
STATE=$ROOT/.cluster
NAME=docrun
KCFG=$STATE/kubeconfig
LOCK=$STATE/lock
NODES=(docrun-node-0 docrun-node-1)
# WAIT bounds each wait of `up` (API ready, nodes Ready, service account).
WAIT=${DOCRUN_CLUSTER_WAIT:-90}

# The versions are pinned by tools/go.mod. The Kubernetes version is read from
# it and stamped into the binaries: unset, the server reports
# v0.0.0-master+$Format:%H$ and `kubectl version` fails.
KUBE_VERSION=$(awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v1\./ { print $2; exit }' "$TOOLS/go.mod")
[[ -n $KUBE_VERSION ]] || { echo "cluster: error: no k8s.io/kubernetes requirement in $TOOLS/go.mod" >&2; exit 1; }
KUBE_MINOR=${KUBE_VERSION#v1.}
KUBE_MINOR=${KUBE_MINOR%%.*}
VERSION_LDFLAGS="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
	VERSION_LDFLAGS+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$KUBE_MINOR"
done
VERSION_LDFLAGS+=" -X k8s.io/component-base/version.gitCommit=0000000000000000000000000000000000000000"
VERSION_LDFLAGS+=" -X k8s.io/component-base/version.gitTreeState=clean"
VERSION_LDFLAGS+=" -X k8s.io/component-base/version.buildDate=2026-01-01T00:00:00Z"

KUBE_CMDS=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
ALL_BINS=(etcd kwokctl kwok "${KUBE_CMDS[@]}")

log() { printf 'cluster: %s\n' "$*" >&2; }
die() {
	printf 'cluster: error: %s\n' "$*" >&2
	exit 1
}

# shellcheck source=tools/node-build.sh
source "$TOOLS/node-build.sh"
# shellcheck source=tools/node.sh
source "$TOOLS/node.sh"
source "$TOOLS/docrun-image.sh"

# show_logs prints the end of each component's log, for a failed start.
show_logs() {
	local f
	for f in "$STATE/clusters/$NAME/logs"/*.log; do
		[[ -f $f ]] || continue
		printf '\n==> %s <==\n' "$f" >&2
		tail -n 15 "$f" >&2
	done
}

# kubectl runs ./bin/kubectl against the cluster's own kubeconfig only, with
# its discovery cache in the state folder rather than ~/.kube/cache.
kubectl() {
	KUBECACHEDIR=$STATE/kubectl-cache "$BIN/kubectl" --kubeconfig "$KCFG" --request-timeout=10s "$@"
}

# kwokctl runs ./bin/kwokctl with its work dir in the state folder, so it
# reads no config from ~/.kwok and writes nothing there. KUBECONFIG is set
# because kwokctl's --kubeconfig default comes from it. The lock's descriptor
# is closed for it: the components it starts would inherit it and hold the
# lock for as long as they run.
kwokctl() {
	KWOK_WORKDIR=$STATE KWOK_KUBECTL_BINARY=$BIN/kubectl KUBECONFIG=$KCFG \
		"$BIN/kwokctl" --name "$NAME" --v WARN "$@" 9>&-
}

# kwokctl_config binds every component to the loopback interface; kwokctl's
# default is 0.0.0.0, which would open etcd, without TLS, to the network.
# kwok simulates only the nodes annotated kwok.x-k8s.io/node=fake (nodes_manifest),
# never the real node nor its Pods.
# The API server reaches a kubelet (the real node's) by its InternalIP only,
# so that no node name is ever looked up in the machine's resolver; the
# service range is its default, written out for the real node's routes.
# The scheduler and the controller manager run without leader election: there
# is one of each, and on a loaded machine a late lease renewal made the
# scheduler exit ("Leaderelection lost"), leaving Pods Pending. The
# controller manager signs approved CertificateSigningRequests with the
# cluster's CA, as kubeadm's does (pages issue users' certificates).
kwokctl_config() {
	cat >"$STATE/kwokctl.yaml" <<EOF
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
options:
  bindAddress: 127.0.0.1
componentsPatches:
- name: kube-apiserver
  extraArgs:
  - key: service-cluster-ip-range
    value: $SVC_CIDR
  - key: kubelet-preferred-address-types
    value: InternalIP
- name: kwok-controller
  extraArgs:
  - key: manage-all-nodes
    value: "false"
  - key: manage-nodes-with-annotation-selector
    value: kwok.x-k8s.io/node=fake
- name: kube-scheduler
  extraArgs:
  - key: leader-elect
    value: "false"
- name: kube-controller-manager
  extraArgs:
  - key: leader-elect
    value: "false"
  - key: cluster-signing-cert-file
    value: $STATE/clusters/$NAME/pki/ca.crt
  - key: cluster-signing-key-file
    value: $STATE/clusters/$NAME/pki/ca.key
EOF
}

cmd_build() {
	command -v go >/dev/null || die "go is not on PATH (expected Go at /usr/local/go/bin)"
	mkdir -p "$BIN"
	local b missing=() kube=() t0
	for b in "${ALL_BINS[@]}"; do
		[[ -x $BIN/$b ]] || missing+=("$b")
	done
	if ((${#missing[@]} == 0)); then
		log "all control-plane binaries present in $BIN (delete one to rebuild it)"
		node_build
		return
	fi
	log "building ${missing[*]} into $BIN (cold: up to 40 minutes on 2 cores; with the Go build cache warm: about 2 minutes)"
	cd "$TOOLS"
	for b in "${missing[@]}"; do
		t0=$SECONDS
		case $b in
		etcd) go build -ldflags "-s -w" -o "$BIN/etcd" ./etcd ;;
		kwokctl | kwok) go build -ldflags "-s -w" -o "$BIN/$b" "sigs.k8s.io/kwok/cmd/$b" ;;
		*)
			kube+=("$b")
			continue
			;;
		esac
		log "built $b in $((SECONDS - t0))s"
	done
	for b in "${kube[@]}"; do
		t0=$SECONDS
		go build -ldflags "$VERSION_LDFLAGS" -o "$BIN/$b" "k8s.io/kubernetes/cmd/$b"
		log "built $b in $((SECONDS - t0))s"
	done
	node_build
}

check_binaries() {
	local b missing=()
	for b in "${ALL_BINS[@]}"; do
		[[ -x $BIN/$b ]] || missing+=("$BIN/$b")
	done
	if ((${#missing[@]})); then
		die "missing binaries: ${missing[*]} (run \`make cluster-tools\` first; kwokctl must never download them)"
	fi
}

# healthy succeeds when every component runs, the API server answers
# /readyz and both simulated nodes are Ready.
healthy() {
	[[ -s $KCFG && -x $BIN/kubectl ]] || return 1
	components_alive || return 1
	[[ $(kubectl get --raw /readyz 2>/dev/null) == ok ]] || return 1
	[[ $(ready_nodes) == "${#NODES[@]}" ]]
}

# components_alive succeeds when every component kwokctl started (etcd, the
# API server, the controller manager, the scheduler, kwok) still runs: the
# API answers without a scheduler, but Pods would never be scheduled.
components_alive() {
	local dir=$STATE/clusters/$NAME/pids f pid n=0
	[[ -d $dir ]] || return 1
	for f in "$dir"/*.pid; do
		[[ -e $f ]] || return 1
		pid=$(<"$f")
		[[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
		n=$((n + 1))
	done
	((n >= 5))
}

ready_nodes() {
	kubectl get nodes "${NODES[@]}" \
		-o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' \
		2>/dev/null | grep -c '^True$' || true
}

# wait_for retries a command once a second for up to WAIT seconds.
wait_for() {
	local what=$1 deadline=$((SECONDS + WAIT))
	shift
	until "$@"; do
		if ((SECONDS >= deadline)); then
			show_logs
			die "timed out after ${WAIT}s waiting for $what (logs: $STATE/clusters/$NAME/logs)"
		fi
		sleep 1
	done
}

api_ready() { [[ $(kubectl get --raw /readyz 2>/dev/null) == ok ]]; }
nodes_ready() { [[ $(ready_nodes) == "${#NODES[@]}" ]]; }
default_sa() { kubectl -n default get serviceaccount default >/dev/null 2>&1; }

lock() {
	mkdir -p "$STATE"
	exec 9>"$LOCK"
	flock -w 900 9 || die "another cluster.sh holds $LOCK for more than 15 minutes"
}

# ours lists the processes started from the state folder: kwokctl starts each
# component through a link in $STATE/clusters/$NAME/bin and points it at files
# in $STATE, so their command lines name the state folder.
ours() {
	local p cmd
	for p in /proc/[0-9]*; do
		[[ ${p#/proc/} == "$$" ]] && continue
		cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
		case $cmd in
		"$STATE"/* | "$BIN"/*"$STATE"/*) echo "${p#/proc/}" ;;
		esac
	done
}

teardown() {
	local pids all i p f
	all=$(ours)
	# kwokctl delete kills the pid of each pid file. A pid file that outlived
	# its process (after a reboot, say) may name an unrelated process now:
	# keep only those naming a process of ours.
	for f in "$STATE/clusters/$NAME/pids"/*.pid; do
		[[ -f $f ]] || continue
		grep -qxF "$(cat "$f")" <<<"$all" || rm -f "$f"
	done
	if [[ -x $BIN/kwokctl && -d $STATE/clusters/$NAME ]]; then
		kwokctl delete cluster --kubeconfig "$KCFG" >&2 || log "kwokctl delete failed; killing the processes instead"
	fi
	for i in $(seq 1 20); do
		pids=$(ours)
		[[ -z $pids ]] && break
		# shellcheck disable=SC2086 # one pid per word
		if ((i < 10)); then kill $pids 2>/dev/null || true; else kill -9 $pids 2>/dev/null || true; fi
		sleep 0.5
	done
	pids=$(ours)
	[[ -z $pids ]] || die "processes still running after teardown: $pids"
	# Wait until the killed processes are reaped too, so ps lists none of them.
	for i in $(seq 1 20); do
		pids=
		for p in $all; do [[ -e /proc/$p ]] && pids+=" $p"; done
		[[ -z $pids ]] && break
		sleep 0.5
	done
	find "$STATE" -mindepth 1 -maxdepth 1 ! -name lock -exec rm -rf {} +
}

nodes_manifest() {
	local n
	for n in "${NODES[@]}"; do
		cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: $n
  annotations:
    node.alpha.kubernetes.io/ttl: "0"
    kwok.x-k8s.io/node: fake
  labels:
    type: kwok
    kubernetes.io/arch: amd64
    kubernetes.io/os: linux
    kubernetes.io/hostname: $n
    node-role.kubernetes.io/agent: ""
status:
  capacity:
    cpu: "32"
    memory: 256Gi
    pods: "110"
  allocatable:
    cpu: "32"
    memory: 256Gi
    pods: "110"
  nodeInfo:
    architecture: amd64
    operatingSystem: linux
    kubeletVersion: fake
    kubeProxyVersion: fake
EOF
	done
}

print_env() { printf 'export KUBECONFIG=%s\n' "$KCFG"; }

cmd_up() {
	local t0=$SECONDS
	lock
	if healthy; then
		log "cluster $NAME is already up and healthy; reusing it"
		maybe_node_up
		print_env
		return
	fi
	check_binaries
	if [[ -n $(ours) || -n $(find "$STATE" -mindepth 1 -maxdepth 1 ! -name lock) ]]; then
		log "removing the stale state of an unhealthy cluster"
		teardown
	fi
	log "creating cluster $NAME (state in $STATE)"
	kwokctl_config
	kwokctl create cluster \
		--config "$STATE/kwokctl.yaml" \
		--runtime binary \
		--etcd-binary "$BIN/etcd" \
		--kube-apiserver-binary "$BIN/kube-apiserver" \
		--kube-controller-manager-binary "$BIN/kube-controller-manager" \
		--kube-scheduler-binary "$BIN/kube-scheduler" \
		--kwok-controller-binary "$BIN/kwok" \
		--kubeconfig "$KCFG" \
		--quiet-pull \
		--timeout 120s >&2 || {
		show_logs
		die "kwokctl create cluster failed (logs: $STATE/clusters/$NAME/logs)"
	}
	wait_for "the API server to answer /readyz" api_ready
	nodes_manifest | kubectl apply -f - >&2 || die "could not create the nodes ${NODES[*]}"
	wait_for "nodes ${NODES[*]} to be Ready" nodes_ready
	wait_for "the default ServiceAccount (kube-controller-manager)" default_sa
	maybe_node_up
	log "cluster $NAME is up in $((SECONDS - t0))s"
	print_env
}

# maybe_node_up starts the real node (DOCRUN_CLUSTER=real, the default)
# when the machine can run it, or says why the cluster runs without it.
# DOCRUN_CLUSTER=kwok is the light cluster: a real node left by an earlier
# up is removed.
maybe_node_up() {
	case ${DOCRUN_CLUSTER:-real} in
	kwok)
		if [[ -d $NODE_STATE ]]; then
			log "DOCRUN_CLUSTER=kwok: removing the real node $NODE_NAME"
			node_unguard
			node_down
		fi
		return
		;;
	real) ;;
	*) die "DOCRUN_CLUSTER=$DOCRUN_CLUSTER: want kwok or real" ;;
	esac
	if node_healthy; then
		log "real node $NODE_NAME is up and healthy; reusing it"
	elif ! node_up; then
		log "running with the simulated nodes only"
		return
	fi
	node_guard || die "could not taint the simulated nodes"
}

cmd_down() {
	local t0=$SECONDS
	lock
	[[ ! -d $NODE_STATE ]] || node_unguard
	node_down
	teardown
	log "cluster $NAME is down in $((SECONDS - t0))s"
}

cmd_status() {
	if healthy; then
		log "cluster $NAME is up and healthy"
		if [[ -d $NODE_STATE ]]; then
			if node_healthy; then log "real node $NODE_NAME is up (state in $NODE_STATE)"; else log "real node: not healthy (logs: $NODE_STATE/logs)"; fi
		fi
		kubectl get nodes >&2
		print_env
	elif [[ -n $(ours) ]]; then
		log "cluster $NAME has processes ($(ours | tr '\n' ' ')) but is not healthy"
		exit 1
	else
		log "cluster $NAME is not running"
		exit 1
	fi
}

# node_lock serializes node-up and node-down (not the cluster's lock: they
# leave the control plane alone).
node_lock() {
	mkdir -p "$(dirname "$NODE_STATE")"
	exec 8>"$NODE_STATE.lock"
	flock -w 300 8 || die "another cluster.sh holds $NODE_STATE.lock"
}

case ${1:-} in
build) cmd_build ;;
node-up)
	node_lock
	api_ready || die "the cluster is not up (make cluster-up)"
	node_up
	;;
node-down)
	node_lock
	[[ ! -d $NODE_STATE ]] || node_unguard
	node_down
	;;
up) cmd_up ;;
down) cmd_down ;;
status) cmd_status ;;
env) print_env ;;
image) docrun_image "${2:-}" ;;
*)
	echo "usage: $0 build|up|down|status|env|node-up|node-down|image TAG" >&2
	exit 2
	;;
esac

# node.sh: the local cluster's real node, sourced by cluster.sh. node_up
# starts, beside the kwok nodes, a node that runs containers: containerd (with
# runc and the CNI bridge), a kubelet, kube-proxy, CoreDNS for cluster.local
# and the offline registry that containerd uses as the mirror of every
# registry. node_down stops it and puts the machine back as it was: every
# process, mount, network namespace, link, iptables rule, cgroup, kernel
# setting and file the node made is removed or restored.
#
# Network safety: no packet of a pod, a Service or the node leaves the machine.
# Pods have no default route (only the pod and service ranges), nothing is
# masqueraded towards another interface, and a chain of the mangle table drops
# every packet from or to the pod and service ranges that would go out of an
# interface other than the node's bridge and loopback. It is in place before
# containerd starts.

NODE_STATE=${DOCRUN_NODE_STATE:-$STATE/node}
NODE_NAME=${DOCRUN_NODE_NAME:-}            # see node_name
NODE_TAINT=${DOCRUN_NODE_TAINT:-}         # such as docrun.dev/real=dev:NoSchedule
NODE_BRIDGE=${DOCRUN_NODE_BRIDGE:-docrun0}
POD_CIDR=10.244.0.0/24
NODE_IP=10.244.0.1
API_FORWARD_PORT=6443 # docrun-apiforward: the API server as Pods reach it
SVC_CIDR=10.0.0.0/24 # kube-apiserver's default --service-cluster-ip-range
DNS_IP=10.0.0.10
KUBELET_PORT=10250
SAFETY_CHAIN=DOCRUN-NODE-SAFETY
SIMULATED_TAINT=docrun.dev/simulated=true:PreferNoSchedule
OFFLINE_CM=docrun-offline-images
GUARD_POLICY=docrun-real-node-network
CNI_BIN=/usr/lib/cni

# NODE_SYSCTLS: the kernel settings the node (or the kubelet and kube-proxy it
# starts) may change; node_down restores the values node_up found.
NODE_SYSCTLS=(
	net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables
	vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops
	kernel.keys.root_maxkeys kernel.keys.root_maxbytes net.ipv4.conf.all.route_localnet
	net.netfilter.nf_conntrack_max net.netfilter.nf_conntrack_tcp_timeout_established
	net.netfilter.nf_conntrack_tcp_timeout_close_wait
)

# NODE_PATHS: places outside the state folder that the kubelet, containerd,
# runc or the CNI plugins write to whatever they are told; node_down removes
# those that did not exist before node_up.
NODE_PATHS=(
	/var/lib/kubelet /var/log/pods /var/log/containers /var/lib/cni /run/netns /var/run/netns
	/run/containerd /var/lib/containerd /opt/containerd /etc/cni /opt/cni /run/nri /var/run/nri
	/etc/containerd /etc/kubernetes /var/lib/kube-proxy /run/xtables.lock /run/runc
)

nlog() { log "real node: $*"; }

# node_name sets NODE_NAME: docrun-real when the API server reaches kubelets
# by their InternalIP only (kwokctl_config); on a cluster started without
# that setting, the node's address itself, so that the API server never
# looks a node name up in the machine's resolver.
node_name() {
	[[ -z $NODE_NAME ]] || return 0
	if grep -q -- 'kubelet-preferred-address-types=InternalIP' "$STATE/clusters/$NAME/kwok.yaml" 2>/dev/null; then
		NODE_NAME=docrun-real
	else
		NODE_NAME=$NODE_IP
	fi
}

# node_possible prints why this machine cannot run the real node, or nothing.
node_possible() {
	local b missing=()
	[[ $(uname -s) == Linux ]] || { echo "not Linux"; return; }
	[[ $(id -u) == 0 ]] || { echo "not root"; return; }
	grep -qw overlay /proc/filesystems || { echo "no overlay file system in /proc/filesystems"; return; }
	[[ -d /sys/fs/cgroup/memory && -d /sys/fs/cgroup/cpu ]] || { echo "no cgroup v1 memory and cpu hierarchies (cgroup v2 alone is not supported yet)"; return; }
	for b in "${NODE_BINS[@]}"; do [[ -x $BIN/$b ]] || missing+=("$b"); done
	((${#missing[@]} == 0)) || { echo "missing ${missing[*]} in $BIN (make cluster-tools)"; return; }
	b=$(node_debs_missing)
	[[ -z $b ]] || { echo "Debian packages missing: $b"; return; }
	[[ -f $IMAGES/index.json ]] || { echo "no offline images in $IMAGES (make cluster-tools)"; return; }
	cgroup_root >/dev/null || { echo "$(cgroup_root 2>&1)"; return; }
}

# cgroup_root prints the kubelet's cgroupRoot: a cgroup below the one this
# script runs in, in every v1 hierarchy. The kubelet takes one path for all
# hierarchies, so the deepest of this script's paths must contain the others.
cgroup_root() {
	local line path deepest=/ p
	local paths=()
	while IFS= read -r line; do
		[[ $line == 0::* ]] && continue
		paths+=("${line#*:*:}")
	done </proc/self/cgroup
	for p in "${paths[@]}"; do ((${#p} > ${#deepest})) && deepest=$p; done
	for p in "${paths[@]}"; do
		[[ $p == / || $deepest == "$p" || $deepest == "$p"/* ]] ||
			{ echo "this script's cgroups ($p, $deepest) are not nested: no single cgroupRoot is below all of them" >&2; return 1; }
	done
	path=${deepest%/}/docrun-node
	printf '%s\n' "$path"
}

# cgroup_dirs prints the mount point of every hierarchy (runc also makes the
# containers' cgroups in the unified one of a hybrid machine).
cgroup_dirs() { awk '$3 == "cgroup" || $3 == "cgroup2" { print $2 }' /proc/mounts; }

# cgroup_make creates the cgroup root in every hierarchy and records the
# first folder it created in each, for node_down. A new cpuset cgroup gets
# its parent's CPUs and memory nodes, or no process could join it.
cgroup_make() {
	local root=$1 dir d rel part
	for dir in $(cgroup_dirs); do
		d=$dir
		rel=${root#/}
		local first=
		IFS=/ read -ra parts <<<"$rel"
		for part in "${parts[@]}"; do
			if [[ ! -d $d/$part ]]; then
				mkdir "$d/$part" || return 1
				[[ -n $first ]] || first=$d/$part
				if [[ -f $d/cpuset.cpus ]]; then
					cat "$d/cpuset.cpus" >"$d/$part/cpuset.cpus"
					cat "$d/cpuset.mems" >"$d/$part/cpuset.mems"
				fi
			fi
			d=$d/$part
		done
		[[ -z $first ]] || echo "$first" >>"$NODE_STATE/cgroups-created"
	done
}

# node_snapshot records what node_down restores: kernel settings, the paths
# that existed, the nftables tables.
node_snapshot() {
	local s p
	: >"$NODE_STATE/sysctls"
	for s in "${NODE_SYSCTLS[@]}"; do
		p=/proc/sys/${s//.//}
		[[ -f $p ]] && printf '%s=%s\n' "$s" "$(<"$p")" >>"$NODE_STATE/sysctls"
	done
	: >"$NODE_STATE/paths-existing"
	for p in "${NODE_PATHS[@]}"; do
		[[ -e $p || -L $p ]] && echo "$p" >>"$NODE_STATE/paths-existing"
	done
	nft list tables 2>/dev/null | sort >"$NODE_STATE/nft-tables" || true
	ls /run/netns 2>/dev/null | sort >"$NODE_STATE/netns" || true
}

# machine_state prints what node_down must leave as node_up found it: links,
# routes, network namespaces, iptables and nftables, mounts, kernel settings.
machine_state() {
	local s p
	ip -o link show | awk -F': ' '{ print "link " $2 }' | sed 's/@.*//'
	ip route show | sed 's/^/route /'
	ls /run/netns 2>/dev/null | sed 's/^/netns /' || true
	iptables-save 2>/dev/null | grep -v '^#' | sed -E 's/\[[0-9]+:[0-9]+\]//; s/^/iptables /' || true
	ip6tables-save 2>/dev/null | grep -v '^#' | sed -E 's/\[[0-9]+:[0-9]+\]//; s/^/ip6tables /' || true
	nft list tables 2>/dev/null | sed 's/^/nft /' || true
	awk '{ print "mount " $5 }' /proc/self/mountinfo
	for s in "${NODE_SYSCTLS[@]}"; do
		p=/proc/sys/${s//.//}
		[[ -f $p ]] && printf 'sysctl %s=%s\n' "$s" "$(<"$p")"
	done
}

sysctl_set() { printf '%s' "$2" >"/proc/sys/${1//.//}"; }

# node_network makes the bridge (the node's address, 10.244.0.1), its routes
# (the pod range, and the service range so that no service address is ever
# routed elsewhere) and the safety chain, before any pod can start.
node_network() {
	ip link add "$NODE_BRIDGE" type bridge || return 1
	ip addr add "$NODE_IP/${POD_CIDR#*/}" dev "$NODE_BRIDGE"
	ip link set "$NODE_BRIDGE" up
	ip route add "$SVC_CIDR" dev "$NODE_BRIDGE"
	iptables -t mangle -N "$SAFETY_CHAIN"
	local r
	for r in "-o $NODE_BRIDGE -j RETURN" "-o lo -j RETURN" \
		"-m conntrack --ctorigsrc $POD_CIDR -j DROP" "-m conntrack --ctorigdst $POD_CIDR -j DROP" \
		"-m conntrack --ctorigdst $SVC_CIDR -j DROP" \
		"-s $POD_CIDR -j DROP" "-d $POD_CIDR -j DROP" "-d $SVC_CIDR -j DROP"; do
		# shellcheck disable=SC2086 # a rule is several words
		iptables -t mangle -A "$SAFETY_CHAIN" $r
	done
	iptables -t mangle -I POSTROUTING 1 -j "$SAFETY_CHAIN"
	sysctl_set net.bridge.bridge-nf-call-iptables 1
	sysctl_set net.ipv4.ip_forward 1
}

node_configs() {
	local N=$NODE_STATE port=$1 cgroot=$2 reg
	reg=http://127.0.0.1:$port
	mkdir -p "$N/cni/net.d" "$N/certs.d" "$N/logs"
	cat >"$N/cni/net.d/10-docrun.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "docrun",
  "plugins": [
    {
      "type": "bridge", "bridge": "$NODE_BRIDGE", "isGateway": true, "isDefaultGateway": false,
      "ipMasq": false, "hairpinMode": true,
      "ipam": {
        "type": "host-local", "dataDir": "$N/cni/ipam",
        "ranges": [[{"subnet": "$POD_CIDR", "gateway": "$NODE_IP"}]],
        "routes": [{"dst": "$SVC_CIDR"}]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
	local h
	for h in _default docker.io registry.k8s.io gcr.io quay.io ghcr.io mcr.microsoft.com registry-1.docker.io; do
		mkdir -p "$N/certs.d/$h"
		printf 'server = "%s"\n\n[host."%s"]\n  capabilities = ["pull", "resolve"]\n' "$reg" "$reg" >"$N/certs.d/$h/hosts.toml"
	done
	cat >"$N/containerd.toml" <<EOF
version = 4
root = "$N/containerd/root"
state = "$N/containerd/state"
imports = []
disabled_plugins = [
  "io.containerd.internal.v1.opt", "io.containerd.nri.v1.nri", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.blockfile", "io.containerd.snapshotter.v1.erofs",
  "io.containerd.differ.v1.erofs", "io.containerd.mount-handler.v1.erofs",
  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing",
]

[plugins."io.containerd.server.v1.grpc"]
  address = "$N/containerd.sock"
[plugins."io.containerd.server.v1.ttrpc"]
  address = "$N/containerd.sock.ttrpc"
[plugins."io.containerd.transfer.v1.local"]
  config_path = "$N/certs.d"

[plugins."io.containerd.cri.v1.images"]
  snapshotter = "overlayfs"
  [plugins."io.containerd.cri.v1.images".pinned_images]
    sandbox = "registry.k8s.io/pause:3.10.1"
  [plugins."io.containerd.cri.v1.images".registry]
    config_path = "$N/certs.d"

[plugins."io.containerd.cri.v1.runtime"]
  enable_selinux = false
  restrict_oom_score_adj = true
  disable_apparmor = true
  [plugins."io.containerd.cri.v1.runtime".cni]
    bin_dirs = ["$CNI_BIN"]
    conf_dir = "$N/cni/net.d"
  [plugins."io.containerd.cri.v1.runtime".containerd]
    default_runtime_name = "runc"
    [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc.options]
        BinaryName = "$(command -v runc)"
        SystemdCgroup = false
        Root = "$N/runc"

[plugins."io.containerd.grpc.v1.cri"]
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
EOF
	local taints=
	[[ -z $NODE_TAINT ]] || taints="registerWithTaints:
- key: ${NODE_TAINT%%=*}
  value: $(v=${NODE_TAINT#*=}; echo "${v%%:*}")
  effect: ${NODE_TAINT##*:}"
	cat >"$N/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: $KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 0
authentication:
  anonymous:
    enabled: true
  webhook:
    enabled: false
  x509:
    clientCAFile: $STATE/clusters/$NAME/pki/ca.crt
authorization:
  mode: AlwaysAllow
cgroupDriver: cgroupfs
cgroupRoot: $cgroot
cgroupsPerQOS: true
failCgroupV1: false
failSwapOn: false
oomScoreAdj: 0
resolvConf: ""
clusterDNS: [$DNS_IP]
clusterDomain: cluster.local
containerRuntimeEndpoint: unix://$N/containerd.sock
podLogsDir: $N/pod-logs
podCIDR: $POD_CIDR
enforceNodeAllocatable: [pods]
evictionHard:
  memory.available: 100Mi
  nodefs.available: 1%
  imagefs.available: 1%
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
syncFrequency: 10s
fileCheckFrequency: 0s
staticPodPath: ""
makeIPTablesUtilChains: false
protectKernelDefaults: false
$taints
EOF
	cat >"$N/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection:
  kubeconfig: $KCFG
hostnameOverride: $NODE_NAME
bindAddress: $NODE_IP
clusterCIDR: $POD_CIDR
mode: iptables
iptables:
  masqueradeAll: false
  localhostNodePorts: false
nodePortAddresses: [$NODE_IP/32]
conntrack:
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
EOF
	cat >"$N/Corefile" <<EOF
cluster.local:53 in-addr.arpa:53 ip6.arpa:53 {
    bind $NODE_IP
    errors
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $KCFG
        pods insecure
        ttl 5
    }
    cache 5
    loadbalance
}
.:53 {
    bind $NODE_IP
    errors
    template ANY ANY {
        rcode NXDOMAIN
    }
}
EOF
}

# node_start starts a component in the background with its log in the state
# folder and records its pid.
node_start() {
	local name=$1
	shift
	setsid "$@" >"$NODE_STATE/logs/$name.log" 2>&1 </dev/null 8>&- 9>&- &
	echo $! >"$NODE_STATE/pids/$name"
}

node_alive() { local f=$NODE_STATE/pids/$1; [[ -f $f ]] && kill -0 "$(<"$f")" 2>/dev/null; }

# node_wait waits up to WAIT seconds for a command while the component runs.
node_wait() {
	local what=$1 comp=$2 deadline=$((SECONDS + WAIT))
	shift 2
	until "$@"; do
		if ! node_alive "$comp" || ((SECONDS >= deadline)); then
			tail -n 20 "$NODE_STATE/logs/$comp.log" >&2
			nlog "$what: failed (logs: $NODE_STATE/logs)"
			return 1
		fi
		sleep 0.5
	done
}

registry_addr() { [[ -s $NODE_STATE/registry.addr ]]; }
node_ready() {
	[[ $(kubectl get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null) == True ]]
}
socket_up() { [[ -S $1 ]]; }

# dns_service makes the Service kube-dns (10.0.0.10) whose endpoint is
# CoreDNS on the node's address, as kubeadm's clusters have it.
dns_service() {
	kubectl apply -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: kube-dns
  namespace: kube-system
  labels: {k8s-app: kube-dns, kubernetes.io/name: CoreDNS}
spec:
  clusterIP: $DNS_IP
  ports:
  - {name: dns, port: 53, protocol: UDP, targetPort: 53}
  - {name: dns-tcp, port: 53, protocol: TCP, targetPort: 53}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: kube-dns-node
  namespace: kube-system
  labels: {kubernetes.io/service-name: kube-dns, endpointslice.kubernetes.io/managed-by: docrun}
addressType: IPv4
endpoints:
- addresses: [$NODE_IP]
  conditions: {ready: true}
ports:
- {name: dns, port: 53, protocol: UDP}
- {name: dns-tcp, port: 53, protocol: TCP}
EOF
}

# offline_images_configmap lists the images the registry serves, one full
# reference a line, in the ConfigMap kube-system/docrun-offline-images (key
# "images"), for programs that check a page's images before running it.
offline_images_configmap() {
	local list
	list=$("$BIN/docrun-registry" list -layout "$IMAGES" | sort) || return 1
	kubectl -n kube-system create configmap "$OFFLINE_CM" --from-literal=images="$list" \
		--dry-run=client -o yaml | kubectl apply -f -
}

# node_up starts the real node; it prints the reason and fails when the
# machine cannot run it.
node_up() {
	local t0=$SECONDS why cgroot port
	why=$(node_possible)
	[[ -z $why ]] || { nlog "not started: $why"; return 1; }
	[[ ! -d $NODE_STATE ]] || node_down
	node_name
	cgroot=$(cgroup_root)
	mkdir -p "$NODE_STATE/pids" "$NODE_STATE/logs"
	machine_state | sort >"$NODE_STATE/machine-before"
	node_snapshot
	echo "$NODE_NAME" >"$NODE_STATE/name"
	cgroup_make "$cgroot" || { nlog "could not create the cgroup $cgroot"; node_down; return 1; }
	node_network || { nlog "could not set up the bridge $NODE_BRIDGE"; node_down; return 1; }
	node_start registry "$BIN/docrun-registry" serve -addr 127.0.0.1:0 -layout "$IMAGES" \
		-blobs "$NODE_STATE/registry" -addr-file "$NODE_STATE/registry.addr"
	node_wait "the registry" registry registry_addr || { node_down; return 1; }
	port=$(<"$NODE_STATE/registry.addr")
	port=${port##*:}
	node_configs "$port" "$cgroot"
	network_guard || { nlog "could not keep the Pods that reach the network off the node (admission policies)"; node_down; return 1; }
	node_start containerd "$BIN/containerd" --config "$NODE_STATE/containerd.toml"
	node_wait "containerd" containerd socket_up "$NODE_STATE/containerd.sock" || { node_down; return 1; }
	node_start kubelet "$BIN/kubelet" --config "$NODE_STATE/kubelet.yaml" --kubeconfig "$KCFG" \
		--root-dir "$NODE_STATE/kubelet" --cert-dir "$NODE_STATE/kubelet/pki" \
		--hostname-override "$NODE_NAME" --node-ip "$NODE_IP" \
		--node-labels "type=real,docrun.dev/real=true" --v 1
	node_start kube-proxy "$BIN/kube-proxy" --config "$NODE_STATE/kube-proxy.yaml" --v 1
	api_forward
	dns_service >&2 || { nlog "could not create the Service kube-dns"; node_down; return 1; }
	offline_images_configmap >&2 || { nlog "could not create the ConfigMap $OFFLINE_CM"; node_down; return 1; }
	node_start coredns "$BIN/coredns" -conf "$NODE_STATE/Corefile"
	node_wait "the node $NODE_NAME to be Ready" kubelet node_ready || { node_down; return 1; }
	local c
	for c in registry containerd kubelet kube-proxy coredns apiforward; do
		node_alive "$c" && continue
		tail -n 20 "$NODE_STATE/logs/$c.log" >&2
		nlog "$c exited (logs: $NODE_STATE/logs)"
		node_down
		return 1
	done
	nlog "$NODE_NAME is Ready in $((SECONDS - t0))s (containerd, kubelet, kube-proxy, CoreDNS on $DNS_IP, registry on 127.0.0.1:$port; state in $NODE_STATE)"
}

# api_forward starts docrun-apiforward: the API server listens on 127.0.0.1
# only, and so is the kubernetes Service's endpoint, which Pods cannot
# reach; the forwarder gives them $NODE_IP:$API_FORWARD_PORT (bytes only,
# TLS end to end, its certificate names kubernetes.default.svc), which
# docrun dispatch --pod-server names.
api_forward() {
	local to
	to=$(awk '$1 == "server:" { print $2; exit }' "$KCFG")
	to=${to#https://}
	node_start apiforward "$BIN/docrun-apiforward" -listen "$NODE_IP:$API_FORWARD_PORT" -to "$to"
}

# node_healthy succeeds when every component of the node runs and the node
# is Ready.
node_healthy() {
	local c
	[[ -s $NODE_STATE/name ]] || return 1
	NODE_NAME=$(<"$NODE_STATE/name")
	for c in registry containerd kubelet kube-proxy coredns; do node_alive "$c" || return 1; done
	node_ready
}

# node_guard makes the cluster put Pods on the real node: the simulated nodes
# get a PreferNoSchedule taint (they stay schedulable, for pages that need
# several nodes). Only for a cluster of its own (cluster.sh up), never for
# node-up beside a cluster others use.
node_guard() {
	kubectl taint nodes "${NODES[@]}" "$SIMULATED_TAINT" --overwrite >&2
}

# node_unguard undoes node_guard (the cluster may be going down anyway).
node_unguard() {
	[[ -s $KCFG ]] || return 0
	kubectl taint nodes "${NODES[@]}" "${SIMULATED_TAINT%%=*}-" >/dev/null 2>&1 || true
}

# NETWORK_CAPS are the capabilities that reach the network namespace's
# settings or leave it.
NETWORK_CAPS="['NET_ADMIN', 'SYS_ADMIN', 'ALL', 'CAP_NET_ADMIN', 'CAP_SYS_ADMIN', 'CAP_ALL']"

# REACHES_NETWORK is the CEL condition of a Pod (object) that could reach the
# machine's own network from the real node: hostNetwork, a privileged
# container, or one adding a capability of NETWORK_CAPS (init and ephemeral
# containers too).
REACHES_NETWORK="(has(object.spec.hostNetwork) && object.spec.hostNetwork) ||
      (object.spec.containers + (has(object.spec.initContainers) ? object.spec.initContainers : [])).exists(c, has(c.securityContext) &&
        ((has(c.securityContext.privileged) && c.securityContext.privileged) ||
         (has(c.securityContext.capabilities) && has(c.securityContext.capabilities.add) &&
          c.securityContext.capabilities.add.exists(a, a.upperAscii() in $NETWORK_CAPS)))) ||
      (has(object.spec.ephemeralContainers) && object.spec.ephemeralContainers.exists(c, has(c.securityContext) &&
        ((has(c.securityContext.privileged) && c.securityContext.privileged) ||
         (has(c.securityContext.capabilities) && has(c.securityContext.capabilities.add) &&
          c.securityContext.capabilities.add.exists(a, a.upperAscii() in $NETWORK_CAPS)))))"

# network_guard keeps the Pods that could reach the machine's network off
# the real node, before its kubelet starts (also for node-up beside a cluster
# others use: it only changes where such Pods go). A MutatingAdmissionPolicy
# gives each such Pod the node selector type=kwok, so that it lands on a
# simulated node, as on the kwok-only cluster; a ValidatingAdmissionPolicy
# refuses such a Pod without that selector or naming the real node
# (spec.nodeName), and such ephemeral containers added to a Pod there
# (kubectl debug --profile=sysadmin). Their label docrun.dev/cluster-part
# keeps docrun's --cleanup-cluster-scoped from taking them for a page's.
network_guard() {
	kubectl apply -f - >&2 <<EOF
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingAdmissionPolicy
metadata: {name: $GUARD_POLICY, labels: {docrun.dev/cluster-part: "true"}}
spec:
  failurePolicy: Fail
  reinvocationPolicy: IfNeeded
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
  matchConditions:
  - name: reaches-the-network
    expression: >-
      $REACHES_NETWORK
  mutations:
  - patchType: JSONPatch
    jsonPatch:
      expression: >-
        has(object.spec.nodeSelector) ?
        [JSONPatch{op: "add", path: "/spec/nodeSelector/type", value: "kwok"}] :
        [JSONPatch{op: "add", path: "/spec/nodeSelector", value: {"type": "kwok"}}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingAdmissionPolicyBinding
metadata: {name: $GUARD_POLICY, labels: {docrun.dev/cluster-part: "true"}}
spec:
  policyName: $GUARD_POLICY
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: $GUARD_POLICY, labels: {docrun.dev/cluster-part: "true"}}
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [pods, pods/ephemeralcontainers]}
  matchConditions:
  - name: reaches-the-network
    expression: >-
      $REACHES_NETWORK
  validations:
  - expression: >-
      has(object.spec.nodeName) && object.spec.nodeName != '' ? object.spec.nodeName != '$NODE_NAME' :
      has(object.spec.nodeSelector) && 'type' in object.spec.nodeSelector && object.spec.nodeSelector['type'] == 'kwok'
    message: "docrun's local cluster runs Pods with hostNetwork, privileged containers or NET_ADMIN or SYS_ADMIN on its simulated nodes only (node selector type=kwok), never on the real node $NODE_NAME: they could reach the machine's network"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: $GUARD_POLICY, labels: {docrun.dev/cluster-part: "true"}}
spec:
  policyName: $GUARD_POLICY
  validationActions: [Deny]
EOF
}

# network_unguard removes the policies of network_guard.
network_unguard() {
	[[ -s $KCFG ]] || return 0
	kubectl delete "mutatingadmissionpolicybinding/$GUARD_POLICY" "mutatingadmissionpolicy/$GUARD_POLICY" \
		"validatingadmissionpolicybinding/$GUARD_POLICY" "validatingadmissionpolicy/$GUARD_POLICY" \
		--ignore-not-found >/dev/null 2>&1 || true
}

# node_pids prints the pids of every process of the node: those recorded,
# containerd's shims, and every process in the node's cgroups.
node_pids() {
	local f p cmd d
	for f in "$NODE_STATE"/pids/*; do
		[[ -f $f ]] && p=$(<"$f") && [[ -e /proc/$p ]] && echo "$p"
	done
	local args
	for p in /proc/[0-9]*; do
		mapfile -d '' -t args 2>/dev/null <"$p/cmdline" || continue
		cmd="${args[*]}"
		[[ $cmd == *"$NODE_STATE/"* ]] && echo "${p#/proc/}"
	done
	if [[ -f $NODE_STATE/cgroups-created ]]; then
		while IFS= read -r d; do
			[[ -d $d ]] && find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null
		done <"$NODE_STATE/cgroups-created"
	fi
}

node_kill() {
	local i pids
	for i in $(seq 1 30); do
		pids=$(node_pids | sort -un | grep -vx "$$" || true)
		[[ -z $pids ]] && return 0
		# shellcheck disable=SC2086 # one pid per word
		if ((i < 6)); then kill $pids 2>/dev/null || true; else kill -9 $pids 2>/dev/null || true; fi
		sleep 0.5
	done
	nlog "processes still running: $(node_pids | sort -un | tr '\n' ' ')"
	return 1
}

# iptables_clean removes, in every table of both families, the chains of the
# node (DOCRUN-NODE-*), of kube-proxy and the kubelet (KUBE-*) and of the CNI
# plugins (CNI-*), and the rules that jump to them.
iptables_clean() {
	local fam t
	for fam in iptables ip6tables; do
		command -v "$fam-save" >/dev/null || continue
		for t in filter nat mangle raw; do
			"$fam-save" -t "$t" 2>/dev/null | grep -q -E 'KUBE-|CNI-|DOCRUN-NODE' || continue
			"$fam-save" -t "$t" | grep -v -E 'KUBE-|CNI-|DOCRUN-NODE' | "$fam-restore" -T "$t" 2>/dev/null ||
				"$fam-save" -t "$t" | grep -v -E 'KUBE-|CNI-|DOCRUN-NODE' | "$fam-restore"
		done
	done
}

# node_down stops the real node and removes what it made.
node_down() {
	local t0=$SECONDS m d p
	[[ -d $NODE_STATE ]] || return 0
	[[ -z $NODE_NAME && -s $NODE_STATE/name ]] && NODE_NAME=$(<"$NODE_STATE/name")
	node_kill || true
	# Mounts: the containers' file systems, shm and network namespaces
	# (mountinfo has the state's path with its symbolic links resolved).
	for m in $(awk -v s="$NODE_STATE/" -v r="$(realpath -m "$NODE_STATE")/" '
		index($5, s) == 1 || index($5, r) == 1 || index($5, "/var/lib/kubelet/") == 1 || $5 ~ "^/(var/)?run/netns/cni-" || index($5, "/run/containerd/") == 1 { print $5 }' \
		/proc/self/mountinfo | sort -r); do
		umount -l "$m" 2>/dev/null || true
	done
	if [[ -f $NODE_STATE/netns ]]; then
		ls /run/netns 2>/dev/null | sort | comm -13 "$NODE_STATE/netns" - | while read -r p; do
			rm -f "/run/netns/$p"
		done || true
	fi
	iptables_clean || true
	if [[ -f $NODE_STATE/nft-tables ]]; then
		nft list tables 2>/dev/null | sort | comm -13 "$NODE_STATE/nft-tables" - | while read -r _ fam t; do
			nft delete table "$fam" "$t" 2>/dev/null || true
		done || true
	fi
	ip link del "$NODE_BRIDGE" 2>/dev/null || true
	if [[ -f $NODE_STATE/sysctls ]]; then
		while IFS='=' read -r k v; do sysctl_set "$k" "$v" 2>/dev/null || true; done <"$NODE_STATE/sysctls"
	fi
	if [[ -f $NODE_STATE/cgroups-created ]]; then
		while IFS= read -r d; do
			[[ ! -d $d ]] || find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
		done <"$NODE_STATE/cgroups-created"
	fi
	if [[ -f $NODE_STATE/paths-existing ]]; then
		for p in "${NODE_PATHS[@]}"; do
			grep -qxF "$p" "$NODE_STATE/paths-existing" || rm -rf "$p"
		done
	fi
	[[ ! -s $KCFG || -z $NODE_NAME ]] || kubectl delete node "$NODE_NAME" --ignore-not-found --wait=false >/dev/null 2>&1 || true
	network_unguard
	[[ ! -s $KCFG ]] || kubectl -n kube-system delete service/kube-dns endpointslice/kube-dns-node "configmap/$OFFLINE_CM" \
		--ignore-not-found --wait=false >/dev/null 2>&1 || true
	local diff=
	[[ ! -f $NODE_STATE/machine-before ]] ||
		diff=$(machine_state | sort | diff "$NODE_STATE/machine-before" - | grep '^[<>]' || true)
	rm -rf "$NODE_STATE"
	if [[ -n $diff ]]; then
		nlog "stopped in $((SECONDS - t0))s; the machine differs from before node-up (< before, > now; another program may have made the change):"
		printf '%s\n' "$diff" >&2
		# DOCRUN_NODE_STRICT=1 (make test-real-node, where nothing else
		# runs) makes that a failure.
		[[ ${DOCRUN_NODE_STRICT:-} != 1 ]] || return 1
	else
		nlog "stopped and removed in $((SECONDS - t0))s; links, routes, network namespaces, iptables, nftables, mounts and kernel settings are as before node-up"
	fi
}

# node-build.sh: builds the local cluster's real node, sourced by cluster.sh: its
# parts (kubelet, kube-proxy, containerd with its shim and ctr, CoreDNS, the
# offline registry) and the offline images. Debian packages give what is not
# built here: runc, the CNI plugins, iptables, conntrack and busybox-static
# (.ci/run installs them). node.sh starts and stops the node.

NODE_MOD=$TOOLS/node
IMAGES=$BIN/images             # OCI image layout of the offline images
IMAGE_SRC=$BIN/images-src      # binaries and packages the images are made of
CONTAINERD_VERSION=$(awk '$1 == "github.com/containerd/containerd/v2" { print $2; exit }' "$NODE_MOD/go.mod")

NODE_KUBE_CMDS=(kubelet kube-proxy)
NODE_MOD_CMDS=(containerd containerd-shim-runc-v2 ctr coredns docrun-registry docrun-apiforward)
NODE_BINS=("${NODE_KUBE_CMDS[@]}" "${NODE_MOD_CMDS[@]}")

# NODE_DEBS lists the commands the node takes from Debian, with their package.
declare -A NODE_DEBS=(
	[runc]=runc [iptables]=iptables [conntrack]=conntrack [busybox]=busybox-static
	[ip]=iproute2 [nft]=nftables [/usr/lib/cni/bridge]=containernetworking-plugins
)

# OFFLINE_IMAGES: each image the registry serves, with the references it
# answers to (the tags the corpus pages use, and the latest).
declare -A OFFLINE_IMAGES=(
	[pause]="registry.k8s.io/pause:3.10.1 registry.k8s.io/pause:3.10 registry.k8s.io/pause:3.9"
	[busybox]="busybox:latest busybox:1.28 busybox:1.35 busybox:1.36 busybox:1.37 registry.k8s.io/busybox:1.27.2 registry.k8s.io/busybox:latest"
	[nginx]="nginx:latest nginx:1.14.2 nginx:1.16 nginx:1.16.1 nginx:1.22 nginx:1.25 nginx:1.27 nginx:stable registry.k8s.io/nginx-slim:0.21 registry.k8s.io/nginx-slim:0.24 registry.k8s.io/nginx-slim:0.27"
	[alpine]="alpine:latest alpine:3"
	[redis]="redis:latest redis:7 redis:7.0 redis:7.0.15"
	[agnhost]="registry.k8s.io/e2e-test-images/agnhost:2.39 registry.k8s.io/e2e-test-images/agnhost:2.40 registry.k8s.io/e2e-test-images/agnhost:2.45 registry.k8s.io/e2e-test-images/agnhost:2.47 registry.k8s.io/e2e-test-images/agnhost:2.48 registry.k8s.io/e2e-test-images/agnhost:2.52 registry.k8s.io/e2e-test-images/agnhost:2.53"
)

# timed runs a build step and logs its time.
timed() {
	local what=$1 t0=$SECONDS
	shift
	log "building $what ..."
	"$@" || die "building $what failed"
	log "built $what in $((SECONDS - t0))s"
}

# node_debs_missing prints the Debian packages the node needs that are not
# installed.
node_debs_missing() {
	local c
	for c in "${!NODE_DEBS[@]}"; do
		if [[ $c == /* ]]; then [[ -x $c ]] || echo "${NODE_DEBS[$c]}"; else command -v "$c" >/dev/null || echo "${NODE_DEBS[$c]}"; fi
	done | sort -u | tr '\n' ' '
}

node_build() {
	local b
	[[ $(uname -s) == Linux ]] || { log "real node: not built (Linux only)"; return; }
	for b in "${NODE_KUBE_CMDS[@]}"; do
		[[ -x $BIN/$b ]] || (cd "$TOOLS" && timed "$b" go build -ldflags "$VERSION_LDFLAGS" -o "$BIN/$b" "k8s.io/kubernetes/cmd/$b")
	done
	local cld="-s -w -X github.com/containerd/containerd/v2/version.Version=$CONTAINERD_VERSION"
	for b in containerd containerd-shim-runc-v2 ctr; do
		[[ -x $BIN/$b ]] || (cd "$NODE_MOD" && CGO_ENABLED=0 timed "$b $CONTAINERD_VERSION" \
			go build -ldflags "$cld" -o "$BIN/$b" "github.com/containerd/containerd/v2/cmd/$b")
	done
	for b in coredns docrun-registry docrun-apiforward; do
		[[ -x $BIN/$b ]] || (cd "$NODE_MOD" && CGO_ENABLED=0 timed "$b" go build -ldflags "-s -w" -o "$BIN/$b" "./${b#docrun-}")
	done
	node_images
}

# node_images builds the offline images missing from the layout in $IMAGES.
node_images() {
	local missing name have
	missing=$(node_debs_missing)
	if [[ -n $missing ]]; then
		log "real node: offline images not built: Debian packages missing: $missing"
		return
	fi
	have=$([[ -f $IMAGES/index.json ]] && "$BIN/docrun-registry" list -layout "$IMAGES" || true)
	for name in pause busybox alpine nginx redis agnhost; do
		local ref all=1
		for ref in ${OFFLINE_IMAGES[$name]}; do
			grep -qxF "$(full_ref "$ref")" <<<"$have" || all=0
		done
		((all)) || timed "image $name" image_"$name"
	done
}

# full_ref completes an image reference as containerd does (docker.io/library/).
full_ref() {
	local r=$1
	[[ ${r##*/} == *[:@]* ]] || r+=:latest
	if [[ $r != */* ]]; then
		r=docker.io/library/$r
	else
		case ${r%%/*} in
		*.* | *:* | localhost) ;;
		*) r=docker.io/$r ;;
		esac
	fi
	printf '%s\n' "$r"
}

# pack_image packs a root file system into the layout under every reference
# of the image.
pack_image() {
	local name=$1 rootfs=$2 ref tags=()
	shift 2
	for ref in ${OFFLINE_IMAGES[$name]}; do tags+=(-tag "$ref"); done
	"$BIN/docrun-registry" pack -rootfs "$rootfs" -layout "$IMAGES" "${tags[@]}" "$@"
}

# stage makes an empty staging directory for an image's root file system.
stage() {
	local d=$IMAGE_SRC/rootfs-$1
	rm -rf "$d"
	mkdir -p "$d"
	printf '%s\n' "$d"
}

image_pause() {
	local r
	mkdir -p "$IMAGE_SRC"
	(cd "$NODE_MOD" && CGO_ENABLED=0 go build -ldflags "-s -w" -o "$IMAGE_SRC/pause" ./pause) || return
	r=$(stage pause)
	install -m 0755 "$IMAGE_SRC/pause" "$r/pause"
	pack_image pause "$r" -entrypoint /pause && rm -rf "$r"
}

# busybox_root fills a root file system with busybox-static and a link for
# each of its applets, and the files a container expects (passwd, group, tmp).
busybox_root() {
	local r=$1 a
	mkdir -p "$r"/{bin,sbin,usr/bin,usr/sbin,etc,root,tmp,var/tmp,var/run,home,proc,sys,dev}
	chmod 1777 "$r/tmp" "$r/var/tmp"
	install -m 0755 "$(command -v busybox)" "$r/bin/busybox"
	for a in $("$r/bin/busybox" --list-full); do
		[[ -e $r/$a ]] || ln -s /bin/busybox "$r/$a"
	done
	cat >"$r/etc/passwd" <<-'PASSWD'
		root:x:0:0:root:/root:/bin/sh
		daemon:x:1:1:daemon:/usr/sbin:/bin/false
		www-data:x:33:33:www-data:/var/www:/bin/false
		nginx:x:101:101:nginx:/nonexistent:/bin/false
		nobody:x:65534:65534:nobody:/home:/bin/false
	PASSWD
	cat >"$r/etc/group" <<-'GROUP'
		root:x:0:
		daemon:x:1:
		www-data:x:33:
		nginx:x:101:
		nogroup:x:65534:
	GROUP
}

image_busybox() {
	local r
	r=$(stage busybox)
	busybox_root "$r"
	pack_image busybox "$r" -cmd sh && rm -rf "$r"
}

# image_alpine: the busybox root under alpine's name. Alpine's own shell and
# tools (sh, wget, nslookup, ...) are busybox applets too; there is no apk
# and no musl, and /etc/os-release says what the image is.
image_alpine() {
	local r
	r=$(stage alpine)
	busybox_root "$r"
	cat >"$r/etc/os-release" <<-'OS'
		NAME="BusyBox (docrun's offline stand-in for Alpine Linux)"
		ID=busybox
		PRETTY_NAME="BusyBox as alpine (docrun offline image, no apk)"
	OS
	pack_image alpine "$r" -cmd /bin/sh && rm -rf "$r"
}

# debs_root extracts Debian packages into DIR/x (the packages downloaded
# into $IMAGE_SRC/debs-NAME); libs_into copies the shared libraries a
# program of the root links, from the packages or from this machine, to the
# same place in the root.
debs_root() {
	local name=$1 r=$2 deb
	shift 2
	mkdir -p "$IMAGE_SRC/debs-$name" "$r/x"
	(cd "$IMAGE_SRC/debs-$name" && rm -f ./*.deb && apt-get download -q "$@" >/dev/null 2>&1) ||
		{ echo "apt-get download $* failed" >&2; return 1; }
	for deb in "$IMAGE_SRC/debs-$name"/*.deb; do dpkg-deb -x "$deb" "$r/x"; done
}

libs_into() {
	local r=$1 prog=$2 lib
	# ldd lists the libraries as "name => path (address)" or "path (address)".
	for lib in $(LD_LIBRARY_PATH="$r/x/usr/lib/x86_64-linux-gnu:$r/x/lib/x86_64-linux-gnu" ldd "$prog" |
		awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
		install -D -m 0755 "$lib" "$r${lib#"$r/x"}"
	done
}

# image_redis: Debian's redis-server 7.0 (redis-tools' binaries and the
# libraries they link, jemalloc and lzf from their packages) on the busybox
# root, configured as the redis image of Docker Hub: redis-server on port
# 6379 with protected mode off and /data as its directory, behind an
# entrypoint that, as docker-entrypoint.sh does, runs redis-server with
# arguments that are options or a .conf file. It runs as root (Docker Hub's
# drops to the user redis).
image_redis() {
	local r b
	r=$(stage redis)
	busybox_root "$r"
	debs_root redis "$r" redis-tools liblzf1 libjemalloc2 || return
	for b in redis-check-rdb redis-check-aof redis-cli redis-benchmark; do
		install -D -m 0755 "$r/x/usr/bin/$b" "$r/usr/local/bin/$b"
	done
	ln -s redis-check-rdb "$r/usr/local/bin/redis-server"
	ln -s redis-check-rdb "$r/usr/local/bin/redis-sentinel"
	libs_into "$r" "$r/x/usr/bin/redis-check-rdb"
	rm -rf "$r/x"
	mkdir -p "$r/data" "$r/lib64"
	echo 'redis:x:999:999::/home/redis:/bin/false' >>"$r/etc/passwd"
	echo 'redis:x:999:' >>"$r/etc/group"
	cat >"$r/usr/local/bin/docker-entrypoint.sh" <<-'SH'
		#!/bin/sh
		set -e
		# an option or a .conf file first: they are redis-server's
		if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
		    set -- redis-server "$@"
		fi
		# Docker Hub's image is built with protected mode off by default;
		# a .conf file (first, as redis-server wants it) decides for itself
		if [ "$1" = redis-server ] && [ "${2%.conf}" = "${2:-}" ]; then
		    shift
		    set -- redis-server --protected-mode no "$@"
		fi
		exec "$@"
	SH
	chmod 0755 "$r/usr/local/bin/docker-entrypoint.sh"
	pack_image redis "$r" -entrypoint docker-entrypoint.sh -cmd redis-server -workdir /data -port 6379/tcp \
		-env REDIS_VERSION=7.0.15 && rm -rf "$r"
}

image_agnhost() {
	local r
	mkdir -p "$IMAGE_SRC"
	(cd "$TOOLS" && CGO_ENABLED=0 go build -ldflags "-s -w" -o "$IMAGE_SRC/agnhost" k8s.io/kubernetes/test/images/agnhost) || return
	r=$(stage agnhost)
	busybox_root "$r"
	install -m 0755 "$IMAGE_SRC/agnhost" "$r/agnhost"
	pack_image agnhost "$r" -entrypoint /agnhost && rm -rf "$r"
}

# image_nginx: Debian's nginx (its binary, the shared libraries it links and
# nginx-common's mime types and welcome page) on the busybox root, configured
# as the nginx image of Docker Hub: the site in /usr/share/nginx/html on port
# 80, logs to the container's stdout and stderr.
image_nginx() {
	local r deb
	mkdir -p "$IMAGE_SRC/debs"
	(cd "$IMAGE_SRC/debs" && rm -f ./*.deb && apt-get download -q nginx nginx-common >/dev/null 2>&1) ||
		{ echo "apt-get download nginx nginx-common failed" >&2; return 1; }
	r=$(stage nginx)
	busybox_root "$r"
	mkdir -p "$r/x"
	for deb in "$IMAGE_SRC"/debs/*.deb; do dpkg-deb -x "$deb" "$r/x"; done
	install -D -m 0755 "$r/x/usr/sbin/nginx" "$r/usr/sbin/nginx"
	install -D -m 0644 "$r/x/etc/nginx/mime.types" "$r/etc/nginx/mime.types"
	install -D -m 0644 "$r/x/usr/share/nginx/html/index.html" "$r/usr/share/nginx/html/index.html"
	libs_into "$r" "$r/usr/sbin/nginx"
	rm -rf "$r/x"
	mkdir -p "$r"/{etc/nginx/conf.d,var/log/nginx,var/lib/nginx,var/cache/nginx,run,lib64}
	ln -sf /dev/stdout "$r/var/log/nginx/access.log"
	ln -sf /dev/stderr "$r/var/log/nginx/error.log"
	cat >"$r/etc/nginx/nginx.conf" <<-'CONF'
		user  nginx;
		worker_processes  auto;
		error_log  /var/log/nginx/error.log notice;
		pid        /run/nginx.pid;
		events {
		    worker_connections  1024;
		}
		http {
		    include       /etc/nginx/mime.types;
		    default_type  application/octet-stream;
		    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
		                      '$status $body_bytes_sent "$http_referer" '
		                      '"$http_user_agent" "$http_x_forwarded_for"';
		    access_log  /var/log/nginx/access.log  main;
		    sendfile        on;
		    keepalive_timeout  65;
		    include /etc/nginx/conf.d/*.conf;
		}
	CONF
	cat >"$r/etc/nginx/conf.d/default.conf" <<-'CONF'
		server {
		    listen       80;
		    listen  [::]:80;
		    server_name  localhost;
		    location / {
		        root   /usr/share/nginx/html;
		        index  index.html index.htm;
		    }
		    error_page   500 502 503 504  /50x.html;
		    location = /50x.html {
		        root   /usr/share/nginx/html;
		    }
		}
	CONF
	pack_image nginx "$r" -cmd nginx -cmd -g -cmd "daemon off;" -port 80/tcp -env NGINX_VERSION=1.22.1 && rm -rf "$r"
}

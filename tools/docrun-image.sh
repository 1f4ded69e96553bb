# docrun-image.sh: builds docrun's own image, the one docrun dispatch runs
# its pods with, sourced by cluster.sh (`tools/cluster.sh image TAG`, `make
# image`). No Docker engine: the root file system is filled here and packed
# by docrun-registry into the OCI layout the local registry serves
# ($IMAGES, bin/images), as node-build.sh does for the offline images.
#
# Made of: docrun (CGO_ENABLED=0, its version set to TAG), bin/kubectl, the
# programs of the Debian packages in DOCRUN_IMAGE_DEBS as this machine has
# them installed (bash, GNU coreutils, grep, sed, curl: pages are written
# for them; busybox's base64 has no --decode) with the shared libraries they
# link, and the machine's CA certificates (Debian ca-certificates), on the
# busybox root (tar, gzip and the rest). docrun.dev/docrun:TAG; containerd takes
# every registry host, docrun.dev too, from the local registry.

DOCRUN_IMAGE_REPO=docrun.dev/docrun
DOCRUN_IMAGE_DEBS=(bash coreutils grep sed gawk findutils curl)

# docrun_image TAG builds the image into $IMAGES and, when the real node's
# registry is running, pushes it there.
docrun_image() {
	local tag=${1:?docrun_image needs a tag} ref r f lib
	ref=$DOCRUN_IMAGE_REPO:$tag
	[[ -x $BIN/docrun-registry ]] || die "bin/docrun-registry is missing: make cluster-tools builds it"
	[[ -x $BIN/kubectl ]] || die "bin/kubectl is missing: make cluster-tools builds it"
	command -v busybox >/dev/null || die "busybox is missing (Debian busybox-static)"
	[[ -f /etc/ssl/certs/ca-certificates.crt ]] || die "/etc/ssl/certs/ca-certificates.crt is missing (Debian ca-certificates)"
	mkdir -p "$IMAGE_SRC"
	(cd "$ROOT" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/docrun/docrun/cmd/docrun/app.Version=$tag" \
		-o "$IMAGE_SRC/docrun" ./cmd/docrun) || die "building docrun failed"
	r=$(stage docrun)
	busybox_root "$r"
	install -D -m 0755 "$IMAGE_SRC/docrun" "$r/usr/local/bin/docrun"
	install -D -m 0755 "$BIN/kubectl" "$r/usr/local/bin/kubectl"
	local pkg progs=("$r/usr/local/bin/kubectl")
	for pkg in "${DOCRUN_IMAGE_DEBS[@]}"; do
		dpkg -s "$pkg" >/dev/null 2>&1 || { log "docrun image: $pkg is not installed here: not in the image"; continue; }
		for f in $(dpkg -L "$pkg" | grep -E '^/(usr/)?s?bin/[^/]+$'); do
			[[ -f $f && ! -L $f ]] || continue
			rm -f "$r$f"
			install -D -m 0755 "$f" "$r$f"
			progs+=("$r$f")
		done
	done
	# Debian's /bin is /usr/bin: a program packaged in one is looked for in both.
	for f in "$r"/usr/bin/*; do
		[[ -e $r/bin/${f##*/} ]] || ln -s "/usr/bin/${f##*/}" "$r/bin/${f##*/}"
	done
	# ldd lists the libraries as "name => path (address)" or "path (address)".
	for lib in $(for f in "${progs[@]}"; do ldd "$f" 2>/dev/null; done |
		awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u); do
		[[ -e $r$lib ]] || install -D -m 0755 "$lib" "$r$lib"
	done
	install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$r/etc/ssl/certs/ca-certificates.crt"
	mkdir -p "$r/root/.cache"
	"$BIN/docrun-registry" pack -rootfs "$r" -layout "$IMAGES" -tag "$ref" \
		-entrypoint /usr/local/bin/docrun -env HOME=/root -workdir /root || die "packing $ref failed"
	rm -rf "$r"
	log "built $ref into $IMAGES"
	if registry_addr; then
		"$BIN/docrun-registry" push -layout "$IMAGES" -addr "$(<"$NODE_STATE/registry.addr")" -tag "$ref" ||
			die "pushing $ref into the running registry failed"
		log "pushed $ref into the running registry"
	fi
}

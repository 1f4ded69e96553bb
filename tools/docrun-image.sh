# docrun-image.sh: builds docrun's own image, the one docrun dispatch runs
# its pods with, sourced by cluster.sh (`tools/cluster.sh image TAG`, `make
# image`). No Docker engine: the root file system is filled here and packed
# by docrun-registry into the OCI layout the local registry serves
# ($IMAGES, bin/images), as node-build.sh does for the offline images.
#
# Made of: docrun (CGO_ENABLED=0, its version set to TAG), bin/kubectl and
# Debian's bash with the shared libraries they link, the machine's CA
# certificates (Debian ca-certificates), on the busybox root (tar, gzip,
# base64 and the usual commands). docrun.dev/docrun:TAG; containerd takes
# every registry host, docrun.dev too, from the local registry.

DOCRUN_IMAGE_REPO=docrun.dev/docrun

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
	rm -f "$r/bin/bash"
	install -D -m 0755 "$(command -v bash)" "$r/bin/bash"
	# ldd lists the libraries as "name => path (address)" or "path (address)".
	for f in "$r/bin/bash" "$r/usr/local/bin/kubectl"; do
		for lib in $(ldd "$f" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
			[[ -e $r$lib ]] || install -D -m 0755 "$lib" "$r$lib"
		done
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

#!/usr/bin/env bash
# base.sh makes sure the image docker/Dockerfile starts FROM (debian:bookworm-slim)
# exists in the local Docker engine, for machines that cannot pull from a registry.
#
# Usage: docker/base.sh [IMAGE]      (default: $LAB_BASE_IMAGE or debian:bookworm-slim)
#
# In order, the first that works:
#   1. the image is already there: nothing to do;
#   2. a cached root file system tarball ($LMKIT_BASE_TAR, default
#      ~/.cache/llm-map-lab/debian-bookworm-minbase.tar: outside the checkout, which is
#      the build context) is imported under the image's name;
#   3. `docker pull IMAGE` (skipped with LMKIT_BASE_NO_PULL=1; 60 s at most);
#   4. debootstrap --variant=minbase bookworm builds the root file system from the
#      Debian mirror (needs root; installs debootstrap with apt when missing, about
#      1-2 minutes), caches it as the tarball of step 2, and imports it.
#
# Environment: LMKIT_DEBIAN_MIRROR (default http://deb.debian.org/debian).
set -euo pipefail

info() { printf '==> %s\n' "$*"; }
die() {
	printf 'error: %s\n' "$*" >&2
	exit 1
}

image="${1:-${LAB_BASE_IMAGE:-debian:bookworm-slim}}"
tarball="${LMKIT_BASE_TAR:-${XDG_CACHE_HOME:-$HOME/.cache}/llm-map-lab/debian-bookworm-minbase.tar}"
mirror="${LMKIT_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

command -v docker >/dev/null 2>&1 || die "docker not found. Fix: apt-get install docker.io (or install Docker Engine)"
docker info >/dev/null 2>&1 || die "the Docker engine does not answer (docker info fails). Fix: start it (systemctl start docker) or join the docker group"

if docker image inspect "$image" >/dev/null 2>&1; then
	info "base image $image: present"
	exit 0
fi

import_tar() {
	# The same defaults as the registry's debian image: a shell, the usual PATH.
	docker import \
		--change 'CMD ["bash"]' \
		--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
		--message "debootstrap --variant=minbase bookworm (llm-map lab docker/base.sh)" \
		"$1" "$image" >/dev/null
	info "base image $image: imported from $1"
}

if [[ -s "$tarball" ]]; then
	import_tar "$tarball"
	exit 0
fi

if [[ "${LMKIT_BASE_NO_PULL:-}" != 1 ]]; then
	info "base image $image: trying docker pull (60 s at most)"
	if timeout 60 docker pull -q "$image" >/dev/null 2>&1; then
		info "base image $image: pulled"
		exit 0
	fi
	info "base image $image: cannot be pulled here; building it with debootstrap"
fi

sudo=()
if [[ "$(id -u)" != 0 ]]; then
	command -v sudo >/dev/null 2>&1 ||
		die "building $image with debootstrap needs root. Fix: run docker/base.sh as root, or docker pull $image where a registry is reachable"
	sudo=(sudo)
fi
if ! command -v debootstrap >/dev/null 2>&1; then
	info "installing debootstrap (apt-get)"
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends debootstrap ||
		die "apt-get install debootstrap failed. Fix: apt-get update && apt-get install debootstrap"
fi

root="$(mktemp -d "${TMPDIR:-/tmp}/lab-base.XXXXXX")"
trap '"${sudo[@]}" rm -rf "$root"' EXIT
start_s=$SECONDS
info "debootstrap --variant=minbase bookworm $root ($mirror)"
"${sudo[@]}" debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1 || {
	tail -n 20 "$root.log" >&2
	rm -f "$root.log"
	die "debootstrap failed (log above). Check that $mirror is reachable, or set LMKIT_DEBIAN_MIRROR"
}
rm -f "$root.log"

# Make it look like the registry's slim image: package lists and .deb files gone,
# no documentation or translations installed by later apt-get calls, updates and
# security fixes in sources.list.
"${sudo[@]}" bash -euo pipefail -s "$root" "$mirror" <<'SETUP'
root="$1" mirror="$2"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/var/log/*.log
cat >"$root/etc/apt/sources.list" <<LIST
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
LIST
cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<CFG
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/en*
CFG
cat >"$root/etc/apt/apt.conf.d/docker-clean" <<CFG
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CFG
find "$root/usr/share/doc" -mindepth 2 ! -name copyright ! -type d -delete
find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$root/usr/share/man"/* "$root/usr/share/info"/*
find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'en*' ! -name locale.alias -exec rm -rf {} +
SETUP

mkdir -p "$(dirname "$tarball")"
"${sudo[@]}" tar --numeric-owner -C "$root" -cf "$tarball.tmp" .
"${sudo[@]}" chown "$(id -u):$(id -g)" "$tarball.tmp"
mv "$tarball.tmp" "$tarball"
info "root file system cached in $tarball ($(du -h "$tarball" | cut -f1)), built in $((SECONDS - start_s)) s"
import_tar "$tarball"

#!/usr/bin/env bash
# lab-entrypoint: the container's start (under tini). With no arguments, or "lab", it
# starts Jupyter on the notebooks volume through kernel-setup/lab.sh; anything else
# runs as a command, e.g.
#   docker compose -f docker/compose.yaml run --rm lab bash kernel-setup/run-notebooks.sh --quick
#
# Environment: LAB_TOKEN (default: a random token, printed below), LAB_PORT (inside the
# container, 8888), LAB_HOST_PORT (the published port, only for the printed URL),
# LAB_ALLOW_ROOT=1 to run as root anyway.
set -euo pipefail

repo=/opt/lab
seed=/usr/local/share/llm-map-lab/notebooks
cd "$repo"

if [[ "$(id -u)" == 0 && "${LAB_ALLOW_ROOT:-}" != 1 ]]; then
	echo "error: the lab refuses to run as root. Drop --user 0 / user: root (the image's user is lab, uid $(id -u lab)), or set LAB_ALLOW_ROOT=1." >&2
	exit 1
fi

# The notebooks folder is a volume: a fresh one gets the image's notebooks; notebooks
# already there (your edits, your runs/) are never overwritten.
if [[ ! -w notebooks ]]; then
	echo "error: $repo/notebooks is not writable by $(id -un) (uid $(id -u)). For a bind mount, make the host folder writable by that uid (chown $(id -u) DIR) or rebuild with --build-arg LAB_UID=\$(id -u)." >&2
	exit 1
fi
shopt -s nullglob
for nb in "$seed"/*.ipynb; do
	dst="notebooks/$(basename "$nb")"
	if [[ ! -e "$dst" ]]; then
		cp "$nb" "$dst"
		echo "==> added $(basename "$nb") to the notebooks volume"
	fi
done
shopt -u nullglob

if [[ $# -eq 0 || "$1" == lab ]]; then
	if [[ -z "${LAB_TOKEN:-}" ]]; then
		LAB_TOKEN="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
		echo "==> LAB_TOKEN not set: generated a random token for this start"
	fi
	export LAB_TOKEN
	printf '==> from the host: http://127.0.0.1:%s/?token=%s\n' "${LAB_HOST_PORT:-${LAB_PORT:-8888}}" "$LAB_TOKEN"
	echo "    (Jupyter listens on all interfaces inside the container; compose publishes it on 127.0.0.1 only)"
	exec bash kernel-setup/lab.sh
fi
exec "$@"

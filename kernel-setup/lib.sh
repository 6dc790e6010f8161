# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables below are used by the scripts that source this file.
# Shared helpers for the kernel-setup scripts. Source it; do not run it.
#
# It sets REPO_ROOT (this checkout), TOOLS_BIN (.tools/bin) and the kernel
# constants, and offers find_jupyter, go checks and small print helpers.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
TOOLS_BIN="$REPO_ROOT/.tools/bin"
KERNEL_NAME="gonb"
KERNEL_DISPLAY_NAME="Go (llm-map lab)"
GO_MIN_VERSION="1.27.3"
# go.mod needs Go 1.27.3; an older go (Debian machines start on 1.26) fetches it from the Go
# module proxy when GOTOOLCHAIN names it. The kernel then runs that toolchain with GOTOOLCHAIN=local.
export GOTOOLCHAIN="${GOTOOLCHAIN:-go$GO_MIN_VERSION}"
# Debian ships the `jupyter nbconvert` command separately, in jupyter-nbconvert.
APT_PACKAGES=(jupyter-notebook jupyter-nbconvert python3-nbconvert python3-ipykernel jupyter-client wordnet-base)

# Go may be installed but not on PATH (a fresh shell, a Jupyter launched from a
# desktop): fall back to the standard location.
if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
	PATH="$PATH:/usr/local/go/bin"
fi

info() { printf '==> %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
	printf 'error: %s\n' "$*" >&2
	exit 1
}

# version_ge A B: whether dotted version A >= B (leading "go" ignored).
version_ge() {
	local a="${1#go}" b="${2#go}"
	[[ "$(printf '%s\n%s\n' "$b" "$a" | sort -V | head -n1)" == "$b" ]]
}

# jupyter_works CMD: whether CMD is a Jupyter that can list kernels and run
# nbconvert. A pyenv shim without Jupyter behind it fails here.
jupyter_works() {
	[[ -n "$1" && -x "$1" ]] || return 1
	"$1" kernelspec list >/dev/null 2>&1 && "$1" nbconvert --version >/dev/null 2>&1
}

# find_jupyter prints the path of a working jupyter: $LMKIT_JUPYTER if set, then
# the one on PATH, then Debian's /usr/bin/jupyter, then /usr/local/bin/jupyter.
find_jupyter() {
	local c
	local -a candidates=()
	[[ -n "${LMKIT_JUPYTER:-}" ]] && candidates+=("$LMKIT_JUPYTER")
	c="$(command -v jupyter 2>/dev/null || true)"
	[[ -n "$c" ]] && candidates+=("$c")
	candidates+=(/usr/bin/jupyter /usr/local/bin/jupyter)
	for c in "${candidates[@]}"; do
		if jupyter_works "$c"; then
			printf '%s\n' "$c"
			return 0
		fi
	done
	return 1
}

# jupyter_subcommand_works JUPYTER SUB: whether `jupyter SUB --version` runs
# (SUB is lab, notebook, ...).
jupyter_subcommand_works() {
	"$1" "$2" --version >/dev/null 2>&1
}

# kernel_dir JUPYTER prints the directory of this lab's kernelspec, honouring
# JUPYTER_DATA_DIR like Jupyter does.
kernel_dir() {
	local data_dir="${JUPYTER_DATA_DIR:-}"
	if [[ -z "$data_dir" ]]; then
		data_dir="$("$1" --data-dir 2>/dev/null || true)"
	fi
	[[ -n "$data_dir" ]] || data_dir="$HOME/.local/share/jupyter"
	printf '%s/kernels/%s\n' "$data_dir" "$KERNEL_NAME"
}

# find_python JUPYTER prints a python3 for the helper scripts (they need only
# the standard library): the interpreter of JUPYTER, else /usr/bin/python3,
# else python3 on PATH.
find_python() {
	local shebang c
	shebang="$(head -n1 "$1" 2>/dev/null || true)"
	shebang="${shebang#\#!}"
	shebang="${shebang%% *}"
	for c in "$shebang" /usr/bin/python3 "$(command -v python3 2>/dev/null || true)"; do
		if [[ "$c" == /* && "$c" != */env && -x "$c" ]] && "$c" -c 'import json' >/dev/null 2>&1; then
			printf '%s\n' "$c"
			return 0
		fi
	done
	return 1
}

# kernelspec_path JUPYTER prints the directory Jupyter uses for the kernel
# $KERNEL_NAME, or nothing.
kernelspec_path() {
	local listing
	listing="$("$1" kernelspec list 2>/dev/null)" || return 0
	awk -v k="$KERNEL_NAME" '$1 == k { print $2; exit }' <<<"$listing"
}

# go_in_repo runs go from the repository root, so GOTOOLCHAIN selects the
# toolchain that go.mod asks for.
go_in_repo() { (cd "$REPO_ROOT" && GOWORK=off go "$@"); }

# tools_go runs go in the pinned tools module (goimports, gopls).
tools_go() { (cd "$REPO_ROOT/kernel-setup/tools" && GOWORK=off go "$@"); }

# bin_has_module BIN MODULE VERSION: whether BIN was built by the current Go
# toolchain from MODULE at VERSION (read with `go version -m`). A binary built
# with GOEXPERIMENT set (the Makefile sets simd) reports e.g. go1.26.8-X:simd.
bin_has_module() {
	local bin="$1" mod="$2" ver="$3" goversion
	[[ -x "$bin" ]] || return 1
	goversion="$(go_in_repo env GOVERSION)" || return 1
	go version -m "$bin" 2>/dev/null | awk -v bin="$bin" -v gov="$goversion" -v mod="$mod" -v ver="$ver" '
		NR == 1 { okgo = ($0 == bin ": " gov || index($0, bin ": " gov "-X:") == 1) }
		$1 == "mod" && $2 == mod && $3 == ver { okmod = 1 }
		END { exit !(okgo && okmod) }'
}

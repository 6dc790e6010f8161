#!/usr/bin/env bash
# doctor.sh prints what the notebook lab needs, what is installed and, for
# each missing piece, the command that fixes it. Changes nothing.
#
# Exit status: 0 when every required item is present, 1 otherwise. Optional
# items (JupyterLab, chromium, the XLA plugin, shellcheck) never fail it.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rows=()
fix_names=() # items sharing one fix are listed together
fix_cmds=()
missing_required=0

# add_fix NAME COMMAND
add_fix() {
	local i
	for i in "${!fix_cmds[@]}"; do
		if [[ "${fix_cmds[$i]}" == "$2" ]]; then
			fix_names[i]+=", $1"
			return
		fi
	done
	fix_names+=("$1")
	fix_cmds+=("$2")
}

# row NAME required|optional ok|missing DETAIL [FIX]
row() {
	local name="$1" kind="$2" state="$3" detail="$4" fix="${5:-}" mark
	if [[ "$state" == ok ]]; then
		mark="ok"
	elif [[ "$kind" == required ]]; then
		mark="MISSING"
		missing_required=$((missing_required + 1))
	else
		mark="-"
	fi
	rows+=("$(printf '%-12s %-9s %-8s %s' "$name" "$kind" "$mark" "$detail")")
	if [[ "$state" != ok && -n "$fix" ]]; then
		add_fix "$name" "$fix"
	fi
}

install_fix="kernel-setup/install.sh"

# --- Go and gcc ----------------------------------------------------------------
goversion=""
if ! command -v go >/dev/null 2>&1; then
	row go required missing "not on PATH" "install Go >= $GO_MIN_VERSION from https://go.dev/dl and put its bin/ on PATH"
elif ! goversion="$(go_in_repo env GOVERSION 2>/dev/null)"; then
	row go required missing "go cannot load $REPO_ROOT/go.mod (toolchain go$GO_MIN_VERSION not available?)" \
		"export GOTOOLCHAIN=go$GO_MIN_VERSION (the go command fetches it from the Go module proxy), or install Go >= $GO_MIN_VERSION from https://go.dev/dl"
	goversion=""
elif version_ge "$goversion" "go$GO_MIN_VERSION"; then
	row go required ok "$goversion ($(go_in_repo env GOROOT))"
else
	row go required missing "$goversion < go$GO_MIN_VERSION" \
		"export GOTOOLCHAIN=go$GO_MIN_VERSION (the go command fetches it from the Go module proxy), or install Go >= $GO_MIN_VERSION from https://go.dev/dl"
	goversion=""
fi
if [[ -n "$goversion" ]] && [[ "$(go env GOFLAGS)" == *-mod=mod* ]]; then
	add_fix GOFLAGS "note: GOFLAGS has -mod=mod; the kernel sets GOFLAGS=-buildvcs=false because GoNB's go.work refuses -mod=mod"
fi

if command -v gcc >/dev/null 2>&1; then
	row gcc required ok "$(gcc -dumpfullversion 2>/dev/null || gcc -dumpversion) (cgo for GoMLX backends)"
else
	row gcc required missing "not on PATH (cgo for GoMLX backends)" "apt-get install gcc"
fi

# --- Jupyter -------------------------------------------------------------------
jupyter=""
jupyter_any=""
for c in "${LMKIT_JUPYTER:-}" "$(command -v jupyter 2>/dev/null || true)" /usr/bin/jupyter /usr/local/bin/jupyter; do
	[[ -n "$c" && -x "$c" ]] || continue
	if "$c" kernelspec list >/dev/null 2>&1; then
		[[ -z "$jupyter_any" ]] && jupyter_any="$c"
		if "$c" nbconvert --version >/dev/null 2>&1; then
			jupyter="$c"
			break
		fi
	fi
done
apt_fix="$install_fix  (or: apt-get install ${APT_PACKAGES[*]})"
if [[ -n "$jupyter" ]]; then
	row jupyter required ok "$jupyter"
	row nbconvert required ok "$("$jupyter" nbconvert --version 2>/dev/null)"
elif [[ -n "$jupyter_any" ]]; then
	row jupyter required ok "$jupyter_any"
	row nbconvert required missing "'$jupyter_any nbconvert' fails" "apt-get install jupyter-nbconvert python3-nbconvert (or pip install nbconvert)"
else
	row jupyter required missing "no jupyter that runs 'kernelspec list'" "$apt_fix"
	row nbconvert required missing "needs jupyter" "$apt_fix"
fi

# --- GoNB and its tools ------------------------------------------------------------
if [[ -n "$goversion" ]]; then
	gonb_version="$(go_in_repo list -m -f '{{.Version}}' github.com/janpfeifer/gonb 2>/dev/null || true)"
	gopls_version="$(tools_go list -m -f '{{.Version}}' golang.org/x/tools/gopls 2>/dev/null || true)"
	xtools_version="$(tools_go list -m -f '{{.Version}}' golang.org/x/tools 2>/dev/null || true)"
	check_bin() { # name module version
		local bin="$TOOLS_BIN/$1"
		if [[ -z "$3" ]]; then
			row "$1" required missing "cannot read the pinned version of $2" "cd $REPO_ROOT && go mod download (needs the Go module proxy once)"
		elif bin_has_module "$bin" "$2" "$3"; then
			row "$1" required ok ".tools/bin/$1 ($2 $3)"
		elif [[ -x "$bin" ]]; then
			row "$1" required missing ".tools/bin/$1 is stale (want $2 $3 built by $goversion)" "$install_fix"
		else
			row "$1" required missing ".tools/bin/$1 not built" "$install_fix"
		fi
	}
	check_bin gonb github.com/janpfeifer/gonb "$gonb_version"
	check_bin goimports golang.org/x/tools "$xtools_version"
	check_bin gopls golang.org/x/tools/gopls "$gopls_version"
else
	for t in gonb goimports gopls; do
		row "$t" required missing "needs go" "fix go first, then $install_fix"
	done
fi

# --- The kernelspec ------------------------------------------------------------------
kernel_ok=0
if [[ -n "$jupyter_any" ]]; then
	kdir="$(kernelspec_path "$jupyter_any")"
	if [[ -z "$kdir" ]]; then
		row kernel required missing "no '$KERNEL_NAME' kernelspec" "$install_fix"
	elif ! grep -qF "\"-go_work=$REPO_ROOT\"" "$kdir/kernel.json" 2>/dev/null ||
		! grep -qF "\"$TOOLS_BIN/gonb\"" "$kdir/kernel.json" 2>/dev/null; then
		row kernel required missing "$kdir/kernel.json points elsewhere, not at $REPO_ROOT" "$install_fix"
	else
		row kernel required ok "'$KERNEL_NAME' ($KERNEL_DISPLAY_NAME) in $kdir -> $REPO_ROOT"
		kernel_ok=1
	fi
else
	row kernel required missing "needs jupyter" "$install_fix"
fi

# --- Module wiring: what a notebook cell does, offline -------------------------------
# GoNB (-go_work) builds each cell in a scratch module inside a go.work that
# uses this checkout; do the same with the kernel's settings and build a cell
# importing github.com/llm-map/lab/kernel-setup/selftest.
if [[ -n "$goversion" ]]; then
	scratch="$(mktemp -d)"
	trap 'rm -rf "$scratch"' EXIT
	cat >"$scratch/main.go" <<'EOF'
package main

import (
	"fmt"

	"github.com/llm-map/lab/kernel-setup/selftest"
)

func main() { fmt.Println(selftest.Hello()) }
EOF
	if (
		cd "$scratch" &&
			export PATH="$(go_in_repo env GOROOT)/bin:$PATH" &&
			export GOPROXY=off GOTOOLCHAIN=local GOWORK="" GOFLAGS=-buildvcs=false GOEXPERIMENT=simd &&
			go mod init gonb_doctor &&
			go work init &&
			go work use "$REPO_ROOT" . &&
			go mod edit -replace "github.com/llm-map/lab=$REPO_ROOT" &&
			go get &&
			go build -o cell . &&
			./cell
	) >"$scratch/log" 2>&1; then
		row wiring required ok "a cell imports github.com/llm-map/lab/... from $REPO_ROOT (go.work, GOPROXY=off)"
	else
		row wiring required missing "a GoNB-style cell cannot build offline: $(grep -v '^go: creating' "$scratch/log" | tail -n 1)" \
			"cd $REPO_ROOT && go build ./kernel-setup/selftest && go mod download  (then rerun doctor)"
	fi
fi

# --- Optional -------------------------------------------------------------------------
if [[ -n "$jupyter_any" ]] && jupyter_subcommand_works "$jupyter_any" lab; then
	row jupyterlab optional ok "$("$jupyter_any" lab --version 2>/dev/null) (lab.sh uses it)"
else
	row jupyterlab optional missing "lab.sh uses Jupyter Notebook instead" "pip install jupyterlab (Debian does not package it)"
fi

chromium=""
for c in chromium chromium-browser google-chrome google-chrome-stable chrome headless_shell; do
	if command -v "$c" >/dev/null 2>&1; then
		chromium="$(command -v "$c")"
		break
	fi
done
if [[ -n "$chromium" ]]; then
	row chromium optional ok "$chromium (browser test)"
else
	row chromium optional missing "not found (browser test)" "apt-get install chromium"
fi

plugin=""
dirs=()
IFS=: read -r -a extra <<<"${PJRT_PLUGIN_LIBRARY_PATH:-}"
dirs+=("${extra[@]}" "$HOME/.local/lib/go-xla" "$HOME/.local/lib/go-xla/nvidia" "$HOME/.local/lib/gomlx/pjrt"
	/usr/local/lib/go-xla /usr/local/lib/go-xla/nvidia /usr/local/lib/gomlx/pjrt)
IFS=: read -r -a extra <<<"${LD_LIBRARY_PATH:-}"
dirs+=("${extra[@]}")
for d in "${dirs[@]}"; do
	[[ -n "$d" && -d "$d" ]] || continue
	for f in "$d"/pjrt_c_api_*plugin*.so "$d"/pjrt_c_api_*plugin*.dylib; do
		if [[ -e "$f" ]]; then
			plugin="$f"
			break 2
		fi
	done
done
if [[ -n "$plugin" ]]; then
	row xla-plugin optional ok "$plugin"
else
	row xla-plugin optional missing "no PJRT plugin; lmkit uses the pure-Go backend" \
		"make xla (needs internet once), or put pjrt_c_api_cpu_plugin.so in ~/.local/lib/go-xla or \$PJRT_PLUGIN_LIBRARY_PATH"
fi

if command -v shellcheck >/dev/null 2>&1; then
	row shellcheck optional ok "$(shellcheck --version | awk '/^version:/ { print $2 }') (lint for these scripts)"
else
	row shellcheck optional missing "not found (lint for these scripts)" "apt-get install shellcheck"
fi

# --- Report ------------------------------------------------------------------------
printf 'llm-map lab doctor: %s\n\n' "$REPO_ROOT"
printf '%-12s %-9s %-8s %s\n' ITEM NEED STATUS DETAIL
printf '%s\n' "${rows[@]}"
if [[ ${#fix_cmds[@]} -gt 0 ]]; then
	printf '\nTo fix:\n'
	for i in "${!fix_cmds[@]}"; do
		printf '  %s:\n      %s\n' "${fix_names[$i]}" "${fix_cmds[$i]}"
	done
fi
printf '\n'
if [[ $missing_required -gt 0 ]]; then
	printf 'doctor: %d required item(s) missing.\n' "$missing_required"
	exit 1
fi
if [[ $kernel_ok == 1 ]]; then
	printf 'doctor: ready. Start the lab with kernel-setup/lab.sh (make lab).\n'
fi

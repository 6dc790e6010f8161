#!/usr/bin/env bash
# install.sh sets up the notebook lab for this checkout:
#
#   1. a working Jupyter (an existing one, else Debian's packages via apt);
#   2. GoNB (version from the root go.mod) and goimports + gopls (pinned in
#      kernel-setup/tools/go.mod), built into .tools/bin;
#   3. the Jupyter kernel "gonb" ("Go (llm-map lab)"), whose notebooks can
#      import github.com/llm-map/lab/... from this checkout with no setup cell.
#
# It is idempotent: a second run only checks and takes a few seconds.
#
# Environment:
#   LMKIT_SKIP_APT=1   never call apt; report what is missing and exit 1.
#   LMKIT_JUPYTER=...  use this jupyter executable.
#   JUPYTER_DATA_DIR   install the kernelspec under $JUPYTER_DATA_DIR/kernels.
#   LMKIT_WARM_CACHE=1 also compile ./... once with the kernel's settings, so
#                      the first notebook cell does not pay the cold compile.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

start_s=$SECONDS

# --- Go toolchain ----------------------------------------------------------
command -v go >/dev/null 2>&1 ||
	die "go not found. Install Go >= $GO_MIN_VERSION from https://go.dev/dl and put its bin/ on PATH."
goversion="$(go_in_repo env GOVERSION)" ||
	die "go cannot load the module at $REPO_ROOT (see the message above). With an older Go, export GOTOOLCHAIN=go$GO_MIN_VERSION and the go command fetches it from the module proxy."
version_ge "$goversion" "go$GO_MIN_VERSION" ||
	die "$goversion is older than go$GO_MIN_VERSION. Install a newer Go from https://go.dev/dl, or export GOTOOLCHAIN=go$GO_MIN_VERSION so the go command fetches it."
goroot="$(go_in_repo env GOROOT)"
command -v gcc >/dev/null 2>&1 ||
	warn "gcc not found: GoMLX's default backends use cgo. Fix: apt-get install gcc"

# --- 1. Jupyter ------------------------------------------------------------
apt_install() {
	local -a sudo=()
	if [[ "$(id -u)" != 0 ]]; then
		command -v sudo >/dev/null 2>&1 ||
			die "need root to install ${APT_PACKAGES[*]}. Fix: as root, apt-get install ${APT_PACKAGES[*]}"
		sudo=(sudo)
	fi
	# Wait for another apt/dpkg to finish instead of failing on its lock.
	local -a apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q)
	# A fresh container has no package lists; otherwise try the cached ones first.
	if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
		"${apt[@]}" update
	fi
	if ! "${apt[@]}" install -y --no-install-recommends "${APT_PACKAGES[@]}"; then
		"${apt[@]}" update
		"${apt[@]}" install -y --no-install-recommends "${APT_PACKAGES[@]}" ||
			die "apt-get install ${APT_PACKAGES[*]} failed (see above). Fix that, or install Jupyter another way and set LMKIT_JUPYTER."
	fi
}

if jupyter="$(find_jupyter)"; then
	info "jupyter: $jupyter"
else
	if [[ "${LMKIT_SKIP_APT:-}" == 1 ]]; then
		die "no working Jupyter found (need 'jupyter kernelspec list' and 'jupyter nbconvert'), and LMKIT_SKIP_APT=1 forbids apt.
Fix: apt-get install ${APT_PACKAGES[*]}
  or: pip install notebook nbconvert and put its jupyter on PATH (or set LMKIT_JUPYTER=/path/to/jupyter)."
	fi
	command -v apt-get >/dev/null 2>&1 ||
		die "no working Jupyter found and no apt-get here. Fix: pip install notebook nbconvert, then set LMKIT_JUPYTER=/path/to/jupyter."
	info "no working Jupyter found; installing Debian packages: ${APT_PACKAGES[*]}"
	step_s=$SECONDS
	apt_install
	info "apt-get install took $((SECONDS - step_s)) s"
	jupyter="$(find_jupyter)" ||
		die "installed ${APT_PACKAGES[*]} but /usr/bin/jupyter still fails 'kernelspec list' or 'nbconvert --version'. Run /usr/bin/jupyter nbconvert --version to see why."
	info "jupyter: $jupyter"
fi

# --- 2. GoNB, goimports, gopls -----------------------------------------------
mkdir -p "$TOOLS_BIN"

gonb_version="$(go_in_repo list -m -f '{{.Version}}' github.com/janpfeifer/gonb)" ||
	die "github.com/janpfeifer/gonb is not in $REPO_ROOT/go.mod. Fix: go get -tool github.com/janpfeifer/gonb@v0.11.4"
if bin_has_module "$TOOLS_BIN/gonb" github.com/janpfeifer/gonb "$gonb_version"; then
	info "gonb $gonb_version: up to date"
else
	info "building gonb $gonb_version into .tools/bin (about 30 s)"
	step_s=$SECONDS
	go_in_repo build -o "$TOOLS_BIN/gonb" github.com/janpfeifer/gonb ||
		die "building gonb failed. Fix: check network access to the Go module proxy (go mod download github.com/janpfeifer/gonb), then rerun."
	info "gonb built in $((SECONDS - step_s)) s"
fi

gopls_version="$(tools_go list -m -f '{{.Version}}' golang.org/x/tools/gopls)"
xtools_version="$(tools_go list -m -f '{{.Version}}' golang.org/x/tools)"
if bin_has_module "$TOOLS_BIN/gopls" golang.org/x/tools/gopls "$gopls_version" &&
	bin_has_module "$TOOLS_BIN/goimports" golang.org/x/tools "$xtools_version"; then
	info "gopls $gopls_version, goimports $xtools_version: up to date"
else
	info "building gopls $gopls_version and goimports into .tools/bin (about 40 s)"
	step_s=$SECONDS
	tools_go build -o "$TOOLS_BIN/" golang.org/x/tools/gopls golang.org/x/tools/cmd/goimports ||
		die "building gopls/goimports failed. Fix: check access to the Go module proxy (cd kernel-setup/tools && go mod download), then rerun."
	info "gopls and goimports built in $((SECONDS - step_s)) s"
fi

# --- 3. The kernelspec -----------------------------------------------------
case "$REPO_ROOT" in
*,* | *\"* | *\\* | *'$'*)
	die "the checkout path $REPO_ROOT contains one of , \" \\ \$ which GoNB's -go_work flag or the kernelspec cannot carry. Move the checkout."
	;;
esac

# jupyter_client >= 7 expands ${PATH} in a kernelspec's env from the server's
# environment; older ones would keep it literally, so freeze today's PATH.
jc_version="$("$jupyter" --version 2>/dev/null | awk -F: '/jupyter_client/ { gsub(/ /, "", $2); print $2 }')"
if [[ -n "$jc_version" ]] && version_ge "$jc_version" 7; then
	# shellcheck disable=SC2016 # ${PATH} is for Jupyter to expand.
	kernel_path="$TOOLS_BIN:$goroot/bin:"'${PATH}'
else
	kernel_path="$TOOLS_BIN:$goroot/bin:$PATH"
fi

kdir="$(kernel_dir "$jupyter")"
mkdir -p "$kdir"
new_spec="$(mktemp)"
trap 'rm -f "$new_spec"' EXIT
# The env below is merged over the Jupyter server's environment, so
# LMKIT_DATA_DIR, GOMLX_BACKEND and LMKIT_QUICK pass through when set there.
cat >"$new_spec" <<EOF
{
  "argv": [
    "$TOOLS_BIN/gonb",
    "--kernel",
    "{connection_file}",
    "-go_work=$REPO_ROOT"
  ],
  "display_name": "$KERNEL_DISPLAY_NAME",
  "language": "go",
  "interrupt_mode": "message",
  "env": {
    "PATH": "$kernel_path",
    "GOEXPERIMENT": "simd",
    "GOPROXY": "off",
    "GOTOOLCHAIN": "local",
    "GOWORK": "",
    "GOFLAGS": "-buildvcs=false"
  },
  "metadata": {
    "llm_map_lab_root": "$REPO_ROOT"
  }
}
EOF

if [[ -f "$kdir/kernel.json" ]] && cmp -s "$new_spec" "$kdir/kernel.json"; then
	info "kernel $KERNEL_NAME: up to date in $kdir"
else
	if [[ -f "$kdir/kernel.json" ]] && ! grep -qF "\"-go_work=$REPO_ROOT\"" "$kdir/kernel.json"; then
		cp "$kdir/kernel.json" "$kdir/kernel.json.bak"
		warn "replacing another '$KERNEL_NAME' kernelspec (saved as $kdir/kernel.json.bak)"
	fi
	mv "$new_spec" "$kdir/kernel.json"
	chmod 0644 "$kdir/kernel.json"
	info "kernel $KERNEL_NAME ($KERNEL_DISPLAY_NAME): installed in $kdir"
fi
logo="$(go_in_repo list -m -f '{{.Dir}}' github.com/janpfeifer/gonb)/internal/kernel/Go_gopher_favicon.svg"
if [[ -f "$logo" && ! -f "$kdir/logo-svg.svg" ]]; then
	cp "$logo" "$kdir/logo-svg.svg"
	chmod 0644 "$kdir/logo-svg.svg"
fi

listed="$(kernelspec_path "$jupyter")"
[[ "$listed" == "$kdir" ]] ||
	die "Jupyter resolves the kernel '$KERNEL_NAME' to '${listed:-nothing}', not $kdir. Does JUPYTER_PATH hold another '$KERNEL_NAME' kernel? Check: $jupyter kernelspec list"

# --- Optional: warm the build cache ------------------------------------------
if [[ "${LMKIT_WARM_CACHE:-}" == 1 ]]; then
	info "warming the build cache (GOEXPERIMENT=simd go build ./...)"
	(cd "$REPO_ROOT" && GOWORK=off GOEXPERIMENT=simd GOFLAGS=-buildvcs=false go build ./...) ||
		warn "go build ./... failed; notebooks importing broken packages will fail too"
fi

info "done in $((SECONDS - start_s)) s. Next: kernel-setup/doctor.sh, then kernel-setup/lab.sh"

#!/usr/bin/env bash
# run-notebooks.sh executes notebooks headless with the lab's GoNB kernel and
# fails if any cell fails.
#
# Usage: kernel-setup/run-notebooks.sh [--quick] [--inplace] [NOTEBOOK ...]
#
#   NOTEBOOK   default: every notebooks/*.ipynb of this checkout.
#   --quick    set LMKIT_QUICK=1 for the kernels (notebooks shrink their steps).
#   --inplace  replace each notebook with its executed copy, but only when it
#              ran clean. Without it the committed notebooks are never touched.
#
# Environment:
#   LMKIT_QUICK=1       same as --quick (the kernels inherit it).
#   LMKIT_NB_TIMEOUT    per-cell timeout in seconds (default 1800; -1: none).
#   LMKIT_NB_OUT        scratch output folder (default out/notebooks).
#
# Each executed copy and its log land in the scratch folder. A failing cell is
# reported with the notebook, the cell number, what it printed and the error.
# Cells after a failing one still run (nbconvert --allow-errors), so one run
# reports every failure; dependent cells then fail fast at compile time.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

inplace=0
notebooks=()
for arg in "$@"; do
	case "$arg" in
	--inplace) inplace=1 ;;
	--quick) export LMKIT_QUICK=1 ;;
	-h | --help)
		usage
		exit 0
		;;
	-*) die "unknown flag $arg (see kernel-setup/run-notebooks.sh --help)" ;;
	*) notebooks+=("$arg") ;;
	esac
done
if [[ ${#notebooks[@]} -eq 0 ]]; then
	shopt -s nullglob
	notebooks=("$REPO_ROOT"/notebooks/*.ipynb)
	shopt -u nullglob
	if [[ ${#notebooks[@]} -eq 0 ]]; then
		info "no notebooks/*.ipynb to run"
		exit 0
	fi
fi
for nb in "${notebooks[@]}"; do
	[[ -f "$nb" ]] || die "notebook $nb not found"
	[[ "$nb" == *.ipynb ]] || die "$nb is not a .ipynb notebook"
done

# Full runs record the committed outputs, and their models train for fixed time budgets: on a
# busy machine they train less and the outputs understate them. Say so before starting.
if [[ "${LMKIT_QUICK:-}" != 1 && -r /proc/loadavg ]]; then
	load="$(cut -d' ' -f1 /proc/loadavg)"
	cores="$(nproc 2>/dev/null || echo 1)"
	if awk -v l="$load" -v c="$cores" 'BEGIN { exit !(l > 0.5 * c) }'; then
		echo "warning: load average $load on $cores cores: another job is running. Notebooks trained now" \
			"get less of the machine within their time budgets; record committed outputs alone (check uptime)." >&2
	fi
fi

jupyter="$(find_jupyter)" ||
	die "no working Jupyter (jupyter kernelspec + nbconvert). Fix: kernel-setup/install.sh"
python="$(find_python "$jupyter")" ||
	die "no python3 found to read notebooks. Fix: apt-get install python3"
kdir="$(kernelspec_path "$jupyter")"
[[ -n "$kdir" && -f "$kdir/kernel.json" ]] ||
	die "the Jupyter kernel '$KERNEL_NAME' is not installed. Fix: kernel-setup/install.sh"
grep -qF "\"-go_work=$REPO_ROOT\"" "$kdir/kernel.json" ||
	die "the kernel '$KERNEL_NAME' in $kdir does not point at this checkout ($REPO_ROOT). Fix: kernel-setup/install.sh"

timeout_s="${LMKIT_NB_TIMEOUT:-1800}"
[[ "$timeout_s" =~ ^-?[0-9]+$ ]] || die "LMKIT_NB_TIMEOUT=$timeout_s is not a number of seconds"
out_root="${LMKIT_NB_OUT:-$REPO_ROOT/out/notebooks}"
mkdir -p "$out_root"
out_root="$(cd "$out_root" && pwd -P)"

# Headless runs use a copy of the kernelspec with GoNB's -raw_error, so that
# compile errors come back as plain text in the error output (the browser gets
# HTML instead). JUPYTER_PATH comes first in Jupyter's kernel search.
spec_root="$(mktemp -d)"
trap 'rm -rf "$spec_root"' EXIT
mkdir -p "$spec_root/kernels/$KERNEL_NAME"
"$python" - "$kdir/kernel.json" "$spec_root/kernels/$KERNEL_NAME/kernel.json" <<'EOF'
import json, sys
spec = json.load(open(sys.argv[1]))
if "-raw_error" not in spec["argv"]:
    spec["argv"].append("-raw_error")
json.dump(spec, open(sys.argv[2], "w"), indent=2)
EOF
export JUPYTER_PATH="$spec_root${JUPYTER_PATH:+:$JUPYTER_PATH}"

info "running ${#notebooks[@]} notebook(s) with kernel $KERNEL_NAME${LMKIT_QUICK:+ (LMKIT_QUICK=$LMKIT_QUICK)}; outputs in $out_root"
failed=()
for nb in "${notebooks[@]}"; do
	nb_abs="$(cd "$(dirname "$nb")" && pwd -P)/$(basename "$nb")"
	rel="${nb_abs#"$REPO_ROOT"/}"
	out_dir="$out_root/$(dirname "$rel")"
	[[ "$rel" == /* ]] && out_dir="$out_root/external"
	mkdir -p "$out_dir"
	out_nb="$out_dir/$(basename "$nb")"
	log="${out_nb%.ipynb}.log"
	start_s=$SECONDS
	printf -- '--> %s ... ' "$rel"
	if ! "$jupyter" nbconvert --to notebook --execute \
		--ExecutePreprocessor.kernel_name="$KERNEL_NAME" \
		--ExecutePreprocessor.timeout="$timeout_s" \
		--ExecutePreprocessor.allow_errors=True \
		--output-dir "$out_dir" "$nb_abs" >"$log" 2>&1; then
		printf 'FAILED (%d s)\n' "$((SECONDS - start_s))"
		# nbconvert itself failed: a timeout, a dead kernel, a bad notebook.
		printf '%s: nbconvert failed; last lines of %s:\n' "$rel" "$log" >&2
		grep -vE '^[IWE][0-9]{4} ' "$log" | tail -n 25 | sed 's/^/    /' >&2
		failed+=("$rel")
		continue
	fi
	if ! report="$("$python" "$REPO_ROOT/kernel-setup/check-outputs.py" --errors-only "$out_nb")"; then
		printf 'FAILED (%d s)\n' "$((SECONDS - start_s))"
		printf '%s\n' "${report//"$out_nb"/$rel}" >&2
		printf '    (executed copy: %s, kernel log: %s)\n' "$out_nb" "$log" >&2
		failed+=("$rel")
		continue
	fi
	printf 'ok (%d s)\n' "$((SECONDS - start_s))"
	if [[ $inplace == 1 ]]; then
		cp "$out_nb" "$nb_abs"
		printf '    updated %s\n' "$rel"
	fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
	printf 'error: %d of %d notebook(s) failed: %s\n' "${#failed[@]}" "${#notebooks[@]}" "${failed[*]}" >&2
	exit 1
fi
info "all ${#notebooks[@]} notebook(s) ran clean"

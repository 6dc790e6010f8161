#!/usr/bin/env bash
# lab.sh starts Jupyter (JupyterLab if installed, else Jupyter Notebook) on
# this checkout's notebooks/ folder, in the foreground. Stop it with Ctrl+C.
#
# Environment:
#   LAB_PORT   port (default 8888). Jupyter is told not to move to another one.
#   LAB_TOKEN  access token (default: 32 random hex digits, new each start).
#   LAB_IP     address to bind (default 127.0.0.1; set LAB_IP=0.0.0.0 to
#              serve every interface, for example inside a container).
#   LAB_DIR    folder to serve (default: this checkout's notebooks/). The
#              browser test (e2e/) serves a temporary copy of a notebook.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

port="${LAB_PORT:-8888}"
[[ "$port" =~ ^[0-9]+$ && "$port" -ge 1 && "$port" -le 65535 ]] ||
	die "LAB_PORT=$port is not a port number. Example: make lab LAB_PORT=8890"
ip="${LAB_IP:-127.0.0.1}"
token="${LAB_TOKEN:-}"
if [[ -z "$token" ]]; then
	token="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
fi
[[ ${#token} -ge 8 ]] || die "LAB_TOKEN is too short; use at least 8 characters, or unset it for a random one."

jupyter="$(find_jupyter)" ||
	die "no working Jupyter found. Fix: kernel-setup/install.sh (make lab-setup)"
kdir="$(kernelspec_path "$jupyter")"
if [[ -z "$kdir" ]] || ! grep -qF "\"-go_work=$REPO_ROOT\"" "$kdir/kernel.json" 2>/dev/null; then
	die "the Go kernel '$KERNEL_NAME' is not installed for this checkout ($REPO_ROOT). Fix: kernel-setup/install.sh"
fi
[[ -x "$TOOLS_BIN/gonb" ]] || die "$TOOLS_BIN/gonb is missing. Fix: kernel-setup/install.sh"

# Is the port free? Probe by binding it, the way the server will (with
# SO_REUSEADDR). Fall back to a connect probe when no python is at hand.
probe_ip="$ip"
[[ "$probe_ip" == 0.0.0.0 || "$probe_ip" == "*" || "$probe_ip" == "" ]] && probe_ip=""
port_busy() {
	local py
	if py="$(find_python "$jupyter")"; then
		if "$py" - "$probe_ip" "$port" <<'EOF'; then
import socket, sys
s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind((sys.argv[1], int(sys.argv[2])))
except OSError:
    sys.exit(1)
EOF
			return 1
		fi
		return 0
	else
		(exec 3<>"/dev/tcp/${probe_ip:-127.0.0.1}/$port") 2>/dev/null
	fi
}
if port_busy; then
	other=8890
	[[ "$port" == 8890 ]] && other=8891
	die "port $port on $ip is already in use (another Jupyter?). Pick another port: make lab LAB_PORT=$other (or LAB_PORT=$other kernel-setup/lab.sh)"
fi

if [[ -n "${LAB_DIR:-}" ]]; then
	[[ -d "$LAB_DIR" ]] || die "LAB_DIR=$LAB_DIR is not a folder."
	notebooks="$(cd "$LAB_DIR" && pwd -P)"
else
	notebooks="$REPO_ROOT/notebooks"
	mkdir -p "$notebooks"
fi

# JupyterLab and Notebook >= 7 run on jupyter_server (ServerApp); Notebook 6
# has its own NotebookApp. The token goes through JUPYTER_TOKEN, which both
# read, so it does not show in `ps`.
app=NotebookApp
path="tree"
if jupyter_subcommand_works "$jupyter" lab; then
	sub=lab
	app=ServerApp
	path="lab"
else
	sub=notebook
	nb_version="$("$jupyter" notebook --version 2>/dev/null || echo 0)"
	version_ge "$nb_version" 7 && app=ServerApp
fi
args=(
	"$sub"
	--no-browser
	"--$app.ip=$ip"
	"--$app.port=$port"
	"--$app.port_retries=0"
	"--notebook-dir=$notebooks"
)
[[ "$(id -u)" == 0 ]] && args+=(--allow-root)

url_host="$ip"
[[ "$ip" == 0.0.0.0 || "$ip" == "*" || "$ip" == "" ]] && url_host="$(hostname -f 2>/dev/null || hostname)"
[[ "$url_host" == *:* ]] && url_host="[$url_host]"
url="http://$url_host:$port/$path?token=$token"

cat <<EOF

  llm-map lab: Jupyter $sub on $notebooks
  kernel:  $KERNEL_DISPLAY_NAME ($kdir)
  open:    $url
EOF
if [[ "$url_host" != "$ip" ]]; then
	printf '  local:   http://127.0.0.1:%s/%s?token=%s\n' "$port" "$path" "$token"
fi
printf '\n'
if [[ -n "${LAB_IP:-}" ]]; then
	printf '  LAB_IP=%s: other machines can reach the lab; the token is its only lock.\n\n' "$LAB_IP"
fi

export JUPYTER_TOKEN="$token"
exec "$jupyter" "${args[@]}"

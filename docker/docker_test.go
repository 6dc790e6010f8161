// Package docker tests the containerised lab (docker/Dockerfile, docker/compose.yaml): it
// builds the image, starts the lab, checks the token and the security settings, and runs
// notebooks/00_start_here.ipynb inside the container, headless and in quick mode.
//
// It skips, saying how to fix it, where no Docker engine answers, unless
// LMKIT_REQUIRE_DOCKER=1. Where no registry is reachable, docker/base.sh makes the base
// image (debian:bookworm-slim) with debootstrap and caches its root file system in
// ~/.cache/llm-map-lab/, outside the build context. `make docker-test` runs it (part of
// `make test`) with -timeout 60m: a cold build takes about 20 minutes on 2 cores.
//
// Environment:
//
//	LMKIT_REQUIRE_DOCKER=1  fail instead of skipping when Docker (or the data) is missing
//	LMKIT_DATA_DIR          the corpora, mounted read-only (default ../shared/data)
//	LMKIT_DOCKER_CA         a PEM bundle the build's download stages trust (default: the
//	                        host's /etc/ssl/certs/ca-certificates.crt; "none": nothing)
//	LMKIT_DOCKER_KEEP=1     leave the containers and volume up after the test, to look
package docker

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	image       = "llm-map-lab:cpu" // compose.yaml's image
	service     = "lab"
	notebook    = "notebooks/00_start_here.ipynb"
	fixInstall  = "install Docker Engine and Compose (Debian: apt-get install docker.io docker-compose) and check that `docker info` answers"
	requireHint = "set LMKIT_REQUIRE_DOCKER=1 to make this a failure"
)

// env is what the test needs from the machine.
type env struct {
	repo    string   // the checkout
	project string   // the compose project, unique to this test run
	compose []string // "docker compose" or "docker-compose", with -p and -f
	data    string   // LMKIT_DATA_DIR
	environ []string // for compose: the caller's environment without the lab's settings
}

// skipOrFail skips, or fails where LMKIT_REQUIRE_DOCKER=1.
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("LMKIT_REQUIRE_DOCKER") == "1" {
		t.Fatalf("%s (LMKIT_REQUIRE_DOCKER=1)", msg)
	}
	t.Skipf("%s; %s", msg, requireHint)
}

func setup(t *testing.T) *env {
	t.Helper()
	if _, err := exec.LookPath("docker"); err != nil {
		skipOrFail(t, "docker: no docker command on PATH. Fix: %s", fixInstall)
	}
	if out, err := run(t, 30*time.Second, nil, "", "docker", "info", "--format", "{{.ServerVersion}}"); err != nil {
		skipOrFail(t, "docker: the Docker engine does not answer (%v: %s). Fix: start it (systemctl start docker) or join the docker group", err, lastLines(out, 3))
	}
	var compose []string
	if _, err := run(t, 30*time.Second, nil, "", "docker", "compose", "version"); err == nil {
		compose = []string{"docker", "compose"}
	} else if _, err := exec.LookPath("docker-compose"); err == nil {
		compose = []string{"docker-compose"}
	} else {
		skipOrFail(t, "docker: neither `docker compose` nor docker-compose is installed. Fix: apt-get install docker-compose (or the docker-compose-plugin)")
	}

	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	data := os.Getenv("LMKIT_DATA_DIR")
	if data == "" {
		data = filepath.Join(repo, "..", "shared", "data")
	}
	if data, err = filepath.Abs(data); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(data, "names.txt")); err != nil {
		skipOrFail(t, "docker: no names.txt in LMKIT_DATA_DIR=%s, which the notebook needs offline. Fix: set LMKIT_DATA_DIR to the folder of corpora (../shared/data)", data)
	}

	project := fmt.Sprintf("lmkit-docker-test-%d", os.Getpid())
	compose = append(compose, "-p", project, "-f", filepath.Join(repo, "docker", "compose.yaml"))

	// The caller's LAB_* and compose settings must not leak into the test's lab.
	var environ []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "LAB_"), strings.HasPrefix(name, "COMPOSE_"),
			name == "LMKIT_QUICK", name == "GOMLX_BACKEND", name == "LMKIT_DATA_DIR":
			continue
		}
		environ = append(environ, kv)
	}
	return &env{repo: repo, project: project, compose: compose, data: data, environ: environ}
}

// budget bounds a step's time limit by the test's deadline (go test -timeout), keeping a
// margin for the cleanup: a step that runs out fails the test, and compose down still runs,
// where a go test timeout would panic past every t.Cleanup.
func budget(t *testing.T, d time.Duration) time.Duration {
	t.Helper()
	deadline, ok := t.Deadline()
	if !ok {
		return d
	}
	left := time.Until(deadline) - 90*time.Second
	if left < 10*time.Second {
		left = 10 * time.Second
	}
	return min(d, left)
}

// run runs a command with a time limit and returns its combined output.
func run(t *testing.T, limit time.Duration, environ []string, dir string, name string, args ...string) (string, error) {
	t.Helper()
	return runFor(budget(t, limit), environ, dir, name, args...)
}

// runFor is run without the deadline's margin, for the cleanup.
func runFor(limit time.Duration, environ []string, dir string, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = environ
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	cmd.WaitDelay = 10 * time.Second
	err := cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("%s %s: gave up after %v (a cold image build takes 10-30 min on 2 cores: raise go test -timeout, or build first with docker compose -f docker/compose.yaml build): %w",
			name, strings.Join(args, " "), limit.Round(time.Second), err)
	}
	return out.String(), err
}

// runLogged is run with the output also written to out/docker/<log>.
func (e *env) runLogged(t *testing.T, limit time.Duration, environ []string, log string, name string, args ...string) (string, error) {
	t.Helper()
	out, err := run(t, limit, environ, e.repo, name, args...)
	dir := filepath.Join(e.repo, "out", "docker")
	if mkErr := os.MkdirAll(dir, 0o755); mkErr == nil {
		_ = os.WriteFile(filepath.Join(dir, log), []byte(out), 0o644)
	}
	return out, err
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func randomHex(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// prepareCA writes the CA bundle the build's download stages trust: the host's, so the
// build reaches the module proxy wherever the host does (a TLS-intercepting proxy).
func (e *env) prepareCA(t *testing.T) {
	t.Helper()
	src := os.Getenv("LMKIT_DOCKER_CA")
	if src == "none" {
		return
	}
	if src == "" {
		src = "/etc/ssl/certs/ca-certificates.crt"
	}
	pem, err := os.ReadFile(src)
	if err != nil {
		if os.Getenv("LMKIT_DOCKER_CA") != "" {
			t.Fatalf("LMKIT_DOCKER_CA: %v", err)
		}
		return
	}
	dst := filepath.Join(e.repo, "docker", "ca-certificates", "host-bundle.crt")
	if old, err := os.ReadFile(dst); err == nil && bytes.Equal(old, pem) {
		return // unchanged: keeps the build cache
	}
	if err := os.WriteFile(dst, pem, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestDockerLab builds the image, checks it, starts the lab with compose, and runs the
// first notebook in it.
func TestDockerLab(t *testing.T) {
	if testing.Short() && os.Getenv("LMKIT_REQUIRE_DOCKER") != "1" {
		t.Skip("docker: skipped in -short mode (builds an image and runs a notebook); " + requireHint)
	}
	e := setup(t)
	started := time.Now()

	// 1. The base image: present, imported from the cached tarball, pulled, or debootstrapped.
	if out, err := e.runLogged(t, 10*time.Minute, e.environ, "base.log", "bash", "docker/base.sh"); err != nil {
		t.Fatalf("docker/base.sh: %v\n%s", err, lastLines(out, 20))
	}

	// 2. Build with compose, the way users do.
	e.prepareCA(t)
	buildStart := time.Now()
	out, err := e.runLogged(t, 45*time.Minute, e.environ, "build.log", e.compose[0], append(e.compose[1:], "build", service)...)
	if err != nil {
		t.Fatalf("compose build: %v (full log: out/docker/build.log)\n%s", err, lastLines(out, 40))
	}
	cached := strings.Count(out, "Using cache") + strings.Count(out, "CACHED")
	t.Logf("image built in %.1f s (%d cached steps)", time.Since(buildStart).Seconds(), cached)

	// 3. The image itself: user, environment, history, what it holds.
	checkImage(t, e)

	// 4. The lab, through compose, with a known token on a free loopback port.
	token := randomHex(t, 16)
	port := freePort(t)
	labEnv := append(append([]string{}, e.environ...),
		"LAB_TOKEN="+token, "LAB_PORT="+strconv.Itoa(port), "LMKIT_DATA_DIR="+e.data)
	compose := func(limit time.Duration, args ...string) (string, error) {
		return run(t, limit, labEnv, e.repo, e.compose[0], append(e.compose[1:], args...)...)
	}
	t.Cleanup(func() {
		if t.Failed() {
			if logs, err := compose(time.Minute, "logs", "--no-color", "--tail=60"); err == nil {
				t.Logf("container logs (last 60 lines):\n%s", logs)
			}
		}
		if os.Getenv("LMKIT_DOCKER_KEEP") == "1" {
			t.Logf("LMKIT_DOCKER_KEEP=1: left running; stop with: %s down -v", strings.Join(e.compose, " "))
			return
		}
		limit := 3 * time.Minute
		if deadline, ok := t.Deadline(); ok {
			limit = max(min(limit, time.Until(deadline)-5*time.Second), 5*time.Second)
		}
		if out, err := runFor(limit, labEnv, e.repo, e.compose[0], append(e.compose[1:], "down", "-v", "--remove-orphans", "--timeout", "5")...); err != nil {
			t.Errorf("compose down -v: %v\n%s", err, lastLines(out, 10))
		}
	})
	upStart := time.Now()
	if out, err := compose(5*time.Minute, "up", "-d", "--no-build", service); err != nil {
		t.Fatalf("compose up: %v\n%s", err, lastLines(out, 20))
	}
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	waitForJupyter(t, base, token)
	t.Logf("Jupyter answered with the token after %.1f s", time.Since(upStart).Seconds())

	// The token is required, and the port is published on loopback only.
	if code := httpStatus(base + "/api/status"); code == http.StatusOK {
		t.Errorf("GET /api/status without the token: %d, want a refusal", code)
	}
	if code := httpStatus(base + "/api/status?token=wrong" + token[:8]); code == http.StatusOK {
		t.Errorf("GET /api/status with a wrong token: %d, want a refusal", code)
	}
	cid, err := compose(time.Minute, "ps", "-q", service)
	if err != nil || strings.TrimSpace(cid) == "" {
		t.Fatalf("compose ps -q: %v %q", err, cid)
	}
	cid = strings.TrimSpace(lastLines(cid, 1))
	checkContainer(t, cid, port)
	if logs, _ := compose(time.Minute, "logs", "--no-color", service); !strings.Contains(logs, "token="+token) {
		t.Errorf("the log does not print the URL with the token:\n%s", lastLines(logs, 20))
	}

	// 5. The first notebook, inside the running container, headless and in quick mode.
	nbStart := time.Now()
	out, err = compose(15*time.Minute, "exec", "-T", service, "bash", "kernel-setup/run-notebooks.sh", "--quick", notebook)
	t.Logf("%s in the container: %.1f s\n%s", notebook, time.Since(nbStart).Seconds(), lastLines(out, 6))
	if err != nil {
		t.Fatalf("run-notebooks.sh --quick %s in the container: %v\n%s", notebook, err, out)
	}
	if !strings.Contains(out, "ok (") {
		t.Errorf("run-notebooks.sh did not report the notebook ok:\n%s", out)
	}
	if out, err := compose(time.Minute, "exec", "-T", service, "cat", "out/notebooks/notebooks/00_start_here.ipynb"); err != nil {
		t.Errorf("reading the executed notebook: %v", err)
	} else {
		checkExecuted(t, out)
	}

	// 6. The runs outlive the container: remove it, read them from the volume.
	if out, err := compose(2*time.Minute, "rm", "-s", "-f", service); err != nil {
		t.Fatalf("compose rm -s -f: %v\n%s", err, out)
	}
	volume := e.project + "_notebooks"
	out, err = run(t, 2*time.Minute, e.environ, "", "docker", "run", "--rm", "-v", volume+":/opt/lab/notebooks",
		image, "bash", "-c", "ls notebooks/*.ipynb notebooks/runs/00_mlp/summary.json notebooks/runs/00_bigram/summary.json")
	if err != nil {
		t.Errorf("after the container is gone, the volume %s lacks the notebook or its runs: %v\n%s", volume, err, out)
	}
	t.Logf("total %.1f s", time.Since(started).Seconds())
}

// waitForJupyter polls /api/status with the token until Jupyter answers 200.
func waitForJupyter(t *testing.T, base, token string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	last := 0
	for time.Now().Before(deadline) {
		if last = httpStatus(base + "/api/status?token=" + token); last == http.StatusOK {
			return
		}
		time.Sleep(time.Second)
	}
	t.Fatalf("Jupyter did not answer 200 on %s/api/status?token=... within 3 minutes (last status %d)", base, last)
}

func httpStatus(url string) int {
	client := http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	resp, err := client.Get(url)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

var secretName = regexp.MustCompile(`(?i)(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|CREDENTIAL)`)

// checkImage: not root, no secret-looking variables or build arguments, nothing of the
// build's CA certificates or the data in the layers; reports the size.
func checkImage(t *testing.T, e *env) {
	t.Helper()
	out, err := run(t, time.Minute, e.environ, "", "docker", "image", "inspect", image)
	if err != nil {
		t.Fatalf("docker image inspect %s: %v\n%s", image, err, out)
	}
	var inspect []struct {
		Size   int64
		Config struct {
			User       string
			Env        []string
			Entrypoint []string
			Volumes    map[string]struct{}
		}
	}
	if err := json.Unmarshal([]byte(out), &inspect); err != nil || len(inspect) != 1 {
		t.Fatalf("docker image inspect %s: %v", image, err)
	}
	c := inspect[0].Config
	t.Logf("image %s: %.0f MB", image, float64(inspect[0].Size)/1e6)
	if c.User == "" || c.User == "root" || c.User == "0" || strings.HasPrefix(c.User, "0:") || strings.HasPrefix(c.User, "root:") {
		t.Errorf("image user is %q: the lab must not run as root", c.User)
	}
	for _, kv := range c.Env {
		name, value, _ := strings.Cut(kv, "=")
		if secretName.MatchString(name) && value != "" {
			t.Errorf("image environment holds %s with a value: secrets must not be in the image", name)
		}
	}
	if _, ok := c.Volumes["/opt/lab/notebooks"]; !ok {
		t.Errorf("image declares no volume /opt/lab/notebooks (volumes: %v)", c.Volumes)
	}

	hist, err := run(t, time.Minute, e.environ, "", "docker", "history", "--no-trunc", "--format", "{{.CreatedBy}}", image)
	if err != nil {
		t.Fatalf("docker history: %v\n%s", err, hist)
	}
	assign := regexp.MustCompile(`(?i)\b[A-Z0-9_]*(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|CREDENTIAL)[A-Z0-9_]*=[^\s"']+`)
	for _, line := range strings.Split(hist, "\n") {
		if m := assign.FindString(line); m != "" {
			t.Errorf("docker history shows a secret-like assignment %q in: %.200s", m, line)
		}
	}

	// What the layers hold: no extra CA certificates (those were for the download stages),
	// no corpora (LMKIT_DATA_DIR is mounted, never copied), the toolchain the Dockerfile pins.
	out, err = run(t, 2*time.Minute, e.environ, "", "docker", "run", "--rm", "--entrypoint", "bash", image, "-c",
		`ls /usr/local/share/ca-certificates; find / -xdev \( -name names.txt -o -name tinyshakespeare.txt -o -name '*.crt' -path '*lab-extra*' \) -print 2>/dev/null; echo "go=$(go version)"; echo "user=$(id -un):$(id -u)"; jupyter --version | grep -E "^(notebook|jupyterlab|nbconvert)"; ls /usr/local/lib/go-xla 2>/dev/null | sed 's/^/xla: /'`)
	if err != nil {
		t.Fatalf("looking inside the image: %v\n%s", err, out)
	}
	t.Logf("inside the image:\n%s", strings.TrimSpace(out))
	for _, bad := range []string{"lab-extra", "names.txt", "tinyshakespeare.txt"} {
		if strings.Contains(out, bad) {
			t.Errorf("the image holds %s:\n%s", bad, out)
		}
	}
	if !strings.Contains(out, "user=lab:") || strings.Contains(out, "user=lab:0\n") {
		t.Errorf("the image's default user is not the unprivileged lab user:\n%s", out)
	}

	// The entrypoint refuses root, and a token shorter than 8 characters.
	if out, err := run(t, time.Minute, e.environ, "", "docker", "run", "--rm", "--user", "0", image); err == nil || !strings.Contains(out, "refuses to run as root") {
		t.Errorf("docker run --user 0: want a refusal, got err=%v:\n%s", err, lastLines(out, 5))
	}
	if out, err := run(t, time.Minute, e.environ, "", "docker", "run", "--rm", "-e", "LAB_TOKEN=short", image); err == nil || !strings.Contains(out, "too short") {
		t.Errorf("docker run -e LAB_TOKEN=short: want a refusal, got err=%v:\n%s", err, lastLines(out, 5))
	}
	checkGeneratedToken(t, e)
}

// checkGeneratedToken starts the image with LAB_TOKEN empty: it must print a generated
// token, and Jupyter must require exactly that one.
func checkGeneratedToken(t *testing.T, e *env) {
	t.Helper()
	name := fmt.Sprintf("lmkit-docker-test-token-%d", os.Getpid())
	if out, err := run(t, time.Minute, e.environ, "", "docker", "run", "-d", "--name", name, "-e", "LAB_TOKEN=", image); err != nil {
		t.Fatalf("docker run -d: %v\n%s", err, out)
	}
	t.Cleanup(func() { _, _ = runFor(30*time.Second, e.environ, "", "docker", "rm", "-f", "-v", name) })
	tokenRE := regexp.MustCompile(`token=([0-9a-f]{32})\b`)
	var token string
	deadline := time.Now().Add(2 * time.Minute)
	for token == "" && time.Now().Before(deadline) {
		logs, _ := run(t, time.Minute, e.environ, "", "docker", "logs", name)
		if m := tokenRE.FindStringSubmatch(logs); m != nil {
			token = m[1]
			break
		}
		time.Sleep(time.Second)
	}
	if token == "" {
		t.Fatalf("with LAB_TOKEN empty, the log printed no generated token")
	}
	probe := `import sys, urllib.request, urllib.error
def status(url):
    try:
        return urllib.request.urlopen(url, timeout=4).status
    except urllib.error.HTTPError as e:
        return e.code
    except Exception:
        return 0
for _ in range(120):
    if status("http://127.0.0.1:8888/api/status?token=" + sys.argv[1]) == 200:
        break
    __import__("time").sleep(1)
print(status("http://127.0.0.1:8888/api/status?token=" + sys.argv[1]), status("http://127.0.0.1:8888/api/status"), status("http://127.0.0.1:8888/api/status?token="))`
	out, err := run(t, 3*time.Minute, e.environ, "", "docker", "exec", name, "python3", "-c", probe, token)
	if err != nil {
		t.Fatalf("probing Jupyter in the container: %v\n%s", err, out)
	}
	if f := strings.Fields(out); len(f) != 3 || f[0] != "200" || f[1] == "200" || f[2] == "200" {
		t.Errorf("generated token: /api/status with it, without, with an empty one = %q; want 200 then refusals", strings.TrimSpace(out))
	}
}

// checkContainer: the running process is not root and the port is on 127.0.0.1 only.
func checkContainer(t *testing.T, cid string, port int) {
	t.Helper()
	out, err := run(t, time.Minute, nil, "", "docker", "inspect", "--format", "{{json .HostConfig.PortBindings}}", cid)
	if err != nil {
		t.Fatalf("docker inspect: %v\n%s", err, out)
	}
	var bindings map[string][]struct{ HostIp, HostPort string }
	if err := json.Unmarshal([]byte(out), &bindings); err != nil {
		t.Fatalf("port bindings %q: %v", out, err)
	}
	got := bindings["8888/tcp"]
	if len(got) != 1 || got[0].HostIp != "127.0.0.1" || got[0].HostPort != strconv.Itoa(port) {
		t.Errorf("port 8888 published as %+v, want only 127.0.0.1:%d", got, port)
	}
	out, err = run(t, time.Minute, nil, "", "docker", "exec", cid, "bash", "-c", `id -u; ps -eo user=,comm= 2>/dev/null || for p in /proc/[0-9]*; do stat -c '%U' "$p"; done`)
	if err != nil {
		t.Fatalf("docker exec id: %v\n%s", err, out)
	}
	lines := strings.Fields(out)
	if len(lines) == 0 || lines[0] == "0" {
		t.Errorf("the container runs as uid %q, want the unprivileged lab user", out)
	}
	for _, f := range lines[1:] {
		if f == "root" {
			t.Errorf("a process in the container runs as root:\n%s", out)
			break
		}
	}
}

// checkExecuted: every code cell of the executed notebook ran, none with an error.
func checkExecuted(t *testing.T, raw string) {
	t.Helper()
	var nb struct {
		Cells []struct {
			CellType       string `json:"cell_type"`
			ExecutionCount *int   `json:"execution_count"`
			Outputs        []struct {
				OutputType string `json:"output_type"`
				Ename      string `json:"ename"`
			} `json:"outputs"`
		} `json:"cells"`
	}
	if err := json.Unmarshal([]byte(raw), &nb); err != nil {
		t.Errorf("executed notebook: %v", err)
		return
	}
	code := 0
	for i, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		code++
		if c.ExecutionCount == nil {
			t.Errorf("cell %d did not run", i)
		}
		for _, o := range c.Outputs {
			if o.OutputType == "error" {
				t.Errorf("cell %d: error %s", i, o.Ename)
			}
		}
	}
	if code == 0 {
		t.Error("executed notebook has no code cells")
	}
}

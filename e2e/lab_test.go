package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/llm-map/lab/internal/labtest"
)

// requireLab reports whether a missing lab is a failure (LMKIT_REQUIRE_LAB=1) or a skip.
func requireLab() bool { return os.Getenv("LMKIT_REQUIRE_LAB") == "1" }

// missing skips t, saying what is missing and how to fix it; under LMKIT_REQUIRE_LAB=1 it
// fails t instead.
func missing(t testing.TB, what, fix string) {
	t.Helper()
	if requireLab() {
		t.Fatalf("%s. Fix: %s (LMKIT_REQUIRE_LAB=1 makes this a failure, not a skip)", what, fix)
	}
	t.Skipf("%s. Fix: %s (set LMKIT_REQUIRE_LAB=1 to make this a failure)", what, fix)
}

// setup is what the lab tests found on this machine.
type setup struct {
	root    string // repository root, symlinks resolved (lab.sh uses pwd -P)
	jupyter string // a jupyter that lists kernels
	bad     string // why the lab cannot run here; empty when it can
}

var (
	setupOnce sync.Once
	found     setup
)

const labFix = "make lab-setup (kernel-setup/install.sh installs Jupyter and the gonb kernel)"

// needLab returns the lab's setup, or skips t (fails it under LMKIT_REQUIRE_LAB=1) when
// Jupyter, nbconvert, GoNB or the kernelspec for this checkout is missing. It costs one
// `jupyter kernelspec list` per test binary.
func needLab(t testing.TB) setup {
	t.Helper()
	setupOnce.Do(func() { found = findLab() })
	if found.bad != "" {
		missing(t, found.bad, labFix)
	}
	return found
}

func findLab() setup {
	var s setup
	root, err := filepath.Abs(labtest.Root())
	if err == nil {
		root, err = filepath.EvalSymlinks(root)
	}
	if err != nil {
		return setup{bad: "cannot resolve the repository root: " + err.Error()}
	}
	s.root = root
	if _, err := exec.LookPath("bash"); err != nil {
		s.bad = "bash not found"
		return s
	}
	var candidates []string
	if j := os.Getenv("LMKIT_JUPYTER"); j != "" {
		candidates = append(candidates, j)
	}
	if j, err := exec.LookPath("jupyter"); err == nil {
		candidates = append(candidates, j)
	}
	candidates = append(candidates, "/usr/bin/jupyter", "/usr/local/bin/jupyter")
	var specs struct {
		Kernelspecs map[string]struct {
			ResourceDir string `json:"resource_dir"`
		} `json:"kernelspecs"`
	}
	for _, c := range candidates {
		if fi, err := os.Stat(c); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		out, err := exec.CommandContext(ctx, c, "kernelspec", "list", "--json").Output()
		cancel()
		if err == nil && json.Unmarshal(out, &specs) == nil {
			s.jupyter = c
			break
		}
	}
	if s.jupyter == "" {
		s.bad = "no working jupyter (tried " + strings.Join(candidates, ", ") + ")"
		return s
	}
	if !hasSibling(s.jupyter, "jupyter-nbconvert") {
		s.bad = "jupyter nbconvert is missing beside " + s.jupyter
		return s
	}
	spec, ok := specs.Kernelspecs["gonb"]
	if !ok {
		s.bad = "the Jupyter kernel gonb is not installed"
		return s
	}
	kj, err := os.ReadFile(filepath.Join(spec.ResourceDir, "kernel.json"))
	if err != nil || !bytes.Contains(kj, []byte(`"-go_work=`+root+`"`)) {
		s.bad = fmt.Sprintf("the gonb kernel in %s is not wired to this checkout (%s)", spec.ResourceDir, root)
		return s
	}
	if _, err := os.Stat(filepath.Join(root, ".tools", "bin", "gonb")); err != nil {
		s.bad = ".tools/bin/gonb is missing"
	}
	return s
}

// hasSibling reports whether the jupyter subcommand sub (jupyter-nbconvert) is installed
// beside jupyter or on PATH, the two places jupyter looks.
func hasSibling(jupyter, sub string) bool {
	if _, err := os.Stat(filepath.Join(filepath.Dir(jupyter), sub)); err == nil {
		return true
	}
	_, err := exec.LookPath(sub)
	return err == nil
}

// needChromium returns Chromium's path, or skips t (fails it under LMKIT_REQUIRE_LAB=1).
func needChromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	missing(t, "Chromium not found (the browser test drives it headless)", "apt-get install chromium (make e2e installs it)")
	return ""
}

// budget is want, cut so that it ends a minute before the test binary's -timeout: the
// test then fails with its own message, and its cleanups still stop the servers.
func budget(t *testing.T, want time.Duration) time.Duration {
	if d, ok := t.Deadline(); ok {
		if left := time.Until(d) - time.Minute; left < want {
			return max(left, 10*time.Second)
		}
	}
	return want
}

// freePort returns a TCP port that was free on 127.0.0.1 a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return port
}

// randomToken is 32 random hex digits, like lab.sh's own.
func randomToken(t *testing.T) string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// environ is the test's environment with the lab's variables taken out and set replacing
// or adding to it.
func environ(set map[string]string) []string {
	drop := map[string]bool{"JUPYTER_TOKEN": true, "JUPYTER_RUNTIME_DIR": true, "LAB_PORT": true,
		"LAB_TOKEN": true, "LAB_IP": true, "LAB_DIR": true, "LMKIT_QUICK": true, "LMKIT_NB_OUT": true}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := set[k]; !ok && !drop[k] {
			env = append(env, kv)
		}
	}
	for k, v := range set {
		env = append(env, k+"="+v)
	}
	return env
}

// buffer is an io.Writer safe for a process's stdout and stderr together.
type buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// proc is a script of kernel-setup/ running in its own process group. Jupyter starts each
// kernel in a session of its own, so stop also finds the kernels and their children, by
// their parent links and by the runtime folder on their command lines.
type proc struct {
	t       *testing.T
	name    string
	cmd     *exec.Cmd
	out     buffer
	done    chan struct{}
	err     error // the exit status, once done is closed
	runtime string
	started time.Time
}

// startProc starts bash script args... from the repository root with env, and stops it (and
// everything it started) when t ends. runtimeDir is the JUPYTER_RUNTIME_DIR in env.
func startProc(t *testing.T, s setup, env []string, runtimeDir, script string, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, name: script, done: make(chan struct{}), runtime: runtimeDir}
	p.cmd = exec.Command("bash", append([]string{filepath.Join(s.root, "kernel-setup", script)}, args...)...)
	p.cmd.Dir = s.root
	p.cmd.Env = env
	p.cmd.Stdout = &p.out
	p.cmd.Stderr = &p.out
	// Its own group, so that stop reaches its children; killed if this test binary dies.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	p.started = time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", script, err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(p.stop)
	return p
}

// wait waits up to d for the script to exit and reports whether it did.
func (p *proc) wait(d time.Duration) bool {
	select {
	case <-p.done:
		return true
	case <-time.After(d):
		return false
	}
}

func (p *proc) exited() bool { return p.wait(0) }

// exitCode is the script's exit status (-1: killed by a signal); call it after it exited.
func (p *proc) exitCode() int {
	var ee *exec.ExitError
	if errors.As(p.err, &ee) {
		return ee.ExitCode()
	}
	if p.err != nil {
		return -1
	}
	return 0
}

// stop ends the script like Ctrl+C's second step does (SIGTERM: Jupyter shuts its kernels
// down), then kills whatever of its process tree is still there.
func (p *proc) stop() {
	tree := descendants(p.cmd.Process.Pid)
	if !p.exited() {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		if !p.wait(30 * time.Second) {
			p.t.Logf("%s did not stop within 30 s of SIGTERM; killing it", p.name)
		}
		// The group outlives its leader while a member lives, so its id is not reused yet.
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		p.wait(10 * time.Second)
	}
	// Kernels and builds that outlived the server: give them a moment, then kill them.
	deadline := time.Now().Add(5 * time.Second)
	for {
		left := alive(tree)
		left = append(left, usingRuntime(p.runtime)...)
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			for _, q := range left {
				p.t.Logf("killing leftover process %d: %s", q.pid, q.cmdline)
				_ = syscall.Kill(q.pid, syscall.SIGKILL)
			}
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// process is one entry of /proc: its id, its start time (so a reused id is not mistaken
// for it) and its command line.
type process struct {
	pid, ppid int
	start     string
	cmdline   string
}

// processes reads every process from /proc.
func processes() []process {
	entries, _ := os.ReadDir("/proc")
	var ps []process
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if q, ok := readProcess(pid); ok {
			ps = append(ps, q)
		}
	}
	return ps
}

func readProcess(pid int) (process, bool) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return process{}, false
	}
	// The command name (field 2) is in parentheses and may hold spaces.
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return process{}, false
	}
	f := strings.Fields(string(stat[i+1:])) // f[0] is field 3 (state)
	if len(f) < 20 {
		return process{}, false
	}
	ppid, _ := strconv.Atoi(f[1])
	cmd, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	return process{pid: pid, ppid: ppid, start: f[19], cmdline: strings.TrimSpace(string(bytes.ReplaceAll(cmd, []byte{0}, []byte{' '})))}, true
}

// descendants is root and every process below it.
func descendants(root int) []process {
	ps := processes()
	in := map[int]bool{root: true}
	var out []process
	for changed := true; changed; {
		changed = false
		for _, q := range ps {
			if !in[q.pid] && in[q.ppid] {
				in[q.pid] = true
				changed = true
			}
		}
	}
	for _, q := range ps {
		if in[q.pid] {
			out = append(out, q)
		}
	}
	return out
}

// alive is the processes of ps still running (same id, same start time, not a zombie).
func alive(ps []process) []process {
	var out []process
	for _, q := range ps {
		now, ok := readProcess(q.pid)
		if !ok || now.start != q.start {
			continue
		}
		if st, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", q.pid)); bytes.Contains(st, []byte(") Z ")) {
			continue
		}
		out = append(out, q)
	}
	return out
}

// usingRuntime is the processes whose command line names dir (a kernel's connection file).
func usingRuntime(dir string) []process {
	if dir == "" {
		return nil
	}
	var out []process
	for _, q := range processes() {
		if q.pid != os.Getpid() && strings.Contains(q.cmdline, dir) {
			out = append(out, q)
		}
	}
	return alive(out)
}

// labServer is a Jupyter server started by kernel-setup/lab.sh.
type labServer struct {
	*proc
	port  int
	token string // the token lab.sh printed in its URL
	url   string // the URL lab.sh printed
}

var openURL = regexp.MustCompile(`(?m)^\s*open:\s+(http://\S+)`)

// startLab starts kernel-setup/lab.sh with env (LAB_PORT, LAB_TOKEN, ...) and waits up to
// two minutes until the server answers /api/status with the token that lab.sh printed.
func startLab(t *testing.T, s setup, port int, set map[string]string) *labServer {
	t.Helper()
	rt := t.TempDir()
	set["LAB_PORT"] = strconv.Itoa(port)
	set["JUPYTER_RUNTIME_DIR"] = rt
	srv := &labServer{port: port}
	srv.proc = startProc(t, s, environ(set), rt, "lab.sh")
	wait := budget(t, 2*time.Minute)
	deadline := time.Now().Add(wait)
	client := &http.Client{Timeout: 5 * time.Second}
	for {
		if srv.exited() {
			t.Fatalf("lab.sh exited (%v) before the server answered; its output:\n%s", srv.err, srv.out.String())
		}
		if srv.url == "" {
			if m := openURL.FindStringSubmatch(srv.out.String()); m != nil {
				srv.url = m[1]
				if i := strings.Index(srv.url, "token="); i >= 0 {
					srv.token = srv.url[i+len("token="):]
				}
				if srv.token == "" {
					t.Fatalf("lab.sh printed a URL with no token: %s; its output:\n%s", srv.url, srv.out.String())
				}
			}
		}
		if srv.token != "" {
			resp, err := client.Get(fmt.Sprintf("http://127.0.0.1:%d/api/status?token=%s", port, srv.token))
			if err == nil {
				resp.Body.Close()
				switch resp.StatusCode {
				case http.StatusOK:
					t.Logf("lab.sh: Jupyter answers on port %d after %.1f s", port, time.Since(srv.started).Seconds())
					return srv
				case http.StatusForbidden:
					t.Fatalf("the server on port %d rejects the token lab.sh printed (%s); lab.sh output:\n%s", port, srv.url, srv.out.String())
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the lab did not answer on 127.0.0.1:%d with its token within %v; lab.sh output:\n%s", port, wait, srv.out.String())
		}
		time.Sleep(500 * time.Millisecond)
	}
}

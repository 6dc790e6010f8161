package xlapin

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Finding 9: a download is installed only when its SHA-256 is the pinned one; an unrecorded
// hash stops with the measured hash and the way to accept it; a wrong one stops too.
func TestDownloadsAreCheckedAgainstThePin(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plugin.tar.gz")
	os.WriteFile(path, []byte("native code"), 0o644)
	got, err := FileSHA256(path)
	if err != nil || got != "51f92d3ac859d2c5a45ad79886cfdeb647bdd00420acbc2408ffd6c082c26e4b" {
		t.Fatalf("hash %q, %v", got, err)
	}
	if err := Check("a.tar.gz", CPUVersion, got, got); err != nil {
		t.Errorf("the pinned hash: %v", err)
	}
	if err := Check("a.tar.gz", CPUVersion, got, strings.Repeat("0", 64)); err == nil || !strings.Contains(err.Error(), "not the pinned") {
		t.Errorf("another hash: %v", err)
	}
	if err := Check("a.tar.gz", CPUVersion, got, ""); err == nil || !strings.Contains(err.Error(), "-xla-sha256 "+got) {
		t.Errorf("no recorded hash: %v", err)
	}
	if _, ok := CPUSHA256["pjrt_cpu_linux_amd64.tar.gz"]; !ok {
		t.Error("no pin entry for linux/amd64")
	}
}

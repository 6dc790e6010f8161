// Package xlapin pins the native code lmkit downloads for its XLA backend: one version of the
// CPU plugin, and the SHA-256 of each file, kept here in the repository, so that a download
// that is not byte for byte the reviewed one is refused before it is unpacked or loaded.
// `lmkit backend -install-xla` and the image's docker/xlainstall both install through it.
package xlapin

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/gomlx/go-xla/installer"
)

// CPUVersion is the pjrt-cpu-binaries release lmkit installs: go-xla v0.4.13's tested default.
const CPUVersion = "v0.114.0"

// CPUSHA256 holds the SHA-256 of each platform's archive of CPUVersion. An entry is added only
// after checking the file where github.com is reachable (the lab's machines have no route to
// it): until then an install prints the hash it measured and stops, unless the caller accepts
// that hash explicitly (lmkit backend -install-xla -xla-sha256 HASH).
var CPUSHA256 = map[string]string{
	"pjrt_cpu_linux_amd64.tar.gz": "",
	"pjrt_cpu_linux_arm64.tar.gz": "",
}

// InstallCPU downloads the pinned CPU plugin into dir, checks its archive against CPUSHA256
// (or against accept, a hash the caller has checked), and only then unpacks it.
func InstallCPU(dir, accept string) error {
	platform := runtime.GOOS + "_" + runtime.GOARCH
	asset := "pjrt_cpu_" + platform + ".tar.gz"
	want := CPUSHA256[asset]
	if want == "" {
		want = accept
	}
	url, err := installer.CPUGetDownloadURL(platform, CPUVersion)
	if err != nil {
		return err
	}
	// go-xla's installer caches the download under this name and reuses it; the check below
	// is of that very file.
	file, _, err := installer.DownloadURLToTemp(url, CPUVersion+"_"+asset, "", true, installer.Normal)
	if err != nil {
		return err
	}
	got, err := FileSHA256(file)
	if err != nil {
		return err
	}
	if err := Check(asset, CPUVersion, got, want); err != nil {
		os.Remove(file)
		return err
	}
	return installer.CPUInstall(platform, CPUVersion, dir, true, installer.Normal)
}

// Check compares a download's measured hash with the pinned one.
func Check(asset, version, got, want string) error {
	switch {
	case want == "":
		return fmt.Errorf("xla: %s %s has SHA-256 %s, which this repository does not record (internal/xlapin): check it against https://github.com/gomlx/pjrt-cpu-binaries/releases/tag/%s, then record it there or accept it once with -xla-sha256 %s",
			asset, version, got, version, got)
	case got != want:
		return fmt.Errorf("xla: %s %s has SHA-256 %s, not the pinned %s: the download is not the reviewed file; nothing was installed", asset, version, got, want)
	}
	return nil
}

// FileSHA256 is the hex SHA-256 of the file at path.
func FileSHA256(path string) (string, error) {
	f, err := os.Open(filepath.Clean(path))
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

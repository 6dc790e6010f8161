//go:build !noxla

package backend

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/gomlx/go-xla/installer"

	"github.com/llm-map/lab/internal/xlapin"
)

// InstallXLA downloads the XLA PJRT plugin for this machine (CPU, plus CUDA where a GPU is
// present) into the user's library folder. It is the one place the lab downloads a backend,
// and only when asked (make xla). Offline it fails with a sentence saying so. accept is a
// SHA-256 the caller has checked, for a CPU plugin archive the repository has no hash for.
func InstallXLA(ctx context.Context, accept string) error {
	done := make(chan error, 1)
	go func() {
		// The CPU plugin through the pin (version and SHA-256 in internal/xlapin); CUDA's,
		// where a GPU is present, through go-xla, which checks each wheel against PyPI's digest.
		dir, err := installer.DefaultHomeLibPath()
		if err == nil {
			err = xlapin.InstallCPU(filepath.Join(dir, "go-xla"), accept)
		}
		if err == nil {
			err = installer.AutoInstallPlugin("cuda", "", true, installer.Normal)
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			return nil
		}
		msg := err.Error()
		if strings.Contains(msg, "no such host") || strings.Contains(msg, "dial tcp") || strings.Contains(msg, "timeout") {
			return fmt.Errorf("backend: cannot download the XLA plugin: this machine has no internet access (%v); the lab keeps working on the pure-Go backend, run `make xla` again where the network is reachable", err)
		}
		return fmt.Errorf("backend: installing the XLA plugin failed: %w", err)
	case <-ctx.Done():
		return fmt.Errorf("backend: gave up downloading the XLA plugin after the time limit (%w): the lab keeps working on the pure-Go backend", ctx.Err())
	}
}

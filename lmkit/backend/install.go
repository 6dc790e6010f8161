//go:build !noxla

package backend

import (
	"context"
	"fmt"
	"strings"

	"github.com/gomlx/go-xla/installer"
)

// InstallXLA downloads the XLA PJRT plugin for this machine (CPU, plus CUDA where a GPU is
// present) into the user's library folder. It is the one place the lab downloads a backend,
// and only when asked (make xla). Offline it fails with a sentence saying so.
func InstallXLA(ctx context.Context) error {
	done := make(chan error, 1)
	go func() { done <- installer.AutoInstall("", true, installer.Normal) }()
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

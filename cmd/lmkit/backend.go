package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/llm-map/lab/lmkit/backend"
)

// cmdBackend reports the backend choice, or installs the XLA plugin (make xla).
func cmdBackend(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("backend", stderr)
	install := fs.Bool("install-xla", false, "download the XLA PJRT plugin (needs internet)")
	timeout := fs.Duration("timeout", 5*time.Minute, "give up an -install-xla download after this long")
	accept := fs.String("xla-sha256", "", "accept this SHA-256 for the XLA CPU plugin where the repository records none (check it first)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *install {
		ctx, cancel := context.WithTimeout(ctx, *timeout)
		defer cancel()
		fmt.Fprintln(stdout, "lmkit: downloading the XLA PJRT plugin...")
		if err := backend.InstallXLA(ctx, *accept); err != nil {
			return err
		}
	}
	c := backend.Choose()
	fmt.Fprintln(stdout, c.String())
	if _, err := backend.Default(); err != nil {
		return err
	}
	return nil
}

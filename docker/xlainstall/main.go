//go:build linux && amd64

// Command xlainstall installs the XLA PJRT plugins into an image at build time:
// the CPU plugin, and with -cuda the CUDA plugin with its NVIDIA libraries even
// though the build has no GPU to detect (go-xla's AutoInstall, which `lmkit
// backend -install-xla` uses, installs CUDA only where a GPU is present).
//
// It needs only go.mod, go.sum, internal/xlapin (the pinned version and SHA-256) and this
// file, so docker/Dockerfile runs it in a layer that does not depend on the lab's sources. Best effort: without network
// access it fails with a message, and the image uses the pure-Go backend.
//
//	go run ./docker/xlainstall -dir /usr/local/lib/go-xla [-cuda] [-timeout 2m]
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/gomlx/go-xla/installer"

	"github.com/llm-map/lab/internal/xlapin"
)

func main() {
	dir := flag.String("dir", "/usr/local/lib/go-xla", "the go-xla plugin folder (PJRT searches /usr/local/lib/go-xla and ~/.local/lib/go-xla)")
	cuda := flag.Bool("cuda", false, "also install the CUDA PJRT plugin and NVIDIA libraries (from PyPI's JAX wheels), GPU or not")
	timeout := flag.Duration("timeout", 2*time.Minute, "give up after this long")
	accept := flag.String("xla-sha256", "", "accept this SHA-256 for the CPU plugin's archive where internal/xlapin records none (check it first)")
	flag.Parse()

	done := make(chan error, 1)
	go func() {
		if err := xlapin.InstallCPU(*dir, *accept); err != nil {
			done <- fmt.Errorf("CPU plugin: %w", err)
			return
		}
		if *cuda {
			if err := installer.CudaInstall("cuda13", "latest", *dir, true, installer.Normal); err != nil {
				done <- fmt.Errorf("CUDA plugin: %w", err)
				return
			}
		}
		done <- nil
	}()
	select {
	case err := <-done:
		if err != nil {
			fmt.Fprintf(os.Stderr, "xlainstall: %v (the lab falls back to the pure-Go backend; rebuild where github.com and pypi.org are reachable)\n", err)
			os.Exit(1)
		}
		fmt.Printf("xlainstall: plugins installed in %s\n", *dir)
	case <-time.After(*timeout):
		fmt.Fprintf(os.Stderr, "xlainstall: gave up after %v (the lab falls back to the pure-Go backend)\n", *timeout)
		os.Exit(1)
	}
}

//go:build !noxla

package backend

import (
	"os"
	"os/exec"
	"slices"
	"strings"

	"github.com/gomlx/go-xla/compute/xla"
	"github.com/gomlx/go-xla/pjrt"
)

func init() {
	// The lab never downloads a plugin implicitly: offline that fails slowly, and online it
	// should be the user's choice (`make xla`).
	xla.EnableAutoInstall(false)
}

// xlaPlugin returns the installed PJRT plugin to use ("cuda" or "cpu"), or "" and why not.
func xlaPlugin() (plugin, why string) {
	plugins := make([]string, 0, 4)
	for name := range pjrt.AvailablePlugins() {
		plugins = append(plugins, name)
	}
	slices.Sort(plugins)
	find := func(base string) string {
		for _, p := range plugins {
			if p == base || strings.HasPrefix(p, base+"_") {
				return p
			}
		}
		return ""
	}
	if p := find("cuda"); p != "" && hasGPU() {
		return p, "XLA CUDA plugin found and a GPU is present"
	}
	if p := find("cpu"); p != "" {
		return p, "XLA CPU plugin found"
	}
	if len(plugins) > 0 {
		return "", "XLA plugins " + strings.Join(plugins, ",") + " found, but none for this machine"
	}
	return "", ""
}

func hasGPU() bool {
	if _, err := os.Stat("/dev/nvidia0"); err == nil {
		return true
	}
	_, err := exec.LookPath("nvidia-smi")
	return err == nil
}

package backend

import (
	"os"
	"runtime"
	"strings"
	"testing"
)

// The warning about a build without GOEXPERIMENT=simd follows how this test binary was built.
func TestSIMDHintFollowsTheBuild(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("the SIMD matmul is amd64 only")
	}
	withSIMD := strings.Contains(os.Getenv("GOEXPERIMENT"), "simd")
	if builtWithSIMD() != withSIMD {
		t.Errorf("builtWithSIMD() = %v, but GOEXPERIMENT=%q", builtWithSIMD(), os.Getenv("GOEXPERIMENT"))
	}
	line := Choice{Config: GoConfig, Reason: "test"}.String()
	if withSIMD == strings.Contains(line, "GOEXPERIMENT=simd") {
		t.Errorf("backend line %q: a SIMD hint should appear exactly when built without simd", line)
	}
	if xla := (Choice{Config: "xla:cpu", Reason: "test"}).String(); strings.Contains(xla, "GOEXPERIMENT") {
		t.Errorf("XLA backend line should not mention the Go backend's SIMD: %q", xla)
	}
}

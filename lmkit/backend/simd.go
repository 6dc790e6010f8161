package backend

import (
	"runtime"
	"runtime/debug"
	"strings"
)

// simdHint warns when this program was built without GOEXPERIMENT=simd on amd64: the pure-Go
// backend then runs its element-wise and fused kernels without AVX2/AVX-512 (measured with
// compute v0.1.14 on an AVX-512 machine: the baby GPT trained at 1.7k instead of 25.7-28.5k
// tokens/s). The Makefile and the lab's kernel set it; a plain
// `go build` or `go test` does not.
func simdHint() string {
	if runtime.GOARCH != "amd64" || builtWithSIMD() {
		return ""
	}
	return "built without GOEXPERIMENT=simd, so the Go backend's matrix multiplies run several times slower: build with GOEXPERIMENT=simd (the Makefile and the lab's kernel set it)"
}

func builtWithSIMD() bool {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return true // unknown (e.g. stripped): do not warn on a guess
	}
	for _, s := range info.Settings {
		if s.Key == "GOEXPERIMENT" {
			for _, e := range strings.Split(s.Value, ",") {
				if e == "simd" {
					return true
				}
			}
		}
	}
	return false
}

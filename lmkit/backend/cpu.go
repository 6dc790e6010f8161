package backend

import (
	"os"
	"runtime"
	"strings"

	"golang.org/x/sys/cpu"
)

// Vector names the CPU's vector extensions and which of them the Go backend uses. Every time
// the lab prints needs it beside it: the same build trains about 3x apart on this project's
// 2-core machines (notebook 03's pre-training: 133 s with AVX-512, 405 s on an AVX2-only EPYC).
// GOMLX_GO_SIMD_AVX512=false holds the backend to its AVX2 kernels.
func Vector() string {
	has := "no AVX2"
	switch {
	case runtime.GOARCH != "amd64":
		return runtime.GOARCH
	case cpu.X86.HasAVX512F:
		has = "AVX-512"
	case cpu.X86.HasAVX2:
		has = "AVX2"
	}
	if has == "AVX-512" && strings.EqualFold(os.Getenv("GOMLX_GO_SIMD_AVX512"), "false") {
		return has + " (lmkit's backend held to AVX2 by GOMLX_GO_SIMD_AVX512=false)"
	}
	return has
}

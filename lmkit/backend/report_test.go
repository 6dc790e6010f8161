package backend

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// GoNB runs each cell as a new program: the backend line must appear in the first cell only,
// and again if the backend changes.
func TestBackendLineOncePerKernel(t *testing.T) {
	t.Setenv("GONB_TMP_DIR", t.TempDir())
	if !firstInKernel("lmkit: backend go") {
		t.Fatal("the first cell of a kernel must print the backend line")
	}
	if firstInKernel("lmkit: backend go") {
		t.Fatal("a later cell printed the same backend line again")
	}
	if !firstInKernel("lmkit: backend xla:cuda") {
		t.Fatal("a different backend must be reported")
	}
	t.Setenv("GONB_TMP_DIR", "")
	if !firstInKernel("lmkit: backend go") || !firstInKernel("lmkit: backend go") {
		t.Fatal("outside GoNB every program prints its line")
	}
}

// A time printed by the lab is read beside the backend line, so the Go backend's line names
// the CPU: the same build trains about 3x apart on this project's AVX2 and AVX-512 machines.
func TestGoBackendLineNamesTheCPU(t *testing.T) {
	t.Setenv("GOMLX_GO_SIMD_AVX512", "")
	line := Choice{Config: GoConfig, Reason: "no XLA PJRT plugin installed"}.String()
	want := fmt.Sprintf("(no XLA PJRT plugin installed; %d CPUs, %s)", runtime.NumCPU(), Vector())
	if !strings.Contains(line, want) {
		t.Fatalf("backend line %q does not contain %q", line, want)
	}
	if v := Vector(); runtime.GOARCH == "amd64" && v != "AVX-512" && v != "AVX2" && v != "no AVX2" {
		t.Fatalf("Vector() = %q, want AVX-512, AVX2 or no AVX2", v)
	}
	if xla := (Choice{Config: "xla:cuda", Reason: "a GPU"}).String(); strings.Contains(xla, "CPUs") {
		t.Fatalf("an XLA line names the host CPU as if it computed: %q", xla)
	}
}

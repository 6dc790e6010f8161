package peer

import (
	"slices"
	"strings"
	"testing"
)

func TestThreads(t *testing.T) {
	got, err := Threads("1, 2")
	if err != nil || !slices.Equal(got, []int{1, 2}) {
		t.Errorf(`Threads("1, 2") = %v, %v; want [1 2]`, got, err)
	}
	for _, bad := range []string{"", "0", "1,x", "-2"} {
		if _, err := Threads(bad); err == nil || !strings.Contains(err.Error(), "-threads") {
			t.Errorf("Threads(%q): got %v, want an error naming -threads", bad, err)
		}
	}
}

func TestCheckBLAS(t *testing.T) {
	if err := CheckBLAS("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0"); err == nil || !strings.Contains(err.Error(), "libopenblas0-pthread") {
		t.Errorf("reference BLAS accepted or without the fix: %v", err)
	}
	if err := CheckBLAS("/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so"); err != nil {
		t.Errorf("OpenBLAS refused: %v", err)
	}
}

func TestCheckBLASRefusesWrongKernels(t *testing.T) {
	lib := "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so (core Cooperlake) WRONG RESULTS: max error 3.2 on a 256x256 matmul"
	if err := CheckBLAS(lib); err == nil || !strings.Contains(err.Error(), "OPENBLAS_CORETYPE") {
		t.Errorf("wrong results accepted or without the fix: %v", err)
	}
}

func TestTorchEnvLetsOpenBLASPickItsKernels(t *testing.T) {
	t.Setenv("OPENBLAS_CORETYPE", "Haswell")
	t.Setenv("OPENBLAS_L2_SIZE", "512")
	env := TorchEnv(1)
	for _, kv := range env {
		if strings.HasPrefix(kv, "OPENBLAS_CORETYPE=") || strings.HasPrefix(kv, "OPENBLAS_L2_SIZE=") {
			t.Errorf("peer environment keeps %s", kv)
		}
	}
	if !slices.Contains(env, "OPENBLAS_NUM_THREADS=1") {
		t.Errorf("peer environment lacks OPENBLAS_NUM_THREADS=1")
	}
}

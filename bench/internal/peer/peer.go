// Package peer holds what the PyTorch benchmarks (bench/rnn, bench/transformer) share: the
// thread counts to try, pinning the peer's thread pools, refusing a peer on the slow
// reference BLAS (torch_blas.py, beside this file, is the Python side both peers import), and
// this process's CPU time.
package peer

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

var reportOnce sync.Once

// ReportBLAS prints, once per run, the BLAS library and kernels the peer multiplies with.
func ReportBLAS(lib string) {
	reportOnce.Do(func() { fmt.Printf("peer BLAS: %s\n", lib) })
}

// Threads parses a -threads list such as "1,2".
func Threads(list string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-threads %q: want a list of positive thread counts like 1,2", list)
		}
		out = append(out, n)
	}
	return out, nil
}

// TorchEnv is the environment for a PyTorch peer running on n threads. torch.set_num_threads
// sets OpenMP's pool only; Debian's torch multiplies through OpenBLAS, which keeps its own
// (2 threads here even for "1 thread"), so every pool is pinned to n.
//
// OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are left out: some of this project's machines set
// them (OPENBLAS_CORETYPE=Haswell) to keep old OpenBLAS builds off kernels that misbehave on
// their CPUs, which holds a peer to AVX2 while lmkit uses AVX-512. Without them OpenBLAS picks
// the kernels for the CPU (Cooperlake here: a 512³ matmul at 99 instead of 73 GFLOP/s), and
// torch_blas.py checks a matmul against float64 and names the kernels it got.
func TorchEnv(n int) []string {
	s := strconv.Itoa(n)
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OPENBLAS_CORETYPE=") && !strings.HasPrefix(kv, "OPENBLAS_L2_SIZE=") {
			env = append(env, kv)
		}
	}
	return append(env, "OMP_NUM_THREADS="+s, "OPENBLAS_NUM_THREADS="+s, "MKL_NUM_THREADS="+s)
}

// CheckBLAS refuses a peer whose BLAS library (as the Python script reports it) is Debian's
// reference BLAS: several times slower than OpenBLAS, it would flatter lmkit.
func CheckBLAS(lib string) error {
	if strings.Contains(lib, "WRONG RESULTS") {
		return fmt.Errorf("PyTorch's BLAS computes wrong results with the kernels it picked for this CPU (%s): set OPENBLAS_CORETYPE to an older kernel family (e.g. Haswell) and run again", lib)
	}
	if strings.Contains(lib, "/blas/") {
		return fmt.Errorf("PyTorch multiplies with the reference BLAS (%s), several times slower than OpenBLAS: a ratio against it would flatter lmkit; install libopenblas0-pthread (apt-get install libopenblas0-pthread) and run again", lib)
	}
	return nil
}

// CPUSeconds is the CPU time (user and system) this process has used.
func CPUSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

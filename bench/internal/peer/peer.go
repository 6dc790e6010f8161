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
	"syscall"
)

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
func TorchEnv(n int) []string {
	s := strconv.Itoa(n)
	return append(os.Environ(), "OMP_NUM_THREADS="+s, "OPENBLAS_NUM_THREADS="+s, "MKL_NUM_THREADS="+s)
}

// CheckBLAS refuses a peer whose BLAS library (as the Python script reports it) is Debian's
// reference BLAS: several times slower than OpenBLAS, it would flatter lmkit.
func CheckBLAS(lib string) error {
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

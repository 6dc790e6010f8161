package rnn

import (
	"syscall"
	"testing"
	"time"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/llm-map/lab/lmkit/backend"
)

func TestZZMatmul(t *testing.T) {
	be := backend.MustDefault()
	const reps = 50
	for _, s := range [][3]int{{50, 128, 512}, {63, 128, 512}, {64, 128, 512}, {100, 128, 512}, {50, 193, 512}, {50, 256, 512}, {50, 256, 1024}, {2500, 128, 512}} {
		m, k, n := s[0], s[1], s[2]
		e := MustNewExec(be, func(x, a, b *Node) *Node {
			for i := 0; i < reps; i++ {
				x = Dot(Dot(x, a).Product(), b).Product()
			}
			return x
		})
		x := tensors.FromShape(shapes.Make(dtypes.Float32, m, k))
		a := tensors.FromShape(shapes.Make(dtypes.Float32, k, n))
		b := tensors.FromShape(shapes.Make(dtypes.Float32, n, k))
		e.MustExec(x, a, b)
		best := time.Hour
		for r := 0; r < 3; r++ {
			st := cpu()
			e.MustExec(x, a, b)
			best = min(best, cpu()-st)
		}
		el := best.Seconds() / (2 * reps)
		t.Logf("[%d,%d]x[%d,%d] (and back): %.3f ms per matmul, %.1f GFLOPS", m, k, k, n, el*1e3, float64(2*m*k*n)/el/1e9)
	}
}

func cpu() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

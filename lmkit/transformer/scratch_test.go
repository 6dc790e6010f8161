package transformer

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

func cpuNow() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// timeGraph runs fn repeated reps times inside one graph, to amortise the exec overhead.
func timeGraph(t *testing.T, name string, flops float64, reps int, fn func(a, b *Node) *Node, sa, sb shapes.Shape) {
	be := backend.MustDefault()
	exec := MustNewExec(be, func(a, b *Node) *Node {
		var acc *Node
		for i := 0; i < reps; i++ {
			// Perturb so the backend cannot dedup the repeats.
			r := fn(AddScalar(a, float64(i)), b)
			s := ReduceAllSum(r)
			if acc == nil {
				acc = s
			} else {
				acc = Add(acc, s)
			}
		}
		return acc
	})
	a := tensors.FromShape(sa)
	b := tensors.FromShape(sb)
	exec.MustExec(a, b)
	n := 20
	start, c0 := time.Now(), cpuNow()
	for i := 0; i < n; i++ {
		exec.MustExec(a, b)
	}
	el := time.Since(start).Seconds() / float64(n*reps)
	cpu := (cpuNow() - c0) / float64(n*reps)
	t.Logf("%-40s wall %.3f ms  cpu %.3f ms  %.1f GFLOP/s(cpu)", name, el*1e3, cpu*1e3, flops/cpu/1e9)
}

func TestScratchOps(t *testing.T) {
	f := dtypes.Float32
	s := func(d ...int) shapes.Shape { return shapes.Make(f, d...) }
	baseline := func(a, b *Node) *Node { return a }
	timeGraph(t, "baseline addscalar+sum [768,128]", 0, 10, baseline, s(768, 128), s(1))
	timeGraph(t, "baseline addscalar+sum [768,512]", 0, 10, baseline, s(768, 512), s(1))
	timeGraph(t, "NT x@W [768,128]x[128,512]", 2*768*128*512, 10, func(a, b *Node) *Node { return Dot(a, b).Product() }, s(768, 128), s(128, 512))
	timeGraph(t, "T x@W^T [768,128]x[512,128]", 2*768*128*512, 10, func(a, b *Node) *Node { return DotGeneral(a, []int{1}, nil, b, []int{1}, nil) }, s(768, 128), s(512, 128))
	timeGraph(t, "x^T@dy [768,128]x[768,512]", 2*768*128*512, 10, func(a, b *Node) *Node { return DotGeneral(a, []int{0}, nil, b, []int{0}, nil) }, s(768, 128), s(768, 512))
	timeGraph(t, "NT xT@dy [128,768]x[768,512]", 2*768*128*512, 10, func(a, b *Node) *Node { return DotGeneral(a, []int{1}, nil, b, []int{0}, nil) }, s(128, 768), s(768, 512))
	timeGraph(t, "transpose2D [768,512]", 0, 10, func(a, b *Node) *Node { return TransposeAllAxes(a, 1, 0) }, s(768, 512), s(1))
	timeGraph(t, "transpose BTHD->BHTD [12,64,4,32]", 0, 10, func(a, b *Node) *Node { return TransposeAllAxes(a, 0, 2, 1, 3) }, s(12, 64, 4, 32), s(1))
	timeGraph(t, "slice 4 heads cols of [768,128]", 0, 10, func(a, b *Node) *Node {
		var parts []*Node
		for h := 0; h < 4; h++ {
			parts = append(parts, Slice(a, AxisRange(), AxisRange(h*32, h*32+32)))
		}
		return Concatenate(parts, 0)
	}, s(768, 128), s(1))
	timeGraph(t, "mul [768,512]", 0, 10, func(a, b *Node) *Node { return Mul(a, a) }, s(768, 512), s(1))
	timeGraph(t, "exp [768,512]", 0, 10, func(a, b *Node) *Node { return Exp(a) }, s(768, 512), s(1))
	timeGraph(t, "erf [768,512]", 0, 10, func(a, b *Node) *Node { return Erf(a) }, s(768, 512), s(1))
	timeGraph(t, "reducesum last [768,512]", 0, 10, func(a, b *Node) *Node { return ReduceSum(a, -1) }, s(768, 512), s(1))
	timeGraph(t, "reducesum first [768,512]", 0, 10, func(a, b *Node) *Node { return ReduceSum(a, 0) }, s(768, 512), s(1))
	timeGraph(t, "bcast mul [768,512]*[768,1]", 0, 10, func(a, b *Node) *Node { return Mul(a, ReduceAndKeep(a, ReduceMax, -1)) }, s(768, 512), s(1))
	timeGraph(t, "softmax [768,512]", 0, 10, func(a, b *Node) *Node { return Softmax(a, -1) }, s(768, 512), s(1))
	timeGraph(t, "scores T [48,64,32]x[48,64,32]", 2*48*64*64*32, 10, func(a, b *Node) *Node { return DotGeneral(a, []int{2}, []int{0}, b, []int{2}, []int{0}) }, s(48, 64, 32), s(48, 64, 32))
	timeGraph(t, "PV NT [48,64,64]x[48,64,32]", 2*48*64*64*32, 10, func(a, b *Node) *Node { return DotGeneral(a, []int{2}, []int{0}, b, []int{1}, []int{0}) }, s(48, 64, 64), s(48, 64, 32))
}

func TestScratchGrad(t *testing.T) {
	be := backend.MustDefault()
	exec := MustNewExec(be, func(x, w *Node) []*Node {
		ref := ReduceAllSum(Square(Dot(x, w).Product()))
		gRef := Gradient(ref, x, w)
		mine := ReduceAllSum(Square(linearOp(x, w)))
		gMine := Gradient(mine, x, w)
		return []*Node{ReduceAllMax(Abs(Sub(gRef[0], gMine[0]))), ReduceAllMax(Abs(Sub(gRef[1], gMine[1]))), ReduceAllMax(Abs(gRef[1]))}
	})
	x := tensors.FromFlatDataAndDimensions([]float32{1, 2, 3, 4, 5, 6}, 3, 2)
	w := tensors.FromFlatDataAndDimensions([]float32{1, -1, 0.5, 2, 3, -2}, 2, 3)
	out := exec.MustExec(x, w)
	t.Logf("diff dx %v dw %v (|dw| %v)", out[0].Value(), out[1].Value(), out[2].Value())
}

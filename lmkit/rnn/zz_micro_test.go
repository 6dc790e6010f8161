package rnn

import (
	"testing"
	"time"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/llm-map/lab/lmkit/backend"
)

func TestZZMicro(t *testing.T) {
	be := backend.MustDefault()
	// chain of n elementwise ops on [50,512]
	for _, n := range []int{100, 1000} {
		e := MustNewExec(be, func(x *Node) *Node {
			for i := 0; i < n; i++ {
				x = Tanh(x)
			}
			return x
		})
		in := tensors.FromShape(shapes.Make(dtypes.Float32, 50, 512))
		e.MustExec(in)
		st := time.Now()
		for i := 0; i < 5; i++ {
			e.MustExec(in)
		}
		t.Logf("%d tanh ops [50,512]: %v per op", n, time.Since(st)/time.Duration(5*n))
	}
	for _, n := range []int{100, 1000} {
		e := MustNewExec(be, func(x *Node) *Node {
			for i := 0; i < n; i++ {
				x = Mul(x, x)
			}
			return x
		})
		in := tensors.FromShape(shapes.Make(dtypes.Float32, 50, 512))
		e.MustExec(in)
		st := time.Now()
		for i := 0; i < 5; i++ {
			e.MustExec(in)
		}
		t.Logf("%d mul ops [50,512]: %v per op", n, time.Since(st)/time.Duration(5*n))
	}
	for _, op := range []string{"logistic", "slice", "concat", "transpose", "reshape", "exp"} {
		n := 500
		e := MustNewExec(be, func(x *Node) *Node {
			acc := x
			for i := 0; i < n; i++ {
				switch op {
				case "logistic":
					x = Logistic(x)
				case "exp":
					x = Exp(x)
				case "slice":
					acc = Slice(x, AxisRange(), AxisRange(i%4*128, i%4*128+128))
					x = AddScalar(x, 1)
				case "concat":
					x = Slice(Concatenate([]*Node{x, x}, 1), AxisRange(), AxisRange(0, 512))
				case "transpose":
					x = Reshape(Transpose(x, 0, 1), 50, 512)
				case "reshape":
					x = Reshape(Reshape(x, 512, 50), 50, 512)
				}
			}
			return Add(ReduceAllSum(x), ReduceAllSum(acc))
		})
		in := tensors.FromShape(shapes.Make(dtypes.Float32, 50, 512))
		e.MustExec(in)
		st := time.Now()
		for i := 0; i < 5; i++ {
			e.MustExec(in)
		}
		t.Logf("%d %s ops [50,512]: %v per op", n, op, time.Since(st)/time.Duration(5*n))
	}
	// matmul [m,k]x[k,n]
	for _, s := range [][3]int{{50, 128, 512}, {2500, 128, 512}, {50, 512, 128}, {128, 2500, 512}} {
		m, k, nn := s[0], s[1], s[2]
		reps := 20
		e := MustNewExec(be, func(a, b *Node) *Node {
			out := Dot(a, b).Product()
			for i := 1; i < reps; i++ {
				out = Add(out, Dot(AddScalar(a, float64(i)), b).Product())
			}
			return out
		})
		a := tensors.FromShape(shapes.Make(dtypes.Float32, m, k))
		b := tensors.FromShape(shapes.Make(dtypes.Float32, k, nn))
		e.MustExec(a, b)
		st := time.Now()
		for i := 0; i < 3; i++ {
			e.MustExec(a, b)
		}
		el := time.Since(st).Seconds() / float64(3*reps)
		t.Logf("matmul %v: %.3f ms, %.1f GFLOPS", s, el*1e3, float64(2*m*k*nn)/el/1e9)
	}
}

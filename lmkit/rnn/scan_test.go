package rnn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/llm-map/lab/lmkit/backend"
)

// refStep is the textbook cell, feature-major: the specification that scan's forward pass and
// hand-written backward pass must match, differentiated by GoMLX's autodiff.
func refStep(cell Cell, wih, whh, b, bhn, x, h, c *Node) (*Node, *Node) {
	hid := whh.Shape().Dimensions[1]
	lin := func(w, v *Node, from, to int) *Node { return Dot(rowRange(w, from, to), v).Product() }
	bias := func(from, to int) *Node { return ExpandAxes(rowRange(b, from, to), -1) }
	pre := func(k int) *Node { // W_k·x + U_k·h + b_k for gate block k
		return Add(Add(lin(wih, x, k*hid, (k+1)*hid), lin(whh, h, k*hid, (k+1)*hid)), bias(k*hid, (k+1)*hid))
	}
	switch cell {
	case LSTM:
		i, f, g, o := Sigmoid(pre(0)), Sigmoid(pre(1)), Tanh(pre(2)), Sigmoid(pre(3))
		c = Add(Mul(f, c), Mul(i, g))
		return Mul(o, Tanh(c)), c
	case GRU:
		r, z := Sigmoid(pre(0)), Sigmoid(pre(1))
		nh := Add(lin(whh, h, 2*hid, 3*hid), ExpandAxes(bhn, -1))
		n := Tanh(Add(Add(lin(wih, x, 2*hid, 3*hid), bias(2*hid, 3*hid)), Mul(r, nh)))
		return Add(Mul(OneMinus(z), n), Mul(z, h)), nil
	}
	return Tanh(pre(0)), nil
}

func randomTensor(rng *rand.Rand, scale float32, dims ...int) *tensors.Tensor {
	n := 1
	for _, d := range dims {
		n *= d
	}
	v := make([]float32, n)
	for i := range v {
		v[i] = scale * float32(rng.NormFloat64())
	}
	return tensors.FromFlatDataAndDimensions(v, dims...)
}

// The hand-written backward pass of every cell, through two stacked layers with dropout
// between them, gives autodiff's gradients of the textbook recurrence: for the weights, the
// biases, the input and a probe on the first layer's pre-activations. The forward pass gives
// its hidden states.
func TestScanMatchesAutodiff(t *testing.T) {
	be := backend.MustDefault()
	const T, B, H, In = 6, 3, 4, 5
	for _, cell := range Cells {
		t.Run(string(cell), func(t *testing.T) {
			gw := H * map[Cell]int{Elman: 1, LSTM: 4, GRU: 3}[cell]
			rows := H * map[Cell]int{Elman: 1, LSTM: 4, GRU: 4}[cell]
			rng := rand.New(rand.NewPCG(1, 2))
			var args []any
			for _, in := range []int{In, H} {
				args = append(args, randomTensor(rng, 0.5, gw, in), randomTensor(rng, 0.5, gw, H),
					randomTensor(rng, 0.5, gw), randomTensor(rng, 0.5, H))
			}
			mask := make([]float32, T*H*B)
			for i := range mask {
				if rng.IntN(3) > 0 {
					mask[i] = 1.5
				}
			}
			args = append(args, randomTensor(rng, 1, T, In, B), tensors.FromFlatDataAndDimensions(mask, T, H, B),
				randomTensor(rng, 0.3, T, rows, B), randomTensor(rng, 1, T, H, B))
			run := func(ours bool) []*tensors.Tensor {
				return MustExecOnceN(be, func(p []*Node) []*Node {
					params, x, mask, probe, weights := p[:8], p[8], p[9], p[10], p[11]
					g := x.Graph()
					zero := Zeros(g, shapes.Make(dtypes.Float32, H, B))
					var top *Node
					if ours {
						c := newCell(cell, g, H, B)
						r := &recurrence{cell: cell, hidden: H, x: x, xGrad: true, probe: probe,
							masks: []*Node{nil, mask}}
						for l := range 2 {
							q := params[4*l : 4*l+4]
							r.w = append(r.w, c.weights(q[0], q[1], q[2], q[3]))
							r.init = append(r.init, []*Node{zero, zero}[:c.parts()])
						}
						top = r.run(true).top
					} else {
						var hs []*Node
						for t := range T {
							hs = append(hs, at(x, t))
						}
						for l := range 2 {
							q := params[4*l : 4*l+4]
							h, c := zero, zero
							for t := range T {
								in := hs[t]
								if l == 1 {
									in = Mul(in, at(mask, t))
								}
								h, c = refStepProbe(cell, q, in, h, c, probe, t, l == 0)
								hs[t] = h
							}
						}
						top = Stack(hs, 0)
					}
					loss := ReduceAllSum(Mul(top, weights))
					return append([]*Node{top}, Gradient(loss, append(params, x, probe)...)...)
				}, args...)
			}
			got, want := run(true), run(false)
			names := []string{"hidden states", "w_ih 0", "w_hh 0", "b 0", "b_hn 0", "w_ih 1", "w_hh 1", "b 1", "b_hn 1", "x", "probe"}
			for i, name := range names {
				a, b := tensors.MustCopyFlatData[float32](got[i]), tensors.MustCopyFlatData[float32](want[i])
				worst, norm := 0.0, 0.0
				for j := range a {
					worst = math.Max(worst, math.Abs(float64(a[j]-b[j])))
					norm = math.Max(norm, math.Abs(float64(b[j])))
				}
				tol := 1e-4 // gradients sum longer chains of float32 products
				if i == 0 {
					tol = 1e-5 // the hidden states: the cell's update itself
				}
				if worst > tol*math.Max(1, norm) {
					t.Errorf("%s: largest difference %.3g (largest value %.3g)", name, worst, norm)
				}
				if norm == 0 && !(cell != GRU && name[:4] == "b_hn") {
					t.Errorf("%s: all zero, the test checks nothing", name)
				}
			}
		})
	}
}

// refStepProbe is refStep with, on the first layer, the probe's step t added to the
// pre-activations in scan's row layout (for the GRU: rows r, z, n_x, n_h; the sigmoid rows
// are halved in scan, so the probe there acts on half the pre-activation).
func refStepProbe(cell Cell, q []*Node, x, h, c, probe *Node, t int, first bool) (*Node, *Node) {
	if !first {
		return refStep(cell, q[0], q[1], q[2], q[3], x, h, c)
	}
	p := at(probe, t)
	hid := q[1].Shape().Dimensions[1]
	wih, whh, b, bhn := q[0], q[1], q[2], q[3]
	lin := func(w, v *Node, from, to int) *Node { return Dot(rowRange(w, from, to), v).Product() }
	pre := func(k int, scale float64) *Node {
		z := Add(Add(lin(wih, x, k*hid, (k+1)*hid), lin(whh, h, k*hid, (k+1)*hid)), ExpandAxes(rowRange(b, k*hid, (k+1)*hid), -1))
		return Add(z, MulScalar(rowRange(p, k*hid, (k+1)*hid), scale))
	}
	switch cell {
	case LSTM:
		i, f, g, o := Sigmoid(pre(0, 2)), Sigmoid(pre(1, 2)), Tanh(pre(2, 1)), Sigmoid(pre(3, 2))
		c = Add(Mul(f, c), Mul(i, g))
		return Mul(o, Tanh(c)), c
	case GRU:
		r, z := Sigmoid(pre(0, 2)), Sigmoid(pre(1, 2))
		nh := Add(Add(lin(whh, h, 2*hid, 3*hid), ExpandAxes(bhn, -1)), rowRange(p, 3*hid, 4*hid))
		nx := Add(Add(lin(wih, x, 2*hid, 3*hid), ExpandAxes(rowRange(b, 2*hid, 3*hid), -1)), rowRange(p, 2*hid, 3*hid))
		n := Tanh(Add(nx, Mul(r, nh)))
		return Add(Mul(OneMinus(z), n), Mul(z, h)), nil
	}
	return Tanh(pre(0, 1)), nil
}

package rnn

import (
	"math"
	"math/rand/v2"
	"testing"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/llm-map/lab/lmkit/backend"
)

// refScan is the textbook recurrence, differentiated by GoMLX's autodiff: the specification
// the hand-written backward pass of scan must match. xp and u hold pre-activations scaled as
// scan's (sigmoid gates halved), so the reference applies σ(2x).
func refScan(cell string, xp, u, bhn *Node) *Node {
	dims := xp.Shape().Dimensions
	g, b, hid := xp.Graph(), dims[1], u.Shape().Dimensions[0]
	sig := func(x *Node) *Node { return Sigmoid(MulScalar(x, 2)) }
	h, c := zeros(g, b, hid), zeros(g, b, hid)
	var hs []*Node
	for t := range dims[0] {
		xt := at(xp, t)
		switch cell {
		case LSTM:
			z := Add(xt, Dot(h, u).Product())
			i, f := sig(cols(z, 0, hid)), sig(cols(z, hid, 2*hid))
			gg, o := Tanh(cols(z, 2*hid, 3*hid)), sig(cols(z, 3*hid, 4*hid))
			c = Add(Mul(f, c), Mul(i, gg))
			h = Mul(o, Tanh(c))
		case GRU:
			hu := Dot(h, u).Product()
			r := sig(Add(cols(xt, 0, hid), cols(hu, 0, hid)))
			z := sig(Add(cols(xt, hid, 2*hid), cols(hu, hid, 2*hid)))
			n := Tanh(Add(cols(xt, 2*hid, 3*hid), Mul(r, Add(cols(hu, 2*hid, 3*hid), BroadcastToDims(ExpandAxes(bhn, 0), b, hid)))))
			h = Add(Mul(OneMinus(z), n), Mul(z, h))
		default:
			h = Tanh(Add(xt, Dot(h, u).Product()))
		}
		hs = append(hs, h)
	}
	return Stack(hs, 0)
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

// The hand-written backward pass of every cell gives autodiff's gradients of the textbook
// recurrence, and the forward pass its hidden states.
func TestScanMatchesAutodiff(t *testing.T) {
	be := backend.MustDefault()
	const T, B, H = 7, 3, 5
	for _, cell := range Cells {
		t.Run(cell, func(t *testing.T) {
			gw := H * map[string]int{Elman: 1, LSTM: 4, GRU: 3}[cell]
			rng := rand.New(rand.NewPCG(1, 2))
			xp, u, bhn := randomTensor(rng, 1, T, B, gw), randomTensor(rng, 0.5, H, gw), randomTensor(rng, 0.5, H)
			weights := randomTensor(rng, 1, T, B, H)
			run := func(ours bool) []*tensors.Tensor {
				return MustExecOnceN(be, func(xp, u, bhn, w *Node) []*Node {
					var hs *Node
					if ours {
						var b *Node
						if cell == GRU {
							b = bhn
						}
						init := []*Node{zeros(xp.Graph(), B, H), zeros(xp.Graph(), B, H)}[:stateParts(cell)]
						hs, _ = scan(cell, xp, u, b, init, true)
					} else {
						hs = refScan(cell, xp, u, bhn)
					}
					loss := ReduceAllSum(Mul(hs, w))
					grads := Gradient(loss, xp, u, bhn)
					return append([]*Node{hs}, grads...)
				}, xp, u, bhn, weights)
			}
			got, want := run(true), run(false)
			for i, name := range []string{"hidden states", "d xp", "d U", "d b_hn"} {
				a, b := tensors.MustCopyFlatData[float32](got[i]), tensors.MustCopyFlatData[float32](want[i])
				worst, norm := 0.0, 0.0
				for j := range a {
					worst = math.Max(worst, math.Abs(float64(a[j]-b[j])))
					norm = math.Max(norm, math.Abs(float64(b[j])))
				}
				if worst > 1e-4*math.Max(1, norm) {
					t.Errorf("%s: largest difference %.3g (largest value %.3g)", name, worst, norm)
				}
				if i > 0 && norm == 0 && !(cell != GRU && i == 3) {
					t.Errorf("%s: all zero, the test checks nothing", name)
				}
			}
		})
	}
}

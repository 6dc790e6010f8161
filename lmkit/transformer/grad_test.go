package transformer

import (
	"math"
	"math/rand/v2"
	"testing"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/llm-map/lab/lmkit/backend"
)

func randTensor(rng *rand.Rand, scale float64, dims ...int) *tensors.Tensor {
	n := 1
	for _, d := range dims {
		n *= d
	}
	flat := make([]float32, n)
	for i := range flat {
		flat[i] = float32(rng.NormFloat64() * scale)
	}
	return tensors.FromFlatDataAndDimensions(flat, dims...)
}

// checkGradients compares the hand-written backward pass of mine with GoMLX's autodiff of
// ref, on the loss sum(out ∘ r) for a random r: values and every input's gradient.
func checkGradients(t *testing.T, name string, inputs []*tensors.Tensor, mine, ref func(in []*Node) *Node) {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 7))
	exec := MustNewExec(backend.MustDefault(), func(params []*Node) []*Node {
		in, r := params[:len(params)-1], params[len(params)-1]
		var outs []*Node
		for _, f := range []func([]*Node) *Node{mine, ref} {
			out := f(in)
			grads := Gradient(ReduceAllSum(Mul(out, r)), in...)
			outs = append(outs, out)
			outs = append(outs, grads...)
		}
		return outs
	})
	// The output's shape: build once to learn it.
	probe := MustNewExec(backend.MustDefault(), func(params []*Node) *Node { return ref(params) })
	outShape := probe.MustExec(anySlice(inputs)...)[0].Shape()
	args := append(anySlice(inputs), randTensor(rng, 1, outShape.Dimensions...))
	res := exec.MustExec(args...)
	half := len(res) / 2
	for i := 0; i < half; i++ {
		a := tensors.MustCopyFlatData[float32](res[i])
		b := tensors.MustCopyFlatData[float32](res[half+i])
		worst, scale := 0.0, 0.0
		for j := range a {
			worst = math.Max(worst, math.Abs(float64(a[j]-b[j])))
			scale = math.Max(scale, math.Abs(float64(b[j])))
		}
		what := "output"
		if i > 0 {
			what = "gradient of input " + string(rune('0'+i-1))
		}
		tol := 1e-4 // gradients sum longer chains of float32 products
		if i == 0 {
			tol = 1e-5 // the forward pass: the mechanism itself, as a notebook cell checks it
		}
		if worst > tol*math.Max(1, scale) || math.IsNaN(worst) {
			t.Errorf("%s: %s differs from autodiff by %.3g (largest value %.3g)", name, what, worst, scale)
		}
	}
}

func anySlice(ts []*tensors.Tensor) []any {
	out := make([]any, len(ts))
	for i, t := range ts {
		out[i] = t
	}
	return out
}

// The hand-written backward passes give autodiff's gradients.
func TestBackwardPassesMatchAutodiff(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	checkGradients(t, "linear", []*tensors.Tensor{randTensor(rng, 1, 6, 10), randTensor(rng, 0.5, 4, 6)},
		func(in []*Node) *Node { return linear(in[0], in[1], true) },
		func(in []*Node) *Node { return Dot(in[1], in[0]).Product() })
	checkGradients(t, "normalize", []*tensors.Tensor{randTensor(rng, 2, 8, 10)},
		func(in []*Node) *Node { return normalize(in[0], true) },
		func(in []*Node) *Node {
			x := in[0]
			xc := Sub(x, ReduceAndKeep(x, ReduceMean, 0))
			return Div(xc, Sqrt(AddScalar(ReduceAndKeep(Square(xc), ReduceMean, 0), 1e-5)))
		})
	checkGradients(t, "gelu", []*tensors.Tensor{randTensor(rng, 2, 8, 10)},
		func(in []*Node) *Node { return gelu(in[0], true) },
		func(in []*Node) *Node {
			x := in[0]
			return Mul(x, MulScalar(AddScalar(Erf(DivScalar(x, math.Sqrt2)), 1), 0.5))
		})
	s := attentionShape{b: 2, t: 5, h: 3, d: 4}
	qkv := randTensor(rng, 1, 3*s.h*s.d, s.b*s.t)
	// A fixed dropout pattern on the attention weights: keep 1/(1-0.3) or drop.
	keepFlat := make([]float32, s.b*s.h*s.t*s.t)
	for i := range keepFlat {
		if rng.Float64() >= 0.3 {
			keepFlat[i] = 1 / 0.7
		}
	}
	keep := tensors.FromFlatDataAndDimensions(keepFlat, s.b*s.h, s.t, s.t)
	for _, tc := range []struct {
		name            string
		rotary, dropout bool
		bidirectional   bool
	}{{"attention", false, false, false}, {"attention (rotary)", true, false, false}, {"attention (dropout)", false, true, false},
		{"attention (bidirectional)", false, false, true}} {
		s := s
		s.bidirectional = tc.bidirectional
		var mineDrop, refDrop func(*Node) (*Node, *Node)
		if tc.dropout {
			mineDrop = func(p *Node) (*Node, *Node) { k := Const(p.Graph(), keep); return Mul(p, k), k }
			refDrop = mineDrop
		}
		checkGradients(t, tc.name, []*tensors.Tensor{qkv},
			func(in []*Node) *Node { y, _ := attention(in[0], s, tc.rotary, mineDrop, true); return y },
			func(in []*Node) *Node { return referenceAttention(in[0], s, tc.rotary, refDrop) })
	}
}

// referenceAttention is multi-head attention written plainly, for autodiff: softmax(q·kᵀ/√d)·v
// per head, causal unless s.bidirectional.
func referenceAttention(qkv *Node, s attentionShape, rotary bool, dropout func(*Node) (*Node, *Node)) *Node {
	g := qkv.Graph()
	b, t, h, d := s.b, s.t, s.h, s.d
	x := TransposeAllAxes(Reshape(qkv, 3, h, d, b, t), 0, 3, 1, 4, 2) // [3, B, H, T, D]
	q := Reshape(Slice(x, AxisElem(0)), b*h, t, d)
	k := Reshape(Slice(x, AxisElem(1)), b*h, t, d)
	v := Reshape(Slice(x, AxisElem(2)), b*h, t, d)
	if rotary {
		q, k = referenceRotate(q, t, d), referenceRotate(k, t, d)
	}
	scores := MulScalar(Einsum("bqd,bkd->bqk", q, k), 1/math.Sqrt(float64(d)))
	p := Softmax(scores, -1)
	if !s.bidirectional {
		causal := BroadcastToDims(Reshape(LowerTriangular(g, t), 1, t, t), b*h, t, t)
		p = MaskedSoftmax(scores, causal, -1)
	}
	if dropout != nil {
		p, _ = dropout(p)
	}
	o := Reshape(Einsum("bqk,bkd->bqd", p, v), b, h, t, d)
	return Reshape(TransposeAllAxes(o, 1, 3, 0, 2), h*d, b*t)
}

// referenceRotate is RoPE as the paper writes it, on x [BH, T, D]: the pair (x_i, x_{i+D/2})
// at position p turns by p·10000^(-2i/D).
func referenceRotate(x *Node, t, d int) *Node {
	half := d / 2
	cs, sn := make([]float32, t*half), make([]float32, t*half)
	for p := 0; p < t; p++ {
		for i := 0; i < half; i++ {
			theta := float64(p) / math.Pow(10000, float64(2*i)/float64(d))
			cs[p*half+i], sn[p*half+i] = float32(math.Cos(theta)), float32(math.Sin(theta))
		}
	}
	g := x.Graph()
	cos := BroadcastToDims(Const(g, tensors.FromFlatDataAndDimensions(cs, 1, t, half)), x.Shape().Dimensions[0], t, half)
	sin := BroadcastToDims(Const(g, tensors.FromFlatDataAndDimensions(sn, 1, t, half)), x.Shape().Dimensions[0], t, half)
	x1 := SliceAxis(x, 2, AxisRange(0, half))
	x2 := SliceAxis(x, 2, AxisRange(half, d))
	return Concatenate([]*Node{Sub(Mul(x1, cos), Mul(x2, sin)), Add(Mul(x2, cos), Mul(x1, sin))}, 2)
}

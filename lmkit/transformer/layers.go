package transformer

import (
	"math"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"

	"github.com/llm-map/lab/lmkit/internal/outer"
)

// The model keeps activations feature-major: [features, tokens], tokens = batch*window. On
// the pure-Go backend (compute v0.1.14) a matrix multiply is fast when its left operand
// contracts its last axis (the right one may contract either), a sum over the first axis or a
// repeat of a row or column is a fast matrix multiply with ones (sumRows, rows, cols), and
// only a few transposes have fast loops (2-D, and swapping the middle axes of 4-D); with
// features first, every linear layer, layer norm and their gradients take those fast paths.

// linear is w [out, in] times x [in, N]: y [out, N]. Its backward pass contracts over tokens
// for dw with both operands as stored (dy·xᵀ), and for dx transposes only the small weight:
// the Go backend's matrix multiply wants the left operand's contracted axis last, and would
// otherwise transpose both w and the large dy itself.
func linear(x, w *Node, train bool) *Node {
	forward := func(in []*Node) *Node { return Dot(in[1], in[0]).Product() }
	if !train {
		return forward([]*Node{x, w})
	}
	return withGradient([]*Node{x, w}, forward, func(in []*Node, _, dy *Node) []*Node {
		x, w := in[0], in[1]
		dx := Dot(Transpose(w, 0, 1), dy).Product()           // [in, N]
		dw := DotGeneral(dy, []int{1}, nil, x, []int{1}, nil) // [out, in]
		return []*Node{dx, dw}
	})
}

// sumRows is the sum over the first axis of x [C, N], as [1, N]: a matrix multiply by a row
// of ones, much faster on the Go backend than a reduction.
func sumRows(x *Node, scale float64) *Node {
	c := x.Shape().Dimensions[0]
	ones := Scalar(x.Graph(), x.DType(), scale)
	return Dot(BroadcastToDims(ones, 1, c), x).Product()
}

// rows repeats r ([N] or [1, N]) into [C, N], and cols repeats v ([C] or [C, 1]) into [C, N],
// as outer products with ones (see package outer for why).
var rows, cols = outer.Rows, outer.Cols

// normalize is layer normalization without its gain: each column of x [C, N] (one token's
// features) to mean 0 and variance 1. The gain is folded into the weights of the layer that
// reads the result (see Model.normLinear).
func normalize(x *Node, train bool) *Node {
	c := x.Shape().Dimensions[0]
	var rstd *Node // [1, N], kept for the backward pass
	forward := func(in []*Node) *Node {
		x := in[0]
		xc := Sub(x, rows(sumRows(x, 1/float64(c)), c))
		rstd = Reciprocal(Sqrt(AddScalar(sumRows(Square(xc), 1/float64(c)), 1e-5)))
		return Mul(xc, rows(rstd, c))
	}
	if !train {
		return forward([]*Node{x})
	}
	return withGradient([]*Node{x}, forward, func(_ []*Node, xhat, dy *Node) []*Node {
		// dx = rstd * (dy - mean(dy) - xhat*mean(dy*xhat)), column by column.
		a := Mul(rstd, sumRows(dy, 1/float64(c)))
		b := Mul(rstd, sumRows(Mul(dy, xhat), 1/float64(c)))
		dx := Sub(Mul(dy, rows(rstd, c)), Add(rows(a, c), Mul(xhat, rows(b, c))))
		return []*Node{dx}
	})
}

// gelu is the exact GELU, x·Φ(x) with Φ the standard normal CDF (nanoGPT's nn.GELU()). The
// backward pass reuses Φ(x) from the forward pass and adds x·φ(x).
func gelu(x *Node, train bool) *Node {
	var cdf *Node
	forward := func(in []*Node) *Node {
		cdf = AddScalar(MulScalar(Erf(MulScalar(in[0], 1/math.Sqrt2)), 0.5), 0.5)
		return Mul(in[0], cdf)
	}
	if !train {
		return forward([]*Node{x})
	}
	return withGradient([]*Node{x}, forward, func(in []*Node, _, dy *Node) []*Node {
		x := in[0]
		pdf := MulScalar(Exp(MulScalar(Square(x), -0.5)), 1/math.Sqrt(2*math.Pi))
		return []*Node{Mul(dy, Add(cdf, Mul(x, pdf)))}
	})
}

// attentionShape names the sizes of one attention call.
type attentionShape struct {
	b, t, h, d    int
	bidirectional bool // no causal mask: every position attends to every other
}

// maskValue is added to the scores of future positions: finite, so no Inf-Inf NaN can arise;
// exp(maskValue - max) is exactly 0 in float32.
const maskValue = -1e9

// attention is multi-head self-attention, causal unless s.bidirectional, on qkv [3C, N] (queries, keys and values of
// every head, feature-major as the projection makes them) to y [C, N]. Each head's scores are
// q·kᵀ/sqrt(head width): the scale is applied once, to the queries. It also returns the
// attention weights [B*H, T, T] (row q: what query position q takes from each key position).
//
// All matrix multiplies, forward and backward, take the backend's fast layout; the price is
// a handful of transposes of [B*H, T, D] tensors. The backward pass uses FlashAttention's
// identity rowsum(dP∘P) = rowsum(dO∘O), and folds that row term into the dP multiply by
// appending it as an extra column, so no [T, T] broadcast is needed.
func attention(qkv *Node, s attentionShape, rotary bool, dropout func(*Node) (*Node, *Node), train bool) (y, weights *Node) {
	g := qkv.Graph()
	b, t, h, d := s.b, s.t, s.h, s.d
	bh, c, n := b*h, h*d, b*t
	scale := 1 / math.Sqrt(float64(d))
	dt := qkv.DType()
	// part i of qkv as [H, D, B, T]; to(part, perm) lays it out as [B*H, x, y].
	part := func(x *Node, i int) *Node {
		return Reshape(Slice(Reshape(x, 3, h, d, b, t), AxisElem(i)), h, d, b, t)
	}
	// [H,D,B,T] -> [BH,T,D] and back in two transposes the Go backend has fast loops for (a
	// matrix transpose, then swapping the middle axes of [B,T,H,D]), where the one permutation
	// would walk its per-element index iterator.
	btd := func(x *Node) *Node {
		return Reshape(TransposeAllAxes(Reshape(Transpose(Reshape(x, c, n), 0, 1), b, t, h, d), 0, 2, 1, 3), bh, t, d)
	}
	fromBTD := func(x *Node) *Node { // -> [C, N]
		return Transpose(Reshape(TransposeAllAxes(Reshape(x, b, h, t, d), 0, 2, 1, 3), n, c), 0, 1)
	}
	bdt := func(x *Node) *Node { return Reshape(TransposeAllAxes(x, 2, 0, 1, 3), bh, d, t) } // [H,D,B,T] -> [BH,D,T]
	// The rotation's tables for [BH,T,D] and [BH,D,T] operands.
	var turnTD, turnDT turn
	if rotary {
		cos, sin := rotaryTables(g, dt, t, d)
		turnTD, turnDT = turnFor(cos, sin, bh, 2), turnFor(cos, sin, bh, 1)
	}
	var mask *Node
	if !s.bidirectional {
		mask = causalMask(g, dt, bh, t)
	}

	var q, kT, v, p, pd, keep *Node
	forward := func(in []*Node) *Node {
		qkv := in[0]
		q = btd(part(qkv, 0))
		kT = bdt(part(qkv, 1))
		v = btd(part(qkv, 2))
		if rotary {
			q = turnTD.rotate(q, false)
			kT = turnDT.rotate(kT, false)
		}
		q = MulScalar(q, scale)
		scores := DotGeneral(q, []int{2}, []int{0}, kT, []int{1}, []int{0}) // [BH, T, T]
		if mask != nil {
			scores = Add(scores, mask)
		}
		p = Softmax(scores, -1)
		pd = p
		if dropout != nil {
			pd, keep = dropout(p)
		}
		o := DotGeneral(pd, []int{2}, []int{0}, v, []int{1}, []int{0}) // [BH, T, D]
		return fromBTD(o)
	}
	if !train {
		y = forward([]*Node{qkv})
		return y, p
	}
	y = withGradient([]*Node{qkv}, forward, func(in []*Node, y, dy *Node) []*Node {
		qkv := in[0]
		dy4 := Reshape(dy, h, d, b, t)
		dO, dOT := btd(dy4), bdt(dy4)
		// rowsum(dO∘O) per head and position, as [BH, T]: a sum over each head's D rows of
		// the feature-major product, by a batched multiply with ones.
		prod := Reshape(Mul(dy, y), h, d, n)
		rowTerm := Dot(BroadcastToDims(Scalar(g, dt, 1), h, 1, d), prod).General([]int{2}, []int{0}, []int{1}, []int{0}) // [H, 1, N]
		rowTerm = Reshape(TransposeAllAxes(Reshape(rowTerm, h, b, t), 1, 0, 2), bh, t, 1)
		vT := bdt(part(qkv, 2))
		var dS *Node
		if keep == nil {
			// [dO | -rowTerm] · [vᵀ ; 1] = dP - rowTerm, then dS = P∘(dP - rowTerm).
			dOAug := Concatenate([]*Node{dO, Neg(rowTerm)}, 2)
			vTAug := Concatenate([]*Node{vT, BroadcastToDims(Scalar(g, dt, 1), bh, 1, t)}, 1)
			dS = Mul(p, DotGeneral(dOAug, []int{2}, []int{0}, vTAug, []int{1}, []int{0}))
		} else {
			dPd := DotGeneral(dO, []int{2}, []int{0}, vT, []int{1}, []int{0})
			dS = Mul(p, Sub(Mul(dPd, keep), BroadcastToDims(rowTerm, bh, t, t)))
		}
		k := btd(part(qkv, 1))
		qT := bdt(part(qkv, 0))
		if rotary {
			k = turnTD.rotate(k, false)
			qT = turnDT.rotate(qT, false)
		}
		dQ := MulScalar(DotGeneral(dS, []int{2}, []int{0}, k, []int{1}, []int{0}), scale)   // [BH, T, D]
		dKT := DotGeneral(MulScalar(qT, scale), []int{2}, []int{0}, dS, []int{1}, []int{0}) // [BH, D, T]
		dVT := DotGeneral(dOT, []int{2}, []int{0}, pd, []int{1}, []int{0})                  // [BH, D, T]
		if rotary {
			dQ = turnTD.rotate(dQ, true)
			dKT = turnDT.rotate(dKT, true)
		}
		fromBDT := func(x *Node) *Node { return Reshape(TransposeAllAxes(Reshape(x, b, h, d, t), 1, 2, 0, 3), c, n) }
		return []*Node{Concatenate([]*Node{fromBTD(dQ), fromBDT(dKT), fromBDT(dVT)}, 0)} // [3C, N]
	})
	return y, p
}

// causalMask is [BH, T, T]: 0 where the key is at or before the query, maskValue after it. A
// constant of the full shape makes the addition a plain element-wise one.
func causalMask(g *Graph, dtype dtypes.DType, bh, t int) *Node {
	mask := make([]float32, bh*t*t)
	for i := 0; i < bh; i++ {
		for q := 0; q < t; q++ {
			for k := q + 1; k < t; k++ {
				mask[(i*t+q)*t+k] = maskValue
			}
		}
	}
	return ConvertDType(Const(g, tensorOf(mask, bh, t, t)), dtype)
}

// rotaryTables are cos and sin of position·10000^(-2i/D) for the feature pairs (i, i+D/2),
// as [T, D/2].
func rotaryTables(g *Graph, dtype dtypes.DType, t, d int) (cos, sin *Node) {
	half := d / 2
	cs := make([]float32, t*half)
	sn := make([]float32, t*half)
	for p := 0; p < t; p++ {
		for i := 0; i < half; i++ {
			angle := float64(p) * math.Pow(10000, -2*float64(i)/float64(d))
			cs[p*half+i] = float32(math.Cos(angle))
			sn[p*half+i] = float32(math.Sin(angle))
		}
	}
	return ConvertDType(Const(g, tensorOf(cs, t, half)), dtype), ConvertDType(Const(g, tensorOf(sn, t, half)), dtype)
}

// turn holds the rotary tables repeated over the B*H heads for one layout of the operand:
// [BH, T, D/2] (featureAxis 2) or [BH, D/2, T] (featureAxis 1). Built once per attention call
// and shared by its six rotations, with the repeat done by rows (see there).
type turn struct {
	cos, sin    *Node
	featureAxis int
}

func turnFor(cos, sin *Node, bh, featureAxis int) turn {
	if featureAxis == 1 {
		cos, sin = Transpose(cos, 0, 1), Transpose(sin, 0, 1) // [D/2, T]
	}
	dims := append([]int{bh}, cos.Shape().Dimensions...)
	return turn{cos: Reshape(rows(cos, bh), dims...), sin: Reshape(rows(sin, bh), dims...), featureAxis: featureAxis}
}

// rotate turns the feature pairs (i, i+D/2) of x by their position's angle: x is [BH, T, D]
// or [BH, D, T], as the turn's featureAxis says. inverse turns them back, which is also the
// gradient of the rotation.
func (r turn) rotate(x *Node, inverse bool) *Node {
	featureAxis := r.featureAxis
	half := x.Shape().Dimensions[featureAxis] / 2
	cosB, sinB := r.cos, r.sin
	if inverse {
		sinB = Neg(sinB)
	}
	x1 := SliceAxis(x, featureAxis, AxisRange(0, half))
	x2 := SliceAxis(x, featureAxis, AxisRange(half, 2*half))
	return Concatenate([]*Node{
		Sub(Mul(x1, cosB), Mul(x2, sinB)),
		Add(Mul(x2, cosB), Mul(x1, sinB)),
	}, featureAxis)
}

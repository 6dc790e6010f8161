package transformer

import (
	"math"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"
)

// maskValue is added to the scores of future positions. It is finite, unlike -Inf, so
// x - x stays 0 in the softmax's custom gradient; exp(maskValue - max) is exactly 0.
const maskValue = -1e9

// attention is causal multi-head self-attention on x [B, T, C]: one matrix multiply makes the
// queries, keys and values of every head, the heads' scores come from one batched multiply,
// and one more projects the heads' concatenated outputs back to C. The scores are scaled by
// 1/sqrt(head width) once, on the queries. It returns the output [B, T, C] and the attention
// weights [B, H, T, T] (row q: how much query position q takes from each key position).
func (m *Model) attention(scope *model.Scope, x *Node, train bool) (out, weights *Node) {
	g := x.Graph()
	dims := x.Shape().Dimensions
	b, t, c := dims[0], dims[1], dims[2]
	h, d := m.Heads, m.HeadDim()

	qkv := m.linear(scope.In("qkv"), Reshape(x, b*t, c), 3*c, initStd) // [B*T, 3C]
	qkv = TransposeAllAxes(Reshape(qkv, b, t, 3, h, d), 2, 0, 3, 1, 4)  // [3, B, H, T, D]
	q := Reshape(Slice(qkv, AxisElem(0)), b, h, t, d)
	k := Reshape(Slice(qkv, AxisElem(1)), b, h, t, d)
	v := Reshape(Slice(qkv, AxisElem(2)), b, h, t, d)
	if m.Positions == Rotary {
		q, k = rotate(q), rotate(k)
	}
	q = MulScalar(q, 1/math.Sqrt(float64(d)))

	scores := DotGeneral(q, []int{3}, []int{0, 1}, k, []int{3}, []int{0, 1}) // [B, H, T, T]
	scores = Add(scores, BroadcastToDims(causalMask(g, scores.DType(), t), b, h, t, t))
	weights = softmax(scores, train)
	attended := weights
	if train && m.Dropout > 0 {
		attended = layers.DropoutStatic(scope, weights, m.Dropout)
	}
	y := DotGeneral(attended, []int{3}, []int{0, 1}, v, []int{2}, []int{0, 1}) // [B, H, T, D]
	y = Reshape(TransposeAllAxes(y, 0, 2, 1, 3), b*t, c)                   // heads side by side
	out = m.linear(scope.In("proj"), y, c, m.residualStd())
	return Reshape(out, b, t, c), weights
}

// causalMask is [T, T]: 0 where the key is at or before the query, maskValue after it.
func causalMask(g *Graph, dtype dtypes.DType, t int) *Node {
	mask := make([]float32, t*t)
	for q := 0; q < t; q++ {
		for k := q + 1; k < t; k++ {
			mask[q*t+k] = maskValue
		}
	}
	return Reshape(ConvertDType(Const(g, mask), dtype), 1, 1, t, t)
}

// rotate applies rotary position embeddings to x [B, H, T, D]: the feature pairs (i, i+D/2)
// turn by angle position * 10000^(-2i/D).
func rotate(x *Node) *Node {
	g := x.Graph()
	dims := x.Shape().Dimensions
	t, d := dims[2], dims[3]
	half := d / 2
	cos := make([]float32, t*half)
	sin := make([]float32, t*half)
	for p := 0; p < t; p++ {
		for i := 0; i < half; i++ {
			angle := float64(p) * math.Pow(10000, -2*float64(i)/float64(d))
			cos[p*half+i] = float32(math.Cos(angle))
			sin[p*half+i] = float32(math.Sin(angle))
		}
	}
	cosN := BroadcastToDims(Reshape(ConvertDType(Const(g, cos), x.DType()), 1, 1, t, half), dims[0], dims[1], t, half)
	sinN := BroadcastToDims(Reshape(ConvertDType(Const(g, sin), x.DType()), 1, 1, t, half), dims[0], dims[1], t, half)
	x1 := Slice(x, AxisRange(), AxisRange(), AxisRange(), AxisRange(0, half))
	x2 := Slice(x, AxisRange(), AxisRange(), AxisRange(), AxisRange(half, d))
	return Concatenate([]*Node{
		Sub(Mul(x1, cosN), Mul(x2, sinN)),
		Add(Mul(x2, cosN), Mul(x1, sinN)),
	}, 3)
}

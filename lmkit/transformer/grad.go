package transformer

import (
	. "github.com/gomlx/gomlx/core/graph"
)

// withGradient builds out = forward(inputs) with a hand-written backward pass: backward gets
// the gradient of the loss with respect to out and returns one with respect to each input
// (nil for an input that needs none).
//
// Why: GoMLX differentiates each primitive on its own, and on the pure-Go backend its generic
// choices cost more than the arithmetic: a weight gradient contracts over the token axis,
// which the backend's matrix multiply only takes after transposing both operands, and a fused
// softmax, layer norm or GELU is evaluated twice (fused, then decomposed for the gradient).
// The backward passes here pick layouts the matrix multiply takes as they are, and reuse the
// forward pass's values.
//
// How: each input passes through an identity whose custom gradient ignores what autodiff
// computed for it and returns backward's result instead; the output passes through an
// identity that records the incoming gradient. Autodiff visits nodes from the last created
// to the first, so the output's gradient is known before any input's is asked for. The
// gradients autodiff builds through forward's own operations are then used by nothing, and
// the backend never runs them (it skips nodes no output depends on).
func withGradient(inputs []*Node, forward func(in []*Node) *Node, backward func(in []*Node, out, dOut *Node) []*Node) *Node {
	var (
		dOut, out *Node
		grads     []*Node
	)
	wrapped := make([]*Node, len(inputs))
	for i, x := range inputs {
		i := i
		wrapped[i] = IdentityWithCustomGradient(x, func(_, v *Node) *Node {
			if dOut == nil {
				// The output did not reach the loss, so nothing flows back through it.
				return ZerosLike(v)
			}
			if grads == nil {
				grads = backward(wrapped, out, dOut)
			}
			if grads[i] == nil {
				return ZerosLike(v)
			}
			return grads[i]
		})
	}
	out = forward(wrapped)
	return IdentityWithCustomGradient(out, func(_, v *Node) *Node {
		dOut = v
		return v
	})
}

// linearOp is x [N, in] times w [in, out] with a backward pass that transposes one operand
// once: dx = dy·wᵀ reads w as stored, and dw is formed from whichever of xᵀ or dyᵀ is smaller.
func linearOp(x, w *Node) *Node {
	return withGradient([]*Node{x, w},
		func(in []*Node) *Node { return Dot(in[0], in[1]).Product() },
		func(in []*Node, _, dy *Node) []*Node {
			x, w := in[0], in[1]
			n, nIn, nOut := x.Shape().Dimensions[0], w.Shape().Dimensions[0], w.Shape().Dimensions[1]
			dx := DotGeneral(dy, []int{1}, nil, w, []int{1}, nil) // [N, in]
			var dw *Node
			if n*nIn <= n*nOut+nIn*nOut {
				dw = DotGeneral(TransposeAllAxes(x, 1, 0), []int{1}, nil, dy, []int{0}, nil) // [in, out]
			} else {
				dw = TransposeAllAxes(DotGeneral(TransposeAllAxes(dy, 1, 0), []int{1}, nil, x, []int{0}, nil), 1, 0)
			}
			return []*Node{dx, dw}
		})
}

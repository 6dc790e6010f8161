package transformer

import (
	. "github.com/gomlx/gomlx/core/graph"
)

// withGradient builds out = forward(inputs) with a hand-written backward pass: backward gets
// the inputs, the output and the gradient of the loss with respect to the output, and returns
// one gradient per input (nil for an input that needs none).
//
// Why: GoMLX differentiates each primitive on its own, and on the pure-Go backend those
// generic choices cost more than the arithmetic: a weight gradient contracts over the token
// axis, which the backend's matrix multiply takes only after transposing both operands; a
// reduction or broadcast along the last axis walks a generic index iterator; a fused softmax
// or layer norm is evaluated twice, fused and then decomposed for its gradient. The backward
// passes of this package pick layouts the matrix multiply takes as they are, and reuse the
// forward pass's values.
//
// How: each input passes through an identity whose custom gradient ignores what autodiff
// computed for it and returns backward's result instead; the output passes through an
// identity that records the gradient arriving at it. Autodiff visits nodes from the last
// created to the first, so the output's gradient is known before any input's is asked for.
// The gradients autodiff builds through forward's own operations are then used by nothing,
// and the backend never runs them (it skips nodes no output depends on).
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
				// The output did not reach the loss: nothing flows back through it.
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

package rnn

import (
	. "github.com/gomlx/gomlx/core/graph"
)

// scan runs a cell over the scaled input pre-activations xp [T, B, G] from init (h, and c for
// the LSTM, each [B, H]), with the scaled recurrent weights u [H, G] and, for the GRU, the
// candidate's recurrent bias bhn [H]. It returns the hidden states [T, B, H] and the final
// state. init gets no gradient: it is zero, or a state carried over from the previous batch,
// where truncated back-propagation stops anyway.
//
// With grad set, gradients reach xp, u and bhn through the hand-written backward pass of
// cells.go instead of automatic differentiation of the unrolled steps, which would cost
// several times the ops (GoMLX differentiates each slice of xp into a zero-padded copy of all
// of it, and each step's h·U into its own weight-gradient multiply). The trick: the forward
// pass reads its inputs through StopGradient, and the hidden states leave through a slice of
// one packed vector [inputs..., hidden states] whose identity op has a custom gradient. That
// gradient receives the gradient of the hidden states (the tail of the packed vector) and
// returns the inputs' gradients in the head, which the concatenation hands back to each input.
func scan(cell string, xp, u, bhn *Node, init []*Node, grad bool) (*Node, []*Node) {
	dims := xp.Shape().Dimensions
	t, b := dims[0], dims[1]
	h := u.Shape().Dimensions[0]
	inputs := []*Node{xp, u}
	if bhn != nil {
		inputs = append(inputs, bhn)
	}
	stopped := make([]*Node, len(inputs))
	for i, in := range inputs {
		stopped[i] = StopGradient(in)
	}
	for i := range init {
		init[i] = StopGradient(init[i])
	}
	var sb *Node
	if bhn != nil {
		sb = stopped[2]
	}
	tr := forwardCell(cell, stopped[0], stopped[1], sb, init)
	hs := Stack(tr.h, 0) // [T, B, H]
	if !grad {
		return hs, tr.final
	}
	size := t * b * h
	parts := make([]*Node, 0, len(inputs)+1)
	head := 0
	for _, in := range inputs {
		parts = append(parts, Reshape(in, in.Shape().Size()))
		head += in.Shape().Size()
	}
	parts = append(parts, Reshape(hs, size))
	packed := IdentityWithCustomGradient(Concatenate(parts, 0), func(_, v *Node) *Node {
		dhs := Reshape(Slice(v, AxisRange(head, head+size)), t, b, h)
		grads := backwardCell(cell, tr, stopped[1], dhs)
		out := make([]*Node, 0, len(grads)+1)
		for _, gr := range grads {
			out = append(out, Reshape(gr, gr.Shape().Size()))
		}
		out = append(out, ZerosLike(Reshape(hs, size)))
		return Concatenate(out, 0)
	})
	return Reshape(Slice(packed, AxisRange(head, head+size)), t, b, h), tr.final
}

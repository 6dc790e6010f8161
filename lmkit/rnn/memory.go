package rnn

// TrainingBytes estimates the memory a training step needs (lm.Sized): float32 weights with
// their gradients and two Adam moments (16 bytes a parameter), and what the backward pass
// keeps: each layer's gates and states at every step, and the logits with their softmax and
// gradient. It is meant to catch sizes far beyond the machine, not to budget the last gigabyte.
func (m *Model) TrainingBytes(batch, context int) int64 {
	b, t, h, v, l, g := int64(batch), int64(context), int64(m.Hidden), int64(m.Vocab), int64(m.Layers), int64(m.gates())
	in := v
	params := int64(0)
	if m.Embed > 0 {
		in = int64(m.Embed)
		params += v * in
	}
	params += g*h*(in+h+1) + (l-1)*g*h*(2*h+1) + v*(h+1)
	acts := l*b*t*h*(2*g+2) + 3*b*t*v
	return 16*params + 4*acts
}

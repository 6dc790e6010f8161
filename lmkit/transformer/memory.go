package transformer

// TrainingBytes estimates the memory a training step of this model needs (lm.Sized): float32
// weights with their gradients and two Adam moments (16 bytes a parameter), and the
// activations the backward pass keeps: about 17 numbers per layer, position and width
// (norms, q, k, v, the attention output and projection, the MLP's 4x-wide hidden layer before
// and after GELU, the residuals), the attention weights (scores, softmax and their gradient,
// per head), and the logits with their softmax and gradient. It is meant to catch sizes
// orders of magnitude beyond the machine, not to budget the last gigabyte.
func (m *Model) TrainingBytes(batch, context int) int64 {
	b, t, d, l, h, v := int64(batch), int64(context), int64(m.Dim), int64(m.Layers), int64(m.Heads), int64(m.Vocab)
	rows := t
	if m.Context > 0 {
		rows = int64(m.Context)
	}
	params := v*d + l*(12*d*d+9*d) + 2*d
	if m.Untied {
		params += v * d
	}
	if m.Positions != Rotary {
		params += rows * d
	}
	acts := l*(17*b*t*d+3*b*h*t*t) + 3*b*t*v
	return 16*params + 4*acts
}

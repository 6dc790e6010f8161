package rnn

import (
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
)

// recurrence is a stack of recurrent layers unrolled over T steps, feature-major throughout.
type recurrence struct {
	cell   Cell
	hidden int
	x      *Node     // layer 0's input at every step, [T, in, B]
	xGrad  bool      // x gets a gradient (embeddings do; one-hot tokens do not)
	w      []*Node   // per layer, W [rows·H, in_l+H+1] from cell.weights
	init   [][]*Node // per layer, the first state's parts, [H, B] each
	masks  []*Node   // per layer, a dropout mask [T, H, B] on its input (nil: none; layer 0 never)
	probe  *Node     // [T, rows·H, B] added to layer 0's pre-activations, for gradient experiments
}

// unrolled is a recurrence's forward pass.
type unrolled struct {
	top    *Node       // the last layer's hidden states, [T, H, B]
	hidden [][]*Node   // every layer's hidden state after each step, [H, B] (no gradient)
	final  [][]*Node   // every layer's state after the last step (no gradient)
	ins    [][]*Node   // per layer and step, the multiply's right side [x_t; h_{t-1}; 1]
	saved  [][][]*Node // per layer and step, what the cell's backward reads
	prev   [][][]*Node // per layer and step, the state before the step
}

// run unrolls the recurrence. With grad set, gradients reach W, x (when xGrad) and probe
// through the hand-written backward pass below instead of automatic differentiation of the
// unrolled steps, which would cost several times the ops and the memory traffic. The trick:
// the forward pass reads its inputs through StopGradient, and the top layer's hidden states
// leave through a slice of one packed vector [inputs..., hidden states] whose identity op
// has a custom gradient. That gradient receives the hidden states' gradient (the tail of the
// packed vector) and returns the inputs' gradients in the head, which the concatenation
// hands back to each input. The initial state gets no gradient: it is zero, or a state
// carried over from the previous batch, where truncated back-propagation stops anyway.
func (r *recurrence) run(grad bool) *unrolled {
	dims := r.x.Shape().Dimensions
	steps, b, h := dims[0], dims[2], r.hidden
	g := r.x.Graph()
	c := newCell(r.cell, g, h, b)
	oneRow := Ones(g, shapes.Make(dtypes.Float32, 1, b)) // multiplies the bias column of W
	w := make([]*Node, len(r.w))
	for l := range r.w {
		w[l] = StopGradient(r.w[l])
	}
	x := StopGradient(r.x)
	var probe *Node
	if r.probe != nil {
		probe = StopGradient(r.probe)
	}

	u := &unrolled{}
	inputs := make([]*Node, steps)
	for t := range steps {
		inputs[t] = at(x, t)
	}
	for l := range w {
		state := make([]*Node, len(r.init[l]))
		for i, s := range r.init[l] {
			state[i] = StopGradient(s)
		}
		var ins []*Node
		var saved, prev [][]*Node
		hs := make([]*Node, steps)
		for t := range steps {
			xt := inputs[t]
			if l > 0 && r.masks != nil && r.masks[l] != nil {
				xt = Mul(xt, at(r.masks[l], t))
			}
			in := Concatenate([]*Node{xt, state[0], oneRow}, 0)
			z := Dot(w[l], in).Product()
			if l == 0 && probe != nil {
				z = Add(z, at(probe, t))
			}
			next, s := c.forward(z, state)
			ins, saved, prev = append(ins, in), append(saved, s), append(prev, state)
			state = next
			hs[t] = next[0]
		}
		u.ins, u.saved, u.prev = append(u.ins, ins), append(u.saved, saved), append(u.prev, prev)
		u.hidden = append(u.hidden, hs)
		u.final = append(u.final, state)
		inputs = hs
	}
	if !grad {
		u.top = Stack(inputs, 0)
		return u
	}

	size := steps * h * b
	var parts []*Node
	head := 0
	add := func(n *Node) {
		parts = append(parts, Reshape(n, n.Shape().Size()))
		head += n.Shape().Size()
	}
	for _, wl := range r.w {
		add(wl)
	}
	if r.xGrad {
		add(r.x)
	}
	if r.probe != nil {
		add(r.probe)
	}
	for _, ht := range inputs {
		parts = append(parts, Reshape(ht, h*b))
	}
	packed := IdentityWithCustomGradient(Concatenate(parts, 0), func(_, v *Node) *Node {
		dtop := make([]*Node, steps) // the gradient reaching each top hidden state, [H, B]
		for t := range steps {
			from := head + t*h*b
			dtop[t] = Reshape(Slice(v, AxisRange(from, from+h*b)), h, b)
		}
		grads := r.backward(c, u, w, dtop)
		out := make([]*Node, 0, len(grads)+1)
		for _, gr := range grads {
			out = append(out, Reshape(gr, gr.Shape().Size()))
		}
		out = append(out, Zeros(g, shapes.Make(dtypes.Float32, size)))
		return Concatenate(out, 0)
	})
	u.top = Reshape(Slice(packed, AxisRange(head, head+size)), steps, h, b)
	return u
}

// backward is back-propagation through time over the unrolled forward pass u, given the
// gradient reaching the top layer's hidden state after each step, dtop[t] [H, B]. It returns
// the gradients of each layer's W, then x's (if xGrad), then probe's (if any).
func (r *recurrence) backward(c cell, u *unrolled, w []*Node, dtop []*Node) []*Node {
	steps, h := len(dtop), r.hidden
	dout := dtop // gradient reaching the current layer's h_t from above
	dw := make([]*Node, len(w))
	var dx, dprobe *Node
	for l := len(w) - 1; l >= 0; l-- {
		in := w[l].Shape().Dimensions[1] - h - 1
		needDx := l > 0 || r.xGrad
		// d[x; h; 1] = Wᵀ·dz, as two multiplies by the x and h rows of Wᵀ (sliced once, not
		// the product at every step).
		wt := Transpose(w[l], 0, 1) // [in+H+1, rows·H]
		wtx, wth := rowRange(wt, 0, in), rowRange(wt, in, in+h)
		dz := make([]*Node, steps)
		dxs := make([]*Node, steps)
		var dh *Node
		var dnext []*Node
		for t := steps - 1; t >= 0; t-- {
			d := dout[t]
			if dh != nil {
				d = Add(d, dh)
			}
			var dprev []*Node
			dz[t], dprev = c.backward(u.saved[l][t], u.prev[l][t], d, dnext)
			dnext = dprev
			if t == 0 && !needDx {
				break
			}
			if t > 0 {
				dh = Dot(wth, dz[t]).Product()
				if dprev[0] != nil {
					dh = Add(dh, dprev[0])
				}
			}
			if needDx {
				dxs[t] = Dot(wtx, dz[t]).Product()
				if l > 0 && r.masks != nil && r.masks[l] != nil {
					dxs[t] = Mul(dxs[t], at(r.masks[l], t))
				}
			}
		}
		// Σ_t dz_t·[x_t; h_{t-1}; 1]ᵀ as one multiply over all steps and rows.
		dw[l] = Dot(Concatenate(dz, 1), Concatenate(u.ins[l], 1)).General([]int{1}, nil, []int{1}, nil)
		if l == 0 {
			if r.xGrad {
				dx = Stack(dxs, 0)
			}
			if r.probe != nil {
				dprobe = Stack(dz, 0)
			}
		}
		dout = dxs
	}
	grads := dw
	if dx != nil {
		grads = append(grads, dx)
	}
	if dprobe != nil {
		grads = append(grads, dprobe)
	}
	return grads
}

// at is step t of a step-major tensor [T, ...]: its [...] block.
func at(x *Node, t int) *Node {
	return Reshape(block(x, t, x.Shape().Dimensions[0]), x.Shape().Dimensions[1:]...)
}

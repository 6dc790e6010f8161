package rnn

import (
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
)

// The three cells, each as a forward pass over all steps that keeps what its backward pass
// needs, and that backward pass written out by hand. Every step does one matrix multiply
// h·U for all gates at once; everything else is elementwise on [B, G] or [B, H].
//
// Sigmoids are computed as σ(x) = ½·tanh(x/2) + ½, so one tanh covers all of a step's gates:
// the x/2 is folded into the weights beforehand (gateScale), and ½·a + ½ is one multiply and
// one add with constant rows. The pure-Go backend's sigmoid costs about three tanh.

// gateScale is the factor folded into a layer's input and recurrent weights, per fused column:
// ½ for sigmoid gates, 1 for tanh ones. Gradients flow through it like any multiply.
func gateScale(g *Graph, cell string, h int) *Node {
	var pattern []float32 // per block of h columns
	switch cell {
	case LSTM:
		pattern = []float32{0.5, 0.5, 1, 0.5} // i, f, g, o
	case GRU:
		pattern = []float32{0.5, 0.5, 1} // r, z, n
	default:
		pattern = []float32{1}
	}
	return Const(g, blocks(pattern, h))
}

func blocks(pattern []float32, h int) []float32 {
	out := make([]float32, 0, len(pattern)*h)
	for _, v := range pattern {
		for range h {
			out = append(out, v)
		}
	}
	return out
}

// rows broadcasts a per-column pattern (one value per block of h columns) to [b, len*h].
func rows(g *Graph, pattern []float32, b, h int) *Node {
	return BroadcastToDims(ExpandAxes(Const(g, blocks(pattern, h)), 0), b, len(pattern)*h)
}

// at is step t of a time-major tensor [T, B, W]: [B, W].
func at(x *Node, t int) *Node {
	d := x.Shape().Dimensions
	return Reshape(Slice(x, AxisElem(t)), d[1], d[2])
}

// cols is columns [from, to) of x [B, W].
func cols(x *Node, from, to int) *Node { return Slice(x, AxisRange(), AxisRange(from, to)) }

// oneMinusSquare is 1 - x², the derivative of tanh at the point whose tanh is x.
func oneMinusSquare(x *Node) *Node { return OneMinus(Square(x)) }

// backDot is d·Uᵀ for d [B, G] and U [H, G]: the gradient reaching the previous hidden state.
func backDot(d, u *Node) *Node { return Dot(d, u).General([]int{1}, nil, []int{1}, nil) }

// trace is a forward pass over all steps, with what the backward pass reads.
type trace struct {
	h0    *Node   // initial hidden state [B, H]
	h     []*Node // hidden state after each step [B, H]
	final []*Node // the state after the last step: h (and c for the LSTM)
	saved [][]*Node
}

// forwardCell runs cell over xp [T, B, G] (scaled input pre-activations) with recurrent
// weights u [H, G] (scaled) from init.
func forwardCell(cell string, xp, u, bhn *Node, init []*Node) *trace {
	switch cell {
	case LSTM:
		return lstmForward(xp, u, init[0], init[1])
	case GRU:
		return gruForward(xp, u, bhn, init[0])
	}
	return elmanForward(xp, u, init[0])
}

// backwardCell turns the gradient reaching every hidden state, dhs [T, B, H], into the
// gradients of the cell's inputs: xp, u, and for the GRU bhn.
func backwardCell(cell string, tr *trace, u *Node, dhs *Node) []*Node {
	switch cell {
	case LSTM:
		return lstmBackward(tr, u, dhs)
	case GRU:
		return gruBackward(tr, u, dhs)
	}
	return elmanBackward(tr, u, dhs)
}

// weightGrad is Σ_t h_{t-1}ᵀ·d_t [H, G] for the stacked per-step gradients d [T, B, G]: the
// recurrent weights' gradient as one multiply instead of T.
func weightGrad(tr *trace, d *Node) *Node {
	dims := d.Shape().Dimensions
	t, b, w := dims[0], dims[1], dims[2]
	prev := append([]*Node{tr.h0}, tr.h[:t-1]...)
	hp := Reshape(Stack(prev, 0), t*b, tr.h0.Shape().Dimensions[1])
	return Dot(hp, Reshape(d, t*b, w)).General([]int{0}, nil, []int{0}, nil)
}

// Elman: h_t = tanh(xp_t + h_{t-1}·U).
func elmanForward(xp, u, h *Node) *trace {
	tr := &trace{h0: h}
	for t := range xp.Shape().Dimensions[0] {
		h = Tanh(Add(at(xp, t), Dot(h, u).Product()))
		tr.h = append(tr.h, h)
	}
	tr.final = []*Node{h}
	return tr
}

func elmanBackward(tr *trace, u, dhs *Node) []*Node {
	n := len(tr.h)
	dz := make([]*Node, n)
	var dh *Node
	for t := n - 1; t >= 0; t-- {
		d := at(dhs, t)
		if dh != nil {
			d = Add(d, dh)
		}
		dz[t] = Mul(d, oneMinusSquare(tr.h[t]))
		if t > 0 {
			dh = backDot(dz[t], u)
		}
	}
	all := Stack(dz, 0)
	return []*Node{all, weightGrad(tr, all)}
}

// LSTM: [i f g o] = [σ σ tanh σ](xp_t + h_{t-1}·U); c_t = f⊙c_{t-1} + i⊙g; h_t = o⊙tanh(c_t).
// saved[t] = a (the raw tanh of all gates), i, f, g, o, c_{t-1}, tanh(c_t).
func lstmForward(xp, u, h, c *Node) *trace {
	dims := xp.Shape().Dimensions
	g, b, hid := xp.Graph(), dims[1], dims[2]/4
	mul := rows(g, []float32{0.5, 0.5, 1, 0.5}, b, hid)
	add := rows(g, []float32{0.5, 0.5, 0, 0.5}, b, hid)
	tr := &trace{h0: h}
	for t := range dims[0] {
		a := Tanh(Add(at(xp, t), Dot(h, u).Product()))
		gates := Add(Mul(a, mul), add)
		i, f := cols(gates, 0, hid), cols(gates, hid, 2*hid)
		gg, o := cols(gates, 2*hid, 3*hid), cols(gates, 3*hid, 4*hid)
		prev := c
		c = Add(Mul(f, c), Mul(i, gg))
		tc := Tanh(c)
		h = Mul(o, tc)
		tr.h = append(tr.h, h)
		tr.saved = append(tr.saved, []*Node{a, i, f, gg, o, prev, tc})
	}
	tr.final = []*Node{h, c}
	return tr
}

func lstmBackward(tr *trace, u, dhs *Node) []*Node {
	n := len(tr.h)
	dims := dhs.Shape().Dimensions
	b, hid := dims[1], dims[2]
	// d gate / d a: ½ for the sigmoid gates (σ = ½a + ½), 1 for g.
	mul := rows(dhs.Graph(), []float32{0.5, 0.5, 1, 0.5}, b, hid)
	dz := make([]*Node, n)
	var dh, dc *Node
	for t := n - 1; t >= 0; t-- {
		s := tr.saved[t]
		a, i, f, gg, o, prev, tc := s[0], s[1], s[2], s[3], s[4], s[5], s[6]
		d := at(dhs, t)
		if dh != nil {
			d = Add(d, dh)
		}
		do := Mul(d, tc)
		dct := Mul(Mul(d, o), oneMinusSquare(tc))
		if dc != nil {
			dct = Add(dct, dc)
		}
		dA := Concatenate([]*Node{Mul(dct, gg), Mul(dct, prev), Mul(dct, i), do}, 1)
		dc = Mul(dct, f)
		dz[t] = Mul(dA, Mul(oneMinusSquare(a), mul))
		if t > 0 {
			dh = backDot(dz[t], u)
		}
	}
	all := Stack(dz, 0)
	return []*Node{all, weightGrad(tr, all)}
}

// GRU: [r z] = σ(xp_t[r z] + h_{t-1}·U[r z]); n = tanh(xp_t[n] + r⊙(h_{t-1}·U[n] + b_n));
// h_t = (1-z)⊙n + z⊙h_{t-1} = n + z⊙(h_{t-1} - n).
// saved[t] = a (raw tanh of r, z), r, z, h·U[n]+b_n, n, h_{t-1}-n.
func gruForward(xp, u, bhn, h *Node) *trace {
	dims := xp.Shape().Dimensions
	g, b, hid := xp.Graph(), dims[1], dims[2]/3
	half := rows(g, []float32{0.5, 0.5}, b, hid)
	bias := BroadcastToDims(ExpandAxes(bhn, 0), b, hid)
	tr := &trace{h0: h}
	for t := range dims[0] {
		xt := at(xp, t)
		hu := Dot(h, u).Product()
		a := Tanh(Add(cols(xt, 0, 2*hid), cols(hu, 0, 2*hid)))
		rz := Add(Mul(a, half), half)
		r, z := cols(rz, 0, hid), cols(rz, hid, 2*hid)
		hn := Add(cols(hu, 2*hid, 3*hid), bias)
		n := Tanh(Add(cols(xt, 2*hid, 3*hid), Mul(r, hn)))
		hmn := Sub(h, n)
		h = Add(n, Mul(z, hmn))
		tr.h = append(tr.h, h)
		tr.saved = append(tr.saved, []*Node{a, r, z, hn, n, hmn})
	}
	tr.final = []*Node{h}
	return tr
}

func gruBackward(tr *trace, u, dhs *Node) []*Node {
	n := len(tr.h)
	dims := dhs.Shape().Dimensions
	b, hid := dims[1], dims[2]
	half := rows(dhs.Graph(), []float32{0.5, 0.5}, b, hid)
	dxp := make([]*Node, n)
	dhu := make([]*Node, n)
	dbn := make([]*Node, n)
	var dh *Node
	for t := n - 1; t >= 0; t-- {
		s := tr.saved[t]
		a, r, z, hn, nn, hmn := s[0], s[1], s[2], s[3], s[4], s[5]
		d := at(dhs, t)
		if dh != nil {
			d = Add(d, dh)
		}
		dz := Mul(d, z)                              // straight to h_{t-1}
		dnp := Mul(Sub(d, dz), oneMinusSquare(nn))   // through n, then its tanh
		drz := Mul(Concatenate([]*Node{Mul(dnp, hn), Mul(d, hmn)}, 1), Mul(oneMinusSquare(a), half))
		dbn[t] = Mul(dnp, r)
		dxp[t] = Concatenate([]*Node{drz, dnp}, 1)
		dhu[t] = Concatenate([]*Node{drz, dbn[t]}, 1)
		if t > 0 {
			dh = Add(dz, backDot(dhu[t], u))
		}
	}
	bn := Stack(dbn, 0)
	hu := Stack(dhu, 0)
	return []*Node{Stack(dxp, 0), weightGrad(tr, hu), ReduceSum(Reshape(bn, n*b, hid), 0)}
}

// stateParts is how many [B, H] tensors make a cell's state: h, and c for the LSTM.
func stateParts(cell string) int {
	if cell == LSTM {
		return 2
	}
	return 1
}

func zeros(g *Graph, b, h int) *Node { return Zeros(g, shapes.Make(dtypes.Float32, b, h)) }

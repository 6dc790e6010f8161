package rnn

import (
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
)

// The three cells. Inside the recurrence every tensor is feature-major, [features, B]: a step
// computes all of a cell's pre-activations with one matrix multiply, z = W·[x_t; h; 1], where
// W stacks the input weights, the recurrent weights and the bias (weights builds it), and then
// applies the cell's elementwise update to z. Each cell also writes out its backward step.
//
// Sigmoids are computed as σ(x) = ½·tanh(x/2) + ½, so one tanh covers all of a step's gates:
// the x/2 is folded into W's rows beforehand, and ½·a + ½ is one multiply and one add with
// constant rows. The pure-Go backend's sigmoid costs about three tanh.

// cell is one kind of recurrent cell.
type cell interface {
	// rows is the height of W in units of H: the pre-activations a step computes.
	rows() int
	// parts is the number of [H, B] tensors in the state; part 0 is h.
	parts() int
	// weights stacks the layer's parameters into W [rows·H, in+H+1], rows scaled for the
	// tanh form of the sigmoid. wih [G, in], whh [G, H], b [G] and, for the GRU, bhn [H].
	weights(wih, whh, b, bhn *Node) *Node
	// forward turns a step's pre-activations z [rows·H, B] and the previous state into the
	// next state, and returns what backward needs.
	forward(z *Node, state []*Node) (next, saved []*Node)
	// backward takes the gradient reaching h_t (d) and the other state parts (dnext; nil
	// after the last step) and returns the gradient of z and of the previous state's parts
	// other than through z (nil entries for none).
	backward(saved, prev []*Node, d *Node, dnext []*Node) (dz *Node, dprev []*Node)
}

// newCell returns the cell of a name for hidden size h and batch b in graph g.
func newCell(name Cell, g *Graph, h, b int) cell {
	k := &ones{g: g, byShape: map[[2]int]*Node{}}
	switch name {
	case LSTM:
		return &lstm{ones: k, h: h,
			mul: rowsConst(g, []float32{0.5, 0.5, 1, 0.5}, h, b),
			add: rowsConst(g, []float32{0.5, 0.5, 0, 0.5}, h, b)}
	case GRU:
		return &gru{ones: k, h: h, half: rowsConst(g, []float32{0.5, 0.5}, h, b)}
	}
	return &elman{ones: k}
}

// ones keeps one tensor of ones per shape for a graph, stored whole (see rowsConst). 1 - x²
// written as OneMinus, or with Ones, subtracts from a broadcast scalar, which the pure-Go
// backend walks element by element through a generic index iterator; two operands of the
// same shape take its plain loop, three times faster.
type ones struct {
	g       *Graph
	byShape map[[2]int]*Node
}

// oneMinusSquare is 1 - x², the derivative of tanh at the point whose tanh is x.
func (k *ones) oneMinusSquare(x *Node) *Node {
	d := x.Shape().Dimensions
	key := [2]int{d[0], d[1]}
	one, ok := k.byShape[key]
	if !ok {
		one = rowsConst(k.g, []float32{1}, key[0], key[1])
		k.byShape[key] = one
	}
	return Sub(one, Square(x))
}

// stateParts is the number of [H, B] tensors in a cell's state: h, and c for the LSTM.
func stateParts(name Cell) int {
	if name == LSTM {
		return 2
	}
	return 1
}

// rowsConst is a constant [len(pattern)·h, b] holding pattern[k] in rows k·h..(k+1)·h.
// It is stored whole rather than broadcast from a column: the backend folds a broadcast
// into the binary op that reads it, which then walks its generic index iterator instead
// of the plain loop two operands of one shape get.
func rowsConst(g *Graph, pattern []float32, h, b int) *Node {
	col := blocks(pattern, h)
	full := make([]float32, 0, len(col)*b)
	for _, v := range col {
		for range b {
			full = append(full, v)
		}
	}
	return Reshape(Const(g, full), len(col), b)
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

// stackWeights is [wih whh b] side by side, [G, in+H+1], each row times scale[row].
func stackWeights(wih, whh, b *Node, scale []float32, h int) *Node {
	w := Concatenate([]*Node{wih, whh, ExpandAxes(b, -1)}, 1)
	if scale == nil {
		return w
	}
	return Mul(w, ExpandAxes(Const(w.Graph(), blocks(scale, h)), -1))
}

// rowRange is rows [from, to) of x.
func rowRange(x *Node, from, to int) *Node { return Slice(x, AxisRange(from, to)) }

// block is the i-th of n equal blocks of x along its first axis: what rowRange would give
// for rows [i·R/n, (i+1)·R/n), for the slices taken at every step. It is a gather of one
// row of x seen as [n, rest], which the Go backend copies in one piece, where its Slice
// copies element by element through an index walk (16% of the 2x128 LSTM step's CPU time in
// pprof). Its gradient is a scatter into zeros, as for an embedding lookup.
func block(x *Node, i, n int) *Node {
	dims := x.Shape().Dimensions
	rows := Gather(Reshape(x, n, x.Shape().Size()/n), Const(x.Graph(), []int32{int32(i)}), true)
	return Reshape(rows, append([]int{dims[0] / n}, dims[1:]...)...)
}

// elman: h_t = tanh(W_ih·x_t + W_hh·h_{t-1} + b).
type elman struct{ *ones }

func (*elman) rows() int  { return 1 }
func (*elman) parts() int { return 1 }
func (*elman) weights(wih, whh, b, _ *Node) *Node {
	return stackWeights(wih, whh, b, nil, 0)
}
func (*elman) forward(z *Node, _ []*Node) (next, saved []*Node) {
	h := Tanh(z)
	return []*Node{h}, []*Node{h}
}
func (c *elman) backward(saved, _ []*Node, d *Node, _ []*Node) (*Node, []*Node) {
	return Mul(d, c.oneMinusSquare(saved[0])), []*Node{nil}
}

// lstm: [i f g o] = [σ σ tanh σ](z); c_t = f⊙c_{t-1} + i⊙g; h_t = o⊙tanh(c_t).
// PyTorch's gate order and weight layout.
type lstm struct {
	*ones
	h        int
	mul, add *Node // gates = a⊙mul + add turns the raw tanh a into [σ σ tanh σ]
}

func (*lstm) rows() int  { return 4 }
func (*lstm) parts() int { return 2 }
func (c *lstm) weights(wih, whh, b, _ *Node) *Node {
	return stackWeights(wih, whh, b, []float32{0.5, 0.5, 1, 0.5}, c.h)
}

// saved: a (raw tanh of all gates), i, f, g, o, c_{t-1}, tanh(c_t).
func (c *lstm) forward(z *Node, state []*Node) (next, saved []*Node) {
	a := Tanh(z)
	gates := Add(Mul(a, c.mul), c.add)
	i, f := block(gates, 0, 4), block(gates, 1, 4)
	g, o := block(gates, 2, 4), block(gates, 3, 4)
	cell := Add(Mul(f, state[1]), Mul(i, g))
	tc := Tanh(cell)
	return []*Node{Mul(o, tc), cell}, []*Node{a, i, f, g, o, state[1], tc}
}

func (c *lstm) backward(saved, _ []*Node, d *Node, dnext []*Node) (*Node, []*Node) {
	a, i, f, g, o, prev, tc := saved[0], saved[1], saved[2], saved[3], saved[4], saved[5], saved[6]
	do := Mul(d, tc)
	dc := Mul(Mul(d, o), c.oneMinusSquare(tc))
	if dnext != nil && dnext[1] != nil {
		dc = Add(dc, dnext[1])
	}
	dgates := Concatenate([]*Node{Mul(dc, g), Mul(dc, prev), Mul(dc, i), do}, 0)
	dz := Mul(dgates, Mul(c.oneMinusSquare(a), c.mul))
	return dz, []*Node{nil, Mul(dc, f)}
}

// gru: [r z] = σ(W_r,z·[x; h] + b); n = tanh(W_n·x + b_n + r⊙(U_n·h + b_hn));
// h_t = (1-z)⊙n + z⊙h_{t-1} = n + z⊙(h_{t-1} - n). PyTorch's formulation: the candidate's
// input and recurrent parts are kept apart, so W has four blocks of rows [r, z, n_x, n_h],
// with zeros where n_x meets h and n_h meets x.
type gru struct {
	*ones
	h    int
	half *Node // ½ in all rows of r and z
}

func (*gru) rows() int  { return 4 }
func (*gru) parts() int { return 1 }
func (c *gru) weights(wih, whh, b, bhn *Node) *Node {
	h := c.h
	in := wih.Shape().Dimensions[1]
	g := wih.Graph()
	rz := stackWeights(rowRange(wih, 0, 2*h), rowRange(whh, 0, 2*h), rowRange(b, 0, 2*h), []float32{0.5, 0.5}, h)
	nx := Concatenate([]*Node{rowRange(wih, 2*h, 3*h), Zeros(g, shapes.Make(dtypes.Float32, h, h)), ExpandAxes(rowRange(b, 2*h, 3*h), -1)}, 1)
	nh := Concatenate([]*Node{Zeros(g, shapes.Make(dtypes.Float32, h, in)), rowRange(whh, 2*h, 3*h), ExpandAxes(bhn, -1)}, 1)
	return Concatenate([]*Node{rz, nx, nh}, 0)
}

// saved: a (raw tanh of r, z), r, z, n_h (U_n·h + b_hn), n, h_{t-1} - n.
func (c *gru) forward(z *Node, state []*Node) (next, saved []*Node) {
	a := Tanh(block(z, 0, 2))
	rz := Add(Mul(a, c.half), c.half)
	r, zg := block(rz, 0, 2), block(rz, 1, 2)
	nh := block(z, 3, 4)
	n := Tanh(Add(block(z, 2, 4), Mul(r, nh)))
	hmn := Sub(state[0], n)
	return []*Node{Add(n, Mul(zg, hmn))}, []*Node{a, r, zg, nh, n, hmn}
}

func (c *gru) backward(saved, _ []*Node, d *Node, _ []*Node) (*Node, []*Node) {
	a, r, zg, nh, n, hmn := saved[0], saved[1], saved[2], saved[3], saved[4], saved[5]
	direct := Mul(d, zg)                           // straight to h_{t-1}
	dn := Mul(Sub(d, direct), c.oneMinusSquare(n)) // through n, then its tanh
	drz := Mul(Concatenate([]*Node{Mul(dn, nh), Mul(d, hmn)}, 0), Mul(c.oneMinusSquare(a), c.half))
	return Concatenate([]*Node{drz, dn, Mul(dn, r)}, 0), []*Node{direct}
}

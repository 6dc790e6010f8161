// Package rnn holds the recurrent language models of chapter 2-1: the Elman RNN (tanh), the
// LSTM and the GRU. Each reads a sequence one step at a time and squeezes everything it has
// read into a hidden state (은닉 상태), which is all it can use to predict the next token.
//
// The recurrence is unrolled into the graph (GoMLX has no differentiable loop). Each step is
// one matrix multiply for all of a cell's gates and its input, W·[x_t; h; 1], and a few
// elementwise ops (cells.go); the backward pass is written out by hand (scan.go) instead of
// left to automatic differentiation of thousands of small ops, and the weights' gradient is
// one multiply over all steps. Layers stack, dropout sits between them, and in training the
// hidden state can be carried from one batch to the next (truncated back-propagation through
// time, as char-rnn does; state.go). probe.go looks inside: the hidden states over a text,
// and how much gradient reaches back d steps. The delayed-recall experiment, which trains
// models, is the subpackage recall.
package rnn

import (
	"fmt"
	"math"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
	"github.com/gomlx/gomlx/support/exceptions"

	"github.com/llm-map/lab/lmkit/internal/outer"
)

// Cell is the recurrent unit, by its registry name.
type Cell string

const (
	Elman Cell = "rnn"  // h = tanh(x·W + h·U + b)
	LSTM  Cell = "lstm" // Hochreiter & Schmidhuber 1997, with a forget gate (PyTorch's gate order i, f, g, o)
	GRU   Cell = "gru"  // Cho et al. 2014 (PyTorch's formulation, gates r, z, n)
)

// Cells lists the cells.
var Cells = []Cell{Elman, LSTM, GRU}

// Config of a recurrent language model.
type Config struct {
	Cell    Cell    `json:"cell"`    // "rnn", "lstm" or "gru"
	Vocab   int     `json:"vocab"`   // tokens read and predicted
	Embed   int     `json:"embed"`   // embedding width; 0 reads one-hot tokens, as char-rnn does
	Hidden  int     `json:"hidden"`  // hidden units per layer
	Layers  int     `json:"layers"`  // stacked recurrent layers
	Dropout float64 `json:"dropout"` // dropout on each layer's output, in training
	// Carry keeps the last hidden state of a training batch as the first state of the next one
	// (truncated back-propagation through time). The harness reads training text for recurrent
	// models (lm.Stateful) in contiguous lanes (data.Lanes), so row i of a batch continues row i
	// of the batch before. Evaluation and sampling always start from a zero state. Leave it off
	// for tasks of independent sequences, such as data.Recall.
	Carry bool `json:"carry"`
}

// CharRNN is char-rnn's default model (Karpathy 2015): a 2-layer LSTM of 128 units reading
// one-hot characters, its forget-gate biases starting at 1, trained on windows of 50
// characters, 50 windows a batch, with the state carried from batch to batch. Other cells at
// the same size compare like for like. Beyond OneHotLimit tokens (Korean text has thousands of
// syllables) it reads embeddings as wide as the hidden state instead of one-hot vectors.
func CharRNN(cell Cell, vocab int) Config {
	c := Config{Cell: cell, Vocab: vocab, Hidden: 128, Layers: 2, Carry: true}
	if vocab > OneHotLimit {
		c.Embed = c.Hidden
	}
	return c
}

// OneHotLimit is the largest vocabulary CharRNN reads one-hot, as char-rnn does.
const OneHotLimit = 256

// Model is a recurrent language model. It meets lm.Model, and lm.Stateful for the harness's
// contiguous training lanes.
type Model struct {
	Config
	fresh bool // ResetState was called: the next training graph starts the carried state afresh
}

// New checks the configuration.
func New(c Config) (*Model, error) {
	switch {
	case !isCell(c.Cell):
		return nil, fmt.Errorf("rnn: unknown Config.Cell %q: use Elman (%q), LSTM (%q) or GRU (%q)", string(c.Cell), Elman, LSTM, GRU)
	case c.Vocab < 2:
		return nil, fmt.Errorf("rnn: Config.Vocab %d must be at least 2", c.Vocab)
	case c.Hidden < 1:
		return nil, fmt.Errorf("rnn: Config.Hidden %d must be at least 1", c.Hidden)
	case c.Layers < 1:
		return nil, fmt.Errorf("rnn: Config.Layers %d: need at least 1", c.Layers)
	case c.Embed < 0:
		return nil, fmt.Errorf("rnn: Config.Embed %d must be 0 (one-hot input) or positive", c.Embed)
	case c.Dropout < 0 || c.Dropout >= 1 || math.IsNaN(c.Dropout):
		return nil, fmt.Errorf("rnn: Config.Dropout %v must be in [0, 1)", c.Dropout)
	case c.Hidden > 1<<14 || c.Layers > 64 || c.Embed > 1<<14:
		return nil, fmt.Errorf("rnn: %d layers of %d units (embedding %d) is beyond what this lab trains: use Config.Layers <= 64, Config.Hidden and Config.Embed <= 16384",
			c.Layers, c.Hidden, c.Embed)
	}
	return &Model{Config: c}, nil
}

func isCell(name Cell) bool {
	for _, c := range Cells {
		if c == name {
			return true
		}
	}
	return false
}

func (m *Model) Name() string   { return string(m.Cell) }
func (m *Model) VocabSize() int { return m.Vocab }
func (m *Model) Lookback() int  { return 0 }

// gates is the height of a layer's weights in units of Hidden (PyTorch's layout).
func (m *Model) gates() int {
	switch m.Cell {
	case LSTM:
		return 4
	case GRU:
		return 3
	}
	return 1
}

// Logits: tokens [B, T] -> logits [B, T, V].
func (m *Model) Logits(scope *model.Scope, tokens *Node) *Node {
	logits, _ := m.forward(scope, tokens, scope.IsTraining(tokens.Graph()), nil)
	return logits
}

// forward runs the model. probe, when set, is added to the first layer's pre-activations,
// [T, rows·H, B] (gradient experiments). It returns the logits [B, T, V] and the unrolled
// recurrence.
func (m *Model) forward(scope *model.Scope, tokens *Node, train bool, probe *Node) (*Node, *unrolled) {
	if tokens.Rank() != 2 {
		exceptions.Panicf("rnn: tokens must be [batch, time], got %s", tokens.Shape())
	}
	b, t := tokens.Shape().Dimensions[0], tokens.Shape().Dimensions[1]
	if b < 1 || t < 1 {
		exceptions.Panicf("rnn: a batch of %d sequences of length %d: need at least one token (sequence length 0 is not a sequence; use train.Config.Context >= 1)", b, t)
	}
	g := tokens.Graph()
	scope = scope.In("%s", m.Cell)
	h := m.Hidden
	r := &recurrence{cell: m.Cell, hidden: h, probe: probe}
	timeMajor := Transpose(tokens, 0, 1) // [T, B]
	in := m.Vocab
	if m.Embed > 0 {
		table := scope.In("embed").WithInitializer(initializer.RandomNormalFn(scope, 1)).
			VariableWithShape("embeddings", shapes.Make(dtypes.Float32, m.Vocab, m.Embed))
		x := Gather(table.NodeValue(g), ExpandAxes(timeMajor, -1)) // [T, B, E]
		r.x, r.xGrad, in = Transpose(x, 1, 2), true, m.Embed
	} else {
		// One-hot input, as char-rnn reads characters: W_ih·x_t picks a column of W_ih.
		r.x = Transpose(OneHot(timeMajor, m.Vocab, dtypes.Float32), 1, 2) // [T, V, B]
	}
	c := newCell(m.Cell, g, h, b)
	carry := train && m.Carry
	var state *carried
	if carry {
		state = m.carriedState(scope, g, b)
	}
	for l := range m.Layers {
		ls := scope.In("layer_%d", l).WithInitializer(uniform(scope, h))
		gw := m.gates() * h
		wih := ls.VariableWithShape("w_ih", shapes.Make(dtypes.Float32, gw, in)).NodeValue(g)
		whh := ls.VariableWithShape("w_hh", shapes.Make(dtypes.Float32, gw, h)).NodeValue(g)
		bs := ls
		if m.Cell == LSTM {
			bs = ls.WithInitializer(forgetBias(scope, h))
		}
		bias := bs.VariableWithShape("b", shapes.Make(dtypes.Float32, gw)).NodeValue(g)
		var bhn *Node
		if m.Cell == GRU {
			// The GRU's candidate reads r ⊙ (U_n·h + b_hn): that bias cannot merge into b.
			bhn = ls.VariableWithShape("b_hn", shapes.Make(dtypes.Float32, h)).NodeValue(g)
		}
		r.w = append(r.w, c.weights(wih, whh, bias, bhn))
		init := make([]*Node, c.parts())
		for i := range init {
			if carry {
				init[i] = state.read(l, i)
			} else {
				init[i] = Zeros(g, shapes.Make(dtypes.Float32, h, b))
			}
		}
		r.init = append(r.init, init)
		var mask *Node
		if train && m.Dropout > 0 && l > 0 {
			mask = dropoutMask(scope, g, m.Dropout, t, h, b)
		}
		r.masks = append(r.masks, mask)
		in = h
	}
	u := r.run(train || probe != nil)
	if carry {
		for l, final := range u.final {
			for i, f := range final {
				state.write(l, i, f)
			}
		}
	}
	top := u.top // [T, H, B]
	if train && m.Dropout > 0 {
		top = Mul(top, dropoutMask(scope, g, m.Dropout, t, h, b))
	}
	head := scope.In("out").WithInitializer(uniform(scope, h))
	wout := head.VariableWithShape("weights", shapes.Make(dtypes.Float32, h, m.Vocab)).NodeValue(g)
	bout := head.VariableWithShape("biases", shapes.Make(dtypes.Float32, m.Vocab)).NodeValue(g)
	// [T, H, B] -> [B, T, H] is a matrix transpose of [T·H, B], for which the Go backend has a
	// fast loop (the 3-axis permutation walks its per-element iterator). The bias is added as
	// the outer product ones·bᵀ: a broadcast add walks that iterator too.
	batchMajor := Reshape(Transpose(Reshape(top, t*h, b), 0, 1), b*t, h)
	biases := outer.Rows(bout, b*t)
	logits := Add(Dot(batchMajor, wout).Product(), biases)
	return Reshape(logits, b, t, m.Vocab), u
}

// uniform is PyTorch's initialisation of recurrent and linear layers: U(-1/√fan, 1/√fan).
func uniform(scope *model.Scope, fan int) model.VariableInitializer {
	k := 1 / math.Sqrt(float64(fan))
	return initializer.RandomUniformFn(scope, -k, k)
}

// forgetBias initialises an LSTM's biases as PyTorch does, except the forget gate's, which
// start at 1 so that the cell state is kept by default (Gers et al. 2000; char-rnn does it).
func forgetBias(scope *model.Scope, h int) model.VariableInitializer {
	u := uniform(scope, h)
	return func(g *Graph, shape shapes.Shape) *Node {
		v := u(g, shape)
		return Concatenate([]*Node{Slice(v, AxisRange(0, h)), Ones(g, shapes.Make(shape.DType, h)), Slice(v, AxisRange(2*h, 4*h))}, 0)
	}
}

// dropoutMask is a [T, H, B] multiplier that zeroes a fraction rate of the units and scales
// the rest by 1/(1-rate), drawn from the store's random state.
func dropoutMask(scope *model.Scope, g *Graph, rate float64, t, h, b int) *Node {
	shape := shapes.Make(dtypes.Float32, t, h, b)
	keep := GreaterThan(scope.RandomUniform(g, shape), Scalar(g, dtypes.Float32, rate))
	return MulScalar(ConvertDType(keep, dtypes.Float32), 1/(1-rate))
}

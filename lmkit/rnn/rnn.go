// Package rnn holds the recurrent language models of chapter 2-1: the Elman RNN (tanh), the
// LSTM and the GRU. Each reads a sequence one step at a time and squeezes everything it has
// read into a hidden state (은닉 상태), which is all it can use to predict the next token.
//
// The recurrence is unrolled into the graph (GoMLX has no differentiable loop), with one
// matrix multiply per step for all of a cell's gates, the input projection of every step done
// before the recurrence in one multiply, and a hand-written backward pass (scan.go) in place of
// automatic differentiation of thousands of small ops. Layers stack, dropout sits between them,
// and in training the hidden state can be carried from one batch to the next (truncated
// back-propagation through time, as char-rnn does; see state.go).
package rnn

import (
	"fmt"
	"math"
	"strings"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
	"github.com/gomlx/gomlx/support/exceptions"
)

// The cells, by their registry names.
const (
	Elman = "rnn"  // h = tanh(x·W + h·U + b)
	LSTM  = "lstm" // Hochreiter & Schmidhuber 1997, with a forget gate (PyTorch's gate order i, f, g, o)
	GRU   = "gru"  // Cho et al. 2014 (PyTorch's formulation, gates r, z, n)
)

// Cells lists the cell names.
var Cells = []string{Elman, LSTM, GRU}

// Config of a recurrent language model.
type Config struct {
	Cell    string  `json:"cell"`    // "rnn", "lstm" or "gru"
	Vocab   int     `json:"vocab"`   // tokens read and predicted
	Embed   int     `json:"embed"`   // embedding width; 0 reads one-hot tokens, as char-rnn does
	Hidden  int     `json:"hidden"`  // hidden units per layer
	Layers  int     `json:"layers"`  // stacked recurrent layers
	Dropout float64 `json:"dropout"` // dropout on each layer's output, in training
	// Carry keeps the last hidden state of a training batch as the first state of the next one
	// (truncated back-propagation through time). Training text then comes in contiguous lanes
	// (data.Lanes) so that row i of a batch continues row i of the batch before. Evaluation and
	// sampling always start from a zero state.
	Carry bool `json:"carry"`
}

// CharRNN is char-rnn's default model (Karpathy 2015): a 2-layer LSTM of 128 units reading
// one-hot characters, trained on windows of 50 characters, 50 windows a batch, with the state
// carried from batch to batch. Other cells at the same size compare like for like.
func CharRNN(cell string, vocab int) Config {
	return Config{Cell: cell, Vocab: vocab, Hidden: 128, Layers: 2, Carry: true}
}

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
		return nil, fmt.Errorf("rnn: unknown cell %q: use one of %s", c.Cell, strings.Join(Cells, ", "))
	case c.Vocab < 2:
		return nil, fmt.Errorf("rnn: vocabulary size %d must be at least 2", c.Vocab)
	case c.Hidden < 1:
		return nil, fmt.Errorf("rnn: hidden size %d must be at least 1 (-hidden)", c.Hidden)
	case c.Layers < 1:
		return nil, fmt.Errorf("rnn: %d layers: need at least 1 (-layers)", c.Layers)
	case c.Embed < 0:
		return nil, fmt.Errorf("rnn: embedding width %d must be 0 (one-hot input) or positive (-dim)", c.Embed)
	case c.Dropout < 0 || c.Dropout >= 1 || math.IsNaN(c.Dropout):
		return nil, fmt.Errorf("rnn: dropout %v must be in [0, 1) (-dropout)", c.Dropout)
	case c.Hidden > 1<<14 || c.Layers > 64 || c.Embed > 1<<14:
		return nil, fmt.Errorf("rnn: %d layers of %d units (embedding %d) is beyond what this lab trains: use -layers <= 64, -hidden and -dim <= 16384",
			c.Layers, c.Hidden, c.Embed)
	}
	return &Model{Config: c}, nil
}

func isCell(name string) bool {
	for _, c := range Cells {
		if c == name {
			return true
		}
	}
	return false
}

func (m *Model) Name() string   { return m.Cell }
func (m *Model) VocabSize() int { return m.Vocab }
func (m *Model) Lookback() int  { return 0 }

// gates is the width of a layer's fused pre-activations in units of Hidden.
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
func (m *Model) Logits(scope *model.Scope, tokens *Node, train bool) *Node {
	logits, _ := m.forward(scope, tokens, train, nil)
	return logits
}

// forward runs the model. probe, when set, is applied to the first layer's input
// pre-activations [T, B, G] (gradient experiments add a zero tensor there). It returns the
// logits [B, T, V] and every layer's hidden states, time-major [T, B, H].
func (m *Model) forward(scope *model.Scope, tokens *Node, train bool, probe func(*Node) *Node) (*Node, []*Node) {
	if tokens.Rank() != 2 {
		exceptions.Panicf("rnn: tokens must be [batch, time], got %s", tokens.Shape())
	}
	b, t := tokens.Shape().Dimensions[0], tokens.Shape().Dimensions[1]
	if b < 1 || t < 1 {
		exceptions.Panicf("rnn: a batch of %d sequences of length %d: need at least one token (sequence length 0 is not a sequence; use -context >= 1)", b, t)
	}
	g := tokens.Graph()
	scope = scope.In("%s", m.Cell)
	h, gw := m.Hidden, m.gates()*m.Hidden
	carry := train && m.Carry
	var state *carried
	if carry {
		state = m.carriedState(scope, g, b)
	}
	timeMajor := Transpose(tokens, 0, 1) // [T, B]
	var x *Node                          // the current layer's input, [T, B, width]
	if m.Embed > 0 {
		table := scope.In("embed").WithInitializer(initializer.RandomNormalFn(scope, 1)).
			VariableWithShape("embeddings", shapes.Make(dtypes.Float32, m.Vocab, m.Embed))
		x = Gather(table.NodeValue(g), ExpandAxes(timeMajor, -1))
	}
	hs := make([]*Node, m.Layers)
	for l := 0; l < m.Layers; l++ {
		ls := scope.In("layer_%d", l).WithInitializer(uniform(scope, h))
		scale := gateScale(g, m.Cell, h)
		var xp *Node // input pre-activations [T, B, G], already scaled (see gateScale)
		if l == 0 && m.Embed == 0 {
			// One-hot input: x·W_ih is a row of W_ih, so the projection is a table lookup.
			wih := ls.VariableWithShape("w_ih", shapes.Make(dtypes.Float32, m.Vocab, gw)).NodeValue(g)
			bias := ls.VariableWithShape("b", shapes.Make(dtypes.Float32, gw)).NodeValue(g)
			table := Mul(Add(wih, ExpandAxes(bias, 0)), ExpandAxes(scale, 0))
			xp = Gather(table, ExpandAxes(timeMajor, -1))
		} else {
			in := x.Shape().Dimensions[2]
			wih := ls.VariableWithShape("w_ih", shapes.Make(dtypes.Float32, in, gw)).NodeValue(g)
			bias := ls.VariableWithShape("b", shapes.Make(dtypes.Float32, gw)).NodeValue(g)
			flat := Reshape(x, t*b, in)
			xp = Add(Dot(flat, Mul(wih, ExpandAxes(scale, 0))).Product(), ExpandAxes(Mul(bias, scale), 0))
			xp = Reshape(xp, t, b, gw)
		}
		if l == 0 && probe != nil {
			xp = probe(xp)
		}
		whh := Mul(ls.VariableWithShape("w_hh", shapes.Make(dtypes.Float32, h, gw)).NodeValue(g), ExpandAxes(scale, 0))
		var bhn *Node
		if m.Cell == GRU {
			// The GRU's candidate reads r ⊙ (h·U_n + b_n): that bias cannot merge into b.
			bhn = ls.VariableWithShape("b_hn", shapes.Make(dtypes.Float32, h)).NodeValue(g)
		}
		init := make([]*Node, stateParts(m.Cell))
		for i := range init {
			if carry {
				init[i] = state.read(l, i)
			} else {
				init[i] = zeros(g, b, h)
			}
		}
		out, final := scan(m.Cell, xp, whh, bhn, init, train || probe != nil)
		if carry {
			for i, f := range final {
				state.write(l, i, f)
			}
		}
		hs[l] = out
		x = out
		if train && m.Dropout > 0 {
			x = dropout(scope, x, m.Dropout)
		}
	}
	head := scope.In("out").WithInitializer(uniform(scope, h))
	wout := head.VariableWithShape("weights", shapes.Make(dtypes.Float32, h, m.Vocab)).NodeValue(g)
	bout := head.VariableWithShape("biases", shapes.Make(dtypes.Float32, m.Vocab)).NodeValue(g)
	logits := Add(Dot(Reshape(x, t*b, h), wout).Product(), ExpandAxes(bout, 0))
	logits = Transpose(Reshape(logits, t, b, m.Vocab), 0, 1) // [B, T, V]
	return logits, hs
}

// uniform is PyTorch's initialisation of recurrent and linear layers: U(-1/√fan, 1/√fan).
func uniform(scope *model.Scope, fan int) model.VariableInitializer {
	k := 1 / math.Sqrt(float64(fan))
	return initializer.RandomUniformFn(scope, -k, k)
}

// dropout zeroes a fraction rate of x and rescales the rest, from the store's random state.
func dropout(scope *model.Scope, x *Node, rate float64) *Node {
	g := x.Graph()
	keep := GreaterThan(scope.RandomUniform(g, x.Shape()), Scalar(g, dtypes.Float32, rate))
	return Where(keep, MulScalar(x, 1/(1-rate)), ZerosLike(x))
}

package transformer

import (
	"fmt"
	"math"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
	"github.com/gomlx/gomlx/support/exceptions"
)

// initStd is nanoGPT's (and GPT-2's) initial standard deviation of every weight matrix.
const initStd = 0.02

// Model is the GPT language model. It meets lm.Model.
type Model struct{ Config }

// New checks the configuration and returns the model; its variables are created the first
// time a graph uses them.
func New(c Config) (*Model, error) {
	if c.Positions == "" {
		c.Positions = Learned
	}
	if err := c.Check(); err != nil {
		return nil, err
	}
	return &Model{c}, nil
}

func (m *Model) Name() string   { return "gpt" }
func (m *Model) VocabSize() int { return m.Vocab }

// Lookback is 0: every position attends to the whole window before it.
func (m *Model) Lookback() int { return 0 }

// Logits: tokens [B, T] -> logits [B, T, V].
func (m *Model) Logits(scope *model.Scope, tokens *Node, train bool) *Node {
	logits, _ := m.forward(scope, tokens, train, false)
	return logits
}

// forward runs the model; with keepWeights it also returns every layer's attention weights,
// each [B, H, T, T].
func (m *Model) forward(scope *model.Scope, tokens *Node, train, keepWeights bool) (*Node, []*Node) {
	scope = scope.In("gpt").WithInitializer(initializer.RandomNormalFn(scope, initStd))
	dims := tokens.Shape().Dimensions
	if len(dims) != 2 {
		exceptions.Panicf("transformer: tokens must be [batch, window], got shape %s", tokens.Shape())
	}
	b, t := dims[0], dims[1]
	x, table := m.embed(scope.In("embed"), tokens) // [B, T, C], [V, C]
	if train && m.Dropout > 0 {
		x = layers.DropoutStatic(scope, x, m.Dropout)
	}
	var all []*Node
	for i := 0; i < m.Layers; i++ {
		var w *Node
		x, w = m.block(scope.In("block_%d", i), x, train)
		if keepWeights {
			all = append(all, w)
		}
	}
	x = m.layerNorm(scope.In("norm"), x, train)
	flat := Reshape(x, b*t, m.Dim)
	var logits *Node
	if m.Untied {
		logits = m.linear(scope.In("head"), flat, m.Vocab, initStd)
	} else {
		logits = DotGeneral(flat, []int{1}, nil, table, []int{1}, nil) // [B*T, V]
	}
	return Reshape(logits, b, t, m.Vocab), all
}

// embed looks up token vectors and, for learned positions, adds the position vectors. It also
// returns the token table, which the output layer reuses when the weights are tied.
func (m *Model) embed(scope *model.Scope, tokens *Node) (x, table *Node) {
	g := tokens.Graph()
	b, t := tokens.Shape().Dimensions[0], tokens.Shape().Dimensions[1]
	table = scope.VariableWithShape("tokens", shapes.Make(dtypes.Float32, m.Vocab, m.Dim)).ValueGraph(g)
	x = Gather(table, ExpandAxes(tokens, -1)) // [B, T, C]
	if m.Positions != Learned {
		return x, table
	}
	rows := m.PositionRows(scope.GetVariable("positions"), t)
	if t > rows {
		exceptions.Panicf("transformer: a window of %d tokens is longer than the position table of %d rows (the model's context): read at most %d tokens at once (-context %d), or use rotary positions",
			t, rows, rows, rows)
	}
	pos := scope.VariableWithShape("positions", shapes.Make(dtypes.Float32, rows, m.Dim)).ValueGraph(g)
	if t < rows {
		pos = Slice(pos, AxisRange(0, t))
	}
	return Add(x, BroadcastToDims(ExpandAxes(pos, 0), b, t, m.Dim)), table
}

// PositionRows is the length of the learned position table: Context, or when Context is 0 the
// rows of the existing table variable (nil before training), or else the window t.
func (m *Model) PositionRows(existing *model.Variable, t int) int {
	if m.Context > 0 {
		return m.Context
	}
	if existing != nil {
		return existing.Shape().Dimensions[0]
	}
	return t
}

// block is one pre-norm transformer block: x + attention(norm(x)), then x + mlp(norm(x)).
func (m *Model) block(scope *model.Scope, x *Node, train bool) (*Node, *Node) {
	a, w := m.attention(scope.In("attention"), m.layerNorm(scope.In("norm_1"), x, train), train)
	if train && m.Dropout > 0 {
		a = layers.DropoutStatic(scope.In("attention_dropout"), a, m.Dropout)
	}
	x = Add(x, a)
	f := m.mlp(scope.In("mlp"), m.layerNorm(scope.In("norm_2"), x, train), train)
	return Add(x, f), w
}

// mlp is the feed-forward part of a block: widen 4x, GELU, project back.
func (m *Model) mlp(scope *model.Scope, x *Node, train bool) *Node {
	dims := x.Shape().Dimensions
	b, t, c := dims[0], dims[1], dims[2]
	h := m.linear(scope.In("fc"), Reshape(x, b*t, c), 4*c, initStd)
	h = gelu(h, train)
	out := m.linear(scope.In("proj"), h, c, m.residualStd())
	if train && m.Dropout > 0 {
		out = layers.DropoutStatic(scope, out, m.Dropout)
	}
	return Reshape(out, b, t, c)
}

// residualStd is GPT-2's smaller initial scale for the projections that add into the
// residual stream: 0.02/sqrt(2*layers), so the stream's variance does not grow with depth.
func (m *Model) residualStd() float64 { return initStd / math.Sqrt(2*float64(m.Layers)) }

// linear is x [N, in] times a weight [in, out] (plus a bias when Config.Bias).
func (m *Model) linear(scope *model.Scope, x *Node, out int, std float64) *Node {
	g := x.Graph()
	in := x.Shape().Dimensions[1]
	w := scope.WithInitializer(initializer.RandomNormalFn(scope, std)).
		VariableWithShape("weights", shapes.Make(x.DType(), in, out)).ValueGraph(g)
	y := linearOp(x, w)
	if m.Bias {
		bias := scope.WithInitializer(initializer.Zero).VariableWithShape("bias", shapes.Make(x.DType(), out)).ValueGraph(g)
		y = Add(y, BroadcastToDims(ExpandAxes(bias, 0), y.Shape().Dimensions...))
	}
	return y
}

func (m *Model) String() string {
	return fmt.Sprintf("gpt: %d layers, %d heads, width %d, context %d, vocabulary %d, %s positions",
		m.Layers, m.Heads, m.Dim, m.Context, m.Vocab, m.Positions)
}

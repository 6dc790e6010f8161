package transformer

import (
	"fmt"
	"math"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
	"github.com/gomlx/gomlx/support/exceptions"
)

// initStd is nanoGPT's (and GPT-2's) initial standard deviation of the weight matrices and
// embeddings.
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

func (m *Model) String() string {
	return fmt.Sprintf("gpt: %d layers, %d heads, width %d, context %d, vocabulary %d, %s positions",
		m.Layers, m.Heads, m.Dim, m.Context, m.Vocab, m.Positions)
}

// Logits: tokens [B, T] -> logits [B, T, V].
func (m *Model) Logits(scope *model.Scope, tokens *Node) *Node {
	logits, _ := m.forward(scope, tokens, scope.IsTraining(tokens.Graph()))
	return logits
}

// forward runs the model and also returns every layer's attention weights, each [B*H, T, T].
// Activations are feature-major, [C, B*T] (see layers.go).
func (m *Model) forward(scope *model.Scope, tokens *Node, train bool) (*Node, []*Node) {
	scope, x, table, weights, train := m.body(scope, tokens, train)
	b, t := tokens.Shape().Dimensions[0], tokens.Shape().Dimensions[1]
	var logits *Node // [V, N]
	if m.Untied {
		logits = m.normLinear(scope.In("norm"), scope.In("head"), x, m.Vocab, initStd, train)
	} else {
		gain := m.gain(scope.In("norm"), x.Graph())
		logits = linear(normalize(x, train), Mul(table, rows(gain, m.Vocab)), train)
	}
	return Reshape(TransposeAllAxes(logits, 1, 0), b, t, m.Vocab), weights
}

// body runs the embedding and the blocks: the residual stream x [C, N] before the final
// norm, the token table [V, C] and the attention weights, in the model's own scope.
func (m *Model) body(scope *model.Scope, tokens *Node, train bool) (*model.Scope, *Node, *Node, []*Node, bool) {
	if tokens.Rank() != 2 {
		exceptions.Panicf("transformer: tokens must be [batch, window], got shape %s", tokens.Shape())
	}
	scope = scope.In("gpt").WithInitializer(initializer.RandomNormalFn(scope, initStd))
	b, t := tokens.Shape().Dimensions[0], tokens.Shape().Dimensions[1]
	train = train && scope.IsTraining(tokens.Graph())
	embed := scope.In("embed")
	x, table := m.embed(embed, tokens) // [C, N], [V, C]
	x = m.dropout(embed, x, train)
	weights := make([]*Node, m.Layers)
	for i := range weights {
		x, weights[i] = m.block(scope.In("block_%d", i), x, b, t, train)
	}
	return scope, x, table, weights, train
}

// Features is what the output layer reads: the final layer norm of the residual stream,
// with its gain, as tokens [B, T] -> [B, T, Dim]. It meets lm.Body, so a classifier can
// sit on a pre-trained GPT (the head's weights stay unused there).
func (m *Model) Features(scope *model.Scope, tokens *Node) *Node {
	scope, x, _, _, train := m.body(scope, tokens, scope.IsTraining(tokens.Graph()))
	b, t := tokens.Shape().Dimensions[0], tokens.Shape().Dimensions[1]
	gain := m.gain(scope.In("norm"), x.Graph())
	y := Mul(normalize(x, train), cols(gain, x.Shape().Dimensions[1]))
	if m.Untied && m.Bias { // the final norm's shift, as the untied head reads it
		shift := scope.In("norm").WithInitializer(initializer.Zero).VariableWithShape("bias", shapes.Make(x.DType(), m.Dim)).ValueGraph(x.Graph())
		y = Add(y, cols(shift, y.Shape().Dimensions[1]))
	}
	return Reshape(TransposeAllAxes(y, 1, 0), b, t, m.Dim)
}

// Width is the feature size (Dim).
func (m *Model) Width() int { return m.Dim }

// Scope is where the GPT keeps its variables.
func (m *Model) Scope() string { return "gpt" }

// embed returns the token vectors plus, for learned positions, the position vectors, as
// [C, N], and the token table [V, C] for the tied output layer. Both lookups are one matrix
// multiply: [tokens; positions]ᵀ times one-hot columns, whose gradient is again one multiply.
func (m *Model) embed(scope *model.Scope, tokens *Node) (x, table *Node) {
	g := tokens.Graph()
	b, t := tokens.Shape().Dimensions[0], tokens.Shape().Dimensions[1]
	n := b * t
	table = scope.VariableWithShape("tokens", shapes.Make(dtypes.Float32, m.Vocab, m.Dim)).ValueGraph(g)
	ids := Reshape(ConvertDType(tokens, dtypes.Int32), n)
	onehot := ConvertDType(Equal(BroadcastPrefix(ids, m.Vocab), Iota(g, shapes.Make(dtypes.Int32, m.Vocab, n), 0)), dtypes.Float32) // [V, N]
	params, selectors := table, onehot
	if m.Positions == Learned {
		rowsN := m.positionRows(scope.GetVariable("positions"), t)
		if t > rowsN {
			exceptions.Panicf("transformer: a window of %d tokens is longer than the position table of %d rows (the model's context): read at most %d tokens at once (train.Config.Context %d), or use rotary positions",
				t, rowsN, rowsN, rowsN)
		}
		pos := scope.VariableWithShape("positions", shapes.Make(dtypes.Float32, rowsN, m.Dim)).ValueGraph(g)
		if t < rowsN {
			pos = Slice(pos, AxisRange(0, t))
		}
		params = Concatenate([]*Node{table, pos}, 0)
		selectors = Concatenate([]*Node{onehot, Const(g, positionSelector(b, t))}, 0)
	}
	// paramsᵀ first: the backend's multiply wants the left operand's contracted axis last.
	return Dot(Transpose(params, 0, 1), selectors).Product(), table // [C, N]
}

// positionSelector is [T, B*T]: column n has a 1 in row n mod T.
func positionSelector(b, t int) *tensors.Tensor {
	sel := make([]float32, t*b*t)
	for n := 0; n < b*t; n++ {
		sel[(n%t)*b*t+n] = 1
	}
	return tensorOf(sel, t, b*t)
}

// LearnedPositions is the rows of the learned position table, the longest window the model
// reads (0: sized by the first window it is built for); -1 with rotary positions, which have
// no table to outgrow.
func (m *Model) LearnedPositions() int {
	if m.Positions == Rotary {
		return -1
	}
	return m.Context
}

// positionRows is the length of the learned position table: Context, or when Context is 0 the
// rows of the existing table variable (nil before training), or else the window t.
func (m *Model) positionRows(existing *model.Variable, t int) int {
	if m.Context > 0 {
		return m.Context
	}
	if existing != nil {
		return existing.Shape().Dimensions[0]
	}
	return t
}

// block is one pre-norm transformer block: x + attention(norm(x)), then x + mlp(norm(x)).
func (m *Model) block(scope *model.Scope, x *Node, b, t int, train bool) (*Node, *Node) {
	att, mlp := scope.In("attention"), scope.In("mlp")
	a, w := m.attention(att, scope.In("norm_1"), x, b, t, train)
	x = Add(x, m.dropout(att, a, train))
	f := m.mlp(mlp, scope.In("norm_2"), x, train)
	return Add(x, m.dropout(mlp, f, train)), w
}

// attention is the block's causal self-attention: one multiply makes every head's queries,
// keys and values, the heads attend in batched multiplies, one more projects them back.
func (m *Model) attention(scope, norm *model.Scope, x *Node, b, t int, train bool) (*Node, *Node) {
	qkv := m.normLinear(norm, scope.In("qkv"), x, 3*m.Dim, initStd, train)
	var drop func(*Node) (*Node, *Node)
	if train && m.Dropout > 0 {
		drop = func(p *Node) (*Node, *Node) {
			keep := m.keepMask(scope.In("weights_dropout"), p)
			return Mul(p, keep), keep
		}
	}
	y, w := attention(qkv, attentionShape{b: b, t: t, h: m.Heads, d: m.HeadDim(), bidirectional: m.Bidirectional}, m.Positions == Rotary, drop, train)
	return m.dense(scope.In("proj"), y, m.Dim, m.residualStd(), train), w
}

// mlp is the block's feed-forward part: widen 4x, GELU, project back.
func (m *Model) mlp(scope, norm *model.Scope, x *Node, train bool) *Node {
	h := gelu(m.normLinear(norm, scope.In("fc"), x, 4*m.Dim, initStd, train), train)
	return m.dense(scope.In("proj"), h, m.Dim, m.residualStd(), train)
}

// residualStd is GPT-2's smaller initial scale for the projections that add into the
// residual stream, 0.02/sqrt(2*layers), so the stream's variance does not grow with depth.
func (m *Model) residualStd() float64 { return initStd / math.Sqrt(2*float64(m.Layers)) }

// dense is a linear layer on x [in, N]: weights [out, in] (PyTorch's layout), plus a bias when
// Config.Bias.
func (m *Model) dense(scope *model.Scope, x *Node, out int, std float64, train bool) *Node {
	w := m.weights(scope, x.Graph(), x.Shape().Dimensions[0], out, std)
	return m.addBias(scope, linear(x, w, train))
}

// normLinear is layer norm then a linear layer, with the norm's gain folded into the
// layer's weights (w·diag(gain)): the same function, one [C, N] multiply fewer.
func (m *Model) normLinear(norm, scope *model.Scope, x *Node, out int, std float64, train bool) *Node {
	in := x.Shape().Dimensions[0]
	w := m.weights(scope, x.Graph(), in, out, std)
	w = Mul(w, rows(m.gain(norm, x.Graph()), out))
	y := linear(normalize(x, train), w, train)
	if m.Bias {
		// The norm's shift b becomes w·b added to every column.
		shift := norm.WithInitializer(initializer.Zero).VariableWithShape("bias", shapes.Make(x.DType(), in)).ValueGraph(x.Graph())
		y = Add(y, cols(Dot(w, shift).Product(), y.Shape().Dimensions[1]))
	}
	return m.addBias(scope, y)
}

func (m *Model) weights(scope *model.Scope, g *Graph, in, out int, std float64) *Node {
	return scope.WithInitializer(initializer.RandomNormalFn(scope, std)).
		VariableWithShape("weights", shapes.Make(dtypes.Float32, out, in)).ValueGraph(g)
}

func (m *Model) gain(norm *model.Scope, g *Graph) *Node {
	return norm.WithInitializer(initializer.One).VariableWithShape("gain", shapes.Make(dtypes.Float32, m.Dim)).ValueGraph(g)
}

func (m *Model) addBias(scope *model.Scope, y *Node) *Node {
	if !m.Bias {
		return y
	}
	out, n := y.Shape().Dimensions[0], y.Shape().Dimensions[1]
	bias := scope.WithInitializer(initializer.Zero).VariableWithShape("bias", shapes.Make(y.DType(), out)).ValueGraph(y.Graph())
	return Add(y, cols(bias, n))
}

// dropout zeroes a fraction Config.Dropout of x while training, scaling the rest up.
func (m *Model) dropout(scope *model.Scope, x *Node, train bool) *Node {
	if !train || m.Dropout <= 0 {
		return x
	}
	return Mul(x, m.keepMask(scope.In("dropout"), x))
}

// keepMask is 1/(1-rate) where a value is kept and 0 where it is dropped.
func (m *Model) keepMask(scope *model.Scope, x *Node) *Node {
	u := scope.RandomUniform(x.Graph(), x.Shape())
	kept := ConvertDType(GreaterOrEqual(u, Scalar(x.Graph(), x.DType(), m.Dropout)), x.DType())
	return MulScalar(kept, 1/(1-m.Dropout))
}

func tensorOf(flat []float32, dims ...int) *tensors.Tensor {
	return tensors.FromFlatDataAndDimensions(flat, dims...)
}

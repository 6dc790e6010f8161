// Package mlp is makemore's multi-layer perceptron (Bengio et al. 2003): embed the last few
// tokens, concatenate, one tanh hidden layer, then logits. It is the first model on the ladder
// that learns features (the embeddings) instead of counting.
package mlp

import (
	"fmt"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"
)

// Config of the MLP. Defaults (Default) reach makemore's lecture figure on names.
type Config struct {
	Vocab    int     `json:"vocab"`
	Context  int     `json:"context"`  // tokens looked at (makemore's block_size)
	Embed    int     `json:"embed"`    // embedding width per token
	Hidden   int     `json:"hidden"`   // tanh units
	Boundary int     `json:"boundary"` // document boundary token: context before it is replaced by it; -1 for none
	Dropout  float64 `json:"dropout"`
}

// Default is makemore's lecture MLP, a little wider: context 3, 24-wide embeddings, 256 hidden.
func Default(vocab, boundary int) Config {
	return Config{Vocab: vocab, Context: 3, Embed: 24, Hidden: 256, Boundary: boundary}
}

// Model is the MLP language model.
type Model struct{ Config }

// New checks the configuration.
func New(c Config) (*Model, error) {
	switch {
	case c.Vocab < 2:
		return nil, fmt.Errorf("mlp: vocabulary size %d must be at least 2", c.Vocab)
	case c.Context < 1:
		return nil, fmt.Errorf("mlp: Config.Context %d must be at least 1 token", c.Context)
	case c.Embed < 1:
		return nil, fmt.Errorf("mlp: Config.Embed %d must be at least 1", c.Embed)
	case c.Hidden < 1:
		return nil, fmt.Errorf("mlp: Config.Hidden %d must be at least 1", c.Hidden)
	case c.Boundary < -1 || c.Boundary >= c.Vocab:
		return nil, fmt.Errorf("mlp: boundary token %d outside the vocabulary of %d", c.Boundary, c.Vocab)
	case c.Dropout < 0 || c.Dropout >= 1:
		return nil, fmt.Errorf("mlp: Config.Dropout %v must be in [0, 1)", c.Dropout)
	}
	return &Model{c}, nil
}

func (m *Model) Name() string   { return "mlp" }
func (m *Model) VocabSize() int { return m.Vocab }
func (m *Model) Lookback() int  { return m.Context }

// Logits: tokens [B, T] -> logits [B, T, V], each position reading its last Context tokens.
func (m *Model) Logits(scope *model.Scope, tokens *Node) *Node {
	x := m.Features(scope, tokens)
	return layers.DenseWithBias(scope.At("mlp").In("out"), x, m.Vocab)
}

// Features is the tanh layer: tokens [B, T] -> [B, T, Hidden].
func (m *Model) Features(scope *model.Scope, tokens *Node) *Node {
	train := scope.IsTraining(tokens.Graph())
	scope = scope.In("mlp")
	ctx := Contexts(tokens, m.Context, m.Boundary)                                    // [B, T, K]
	emb := layers.Embedding(scope.In("embed"), ctx, dtypes.Float32, m.Vocab, m.Embed) // [B, T, K, E]
	dims := emb.Shape().Dimensions
	x := Reshape(emb, dims[0], dims[1], m.Context*m.Embed)
	x = Tanh(layers.DenseWithBias(scope.In("hidden"), x, m.Hidden))
	if train && m.Dropout > 0 {
		x = layers.DropoutStatic(scope, x, m.Dropout)
	}
	return x
}

// Width is the feature size (Hidden).
func (m *Model) Width() int { return m.Hidden }

// Scope is where the MLP keeps its variables.
func (m *Model) Scope() string { return "mlp" }

// Contexts returns, for each position t, the tokens t-k+1..t (oldest first) as [B, T, k].
// Positions before the window, and tokens before the most recent boundary, read as the
// boundary token, so a document's first characters see makemore's "..." padding rather than
// the tail of the previous document. boundary -1 means no boundaries: the window's left edge
// is padded with token 0.
func Contexts(tokens *Node, k, boundary int) *Node {
	g := tokens.Graph()
	if boundary < 0 {
		cols := make([]*Node, k)
		for j := 0; j < k; j++ {
			cols[k-1-j] = ShiftWithScalar(tokens, 1, ShiftDirRight, j, 0)
		}
		return Stack(cols, -1)
	}
	bos := Scalar(g, tokens.DType(), boundary)
	cols := make([]*Node, k)
	valid := OnesLike(tokens) // 1 while no boundary lies between t-j and t (exclusive of t-j)
	shifted := tokens
	cols[k-1] = tokens
	for j := 1; j < k; j++ {
		valid = Mul(valid, ConvertDType(NotEqual(shifted, BroadcastToShape(bos, shifted.Shape())), tokens.DType()))
		shifted = ShiftWithScalar(shifted, 1, ShiftDirRight, 1, float64(boundary))
		cols[k-1-j] = Where(ConvertDType(valid, dtypes.Bool), shifted, BroadcastToShape(bos, shifted.Shape()))
	}
	return Stack(cols, -1)
}

// TrainingBytes estimates the memory a training step needs (lm.Sized): float32 weights with
// their gradients and two Adam moments, and per position the concatenated embeddings, the
// hidden layer before and after tanh, and the logits with their softmax and gradient.
func (m *Model) TrainingBytes(batch, context int) int64 {
	b, t, v, e, h, c := int64(batch), int64(context), int64(m.Vocab), int64(m.Embed), int64(m.Hidden), int64(m.Context)
	params := v*e + c*e*h + h + h*v + v
	acts := b * t * (c*e + 2*h + 3*v)
	return 16*params + 4*acts
}

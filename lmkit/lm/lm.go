// Package lm is the one small interface every lmkit language model meets, so that a single
// harness trains, evaluates, checkpoints and samples them all (makemore's ladder of models).
package lm

import (
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// Model predicts the next token at every position of a window.
type Model interface {
	// Name is the model's registry name ("bigram", "mlp", "lstm", "gpt", ...).
	Name() string
	// VocabSize is the number of token ids the model reads and predicts.
	VocabSize() int
	// Lookback is how many tokens (including the current one) a prediction depends on;
	// 0 means the whole window (recurrent and attention models).
	Lookback() int
	// Logits builds the graph from tokens [B, T] int32 to logits [B, T, V]. Training-only
	// behaviour such as dropout follows the store's flag for the graph
	// (scope.IsTraining), which the harness sets.
	Logits(scope *model.Scope, tokens *Node) *Node
}

// Counted is a model fitted by counting rather than by gradient descent (the count bigram).
// The harness calls Fit once instead of taking gradient steps.
type Counted interface {
	Model
	Fit(store *model.Store, stream []int32) error
}

// Stateful is a model that can carry state from one batch to the next (truncated BPTT).
// It is optional; the harness checks for it.
type Stateful interface {
	Model
	ResetState()
	// Carries reports whether this model carries its state at all (an RNN built with
	// rnn.Config.Carry false reads every window from a zero state, like any other model).
	Carries() bool
}

// CrossEntropy is the mean next-token loss over positions where mask is 1.
// logits [B, T, V], targets [B, T] int32, mask [B, T] float32.
func CrossEntropy(logits, targets, mask *Node) *Node {
	total := SumCrossEntropy(logits, targets, mask)
	count := Max(ReduceAllSum(mask), OnesLike(total))
	return Div(total, count)
}

// SumCrossEntropy is the summed (not averaged) masked loss, for exact validation averages
// across batches of different fill.
func SumCrossEntropy(logits, targets, mask *Node) *Node {
	vocab := logits.Shape().Dimensions[logits.Rank()-1]
	logProbs := LogSoftmax(logits)                     // [B, T, V]
	onehot := OneHot(targets, vocab, logProbs.DType()) // [B, T, V]
	picked := ReduceSum(Mul(logProbs, onehot), -1)     // [B, T]
	return Neg(ReduceAllSum(Mul(picked, ConvertDType(mask, picked.DType()))))
}

// Body is a language model whose per-position features (the layer its output head reads)
// can be used on their own: the part transfer learning keeps when it swaps the head for a
// classifier.
type Body interface {
	Model
	// Features builds tokens [B, T] int32 -> features [B, T, Width()], in the same scope as
	// Logits so the weights are shared with the language model.
	Features(scope *model.Scope, tokens *Node) *Node
	// Width is the feature size.
	Width() int
	// Scope is the top-level scope name of the model's variables (e.g. "gpt"), so they can be
	// found, frozen and copied from a pre-trained run.
	Scope() string
}

// Sized is a model that can estimate the memory its training needs, so that a model too
// large for the machine is refused before it is built. The estimate counts float32 weights,
// their gradients and two Adam moments, and the activations kept for the backward pass.
type Sized interface {
	Model
	TrainingBytes(batch, context int) int64
}

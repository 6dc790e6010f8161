// Package bigram holds the first rung of makemore's ladder: predict the next token from the
// current one alone, either by counting pairs (Count) or with a trained table (Neural).
// Both end at the same loss, which is the point: a neural net trained on bigrams recovers
// the counts (makemore: about 2.45-2.48 on names).
package bigram

import (
	"fmt"
	"math"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
)

// Config of a bigram model.
type Config struct {
	Vocab     int     `json:"vocab"`
	Smoothing float64 `json:"smoothing"` // Count: pseudo-count added to every pair (makemore: 1)
}

// Count is the counting bigram: P(next | current) = (N[current, next] + s) / row sum.
type Count struct{ Config }

// Neural is a V×V table of logits trained by gradient descent.
type Neural struct{ Config }

// NewCount returns a counting bigram over vocab tokens with makemore's +1 smoothing.
func NewCount(vocab int) (*Count, error) {
	if vocab < 2 {
		return nil, fmt.Errorf("bigram: vocabulary size %d must be at least 2", vocab)
	}
	return &Count{Config{Vocab: vocab, Smoothing: 1}}, nil
}

// NewNeural returns a trainable bigram table over vocab tokens.
func NewNeural(vocab int) (*Neural, error) {
	if vocab < 2 {
		return nil, fmt.Errorf("bigram: vocabulary size %d must be at least 2", vocab)
	}
	return &Neural{Config{Vocab: vocab}}, nil
}

func (m *Count) Name() string   { return "bigram" }
func (m *Count) VocabSize() int { return m.Vocab }
func (m *Count) Lookback() int  { return 1 }

func (m *Neural) Name() string   { return "nbigram" }
func (m *Neural) VocabSize() int { return m.Vocab }
func (m *Neural) Lookback() int  { return 1 }

// tableVar is where both models keep their [V, V] log-probabilities or logits.
const tableVar = "logits"

// Logits looks up the row of the current token: [B, T] -> [B, T, V].
func (m *Count) Logits(scope *model.Scope, tokens *Node) *Node {
	table := scope.In("bigram").VariableWithShape(tableVar, shapes.Make(dtypes.Float32, m.Vocab, m.Vocab)).
		SetTrainable(false)
	return Gather(table.NodeValue(tokens.Graph()), ExpandAxes(tokens, -1))
}

// Logits looks up the row of the current token: [B, T] -> [B, T, V].
func (m *Neural) Logits(scope *model.Scope, tokens *Node) *Node {
	table := scope.In("nbigram").WithInitializer(initializer.Zero).
		VariableWithShape(tableVar, shapes.Make(dtypes.Float32, m.Vocab, m.Vocab))
	return Gather(table.NodeValue(tokens.Graph()), ExpandAxes(tokens, -1))
}

// Fit counts the pairs of the training stream and stores their smoothed log-probabilities.
func (m *Count) Fit(store *model.Store, stream []int32) error {
	v := m.Vocab
	counts := make([]float64, v*v)
	for i := 0; i+1 < len(stream); i++ {
		a, b := int(stream[i]), int(stream[i+1])
		if a < 0 || a >= v || b < 0 || b >= v {
			return fmt.Errorf("bigram: token %d or %d at position %d is outside the vocabulary of %d", a, b, i, v)
		}
		counts[a*v+b]++
	}
	logp := make([]float32, v*v)
	for a := range v {
		row := counts[a*v : (a+1)*v]
		sum := 0.0
		for _, c := range row {
			sum += c + m.Smoothing
		}
		for b, c := range row {
			logp[a*v+b] = float32(math.Log((c + m.Smoothing) / sum))
		}
	}
	t := tensors.FromFlatDataAndDimensions(logp, v, v)
	path := "/bigram/" + tableVar
	if old := store.GetVariable(path); old != nil {
		return old.SetValue(t)
	}
	created, err := store.CreateVariable(path, t)
	if err != nil {
		return err
	}
	created.SetTrainable(false)
	return nil
}

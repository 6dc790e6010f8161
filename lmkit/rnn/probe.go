package rnn

import (
	"fmt"
	"slices"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/llm-map/lab/lmkit/backend"
	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/lm"
)

// Looking inside: the hidden state a model carries along a text, and how much of a late
// loss's gradient reaches back to early steps.

// States runs the model in store over tokens, from a zero state, and returns every layer's
// hidden state after each token: states[layer][t][unit]. This is the 은닉 상태 (hidden state)
// the model predicts from, one column per character in a heatmap.
func States(be compute.Backend, store *model.Store, m *Model, tokens []int) ([][][]float32, error) {
	if len(tokens) == 0 {
		return nil, fmt.Errorf("rnn: no tokens to run over: give at least one (sequence length 0)")
	}
	ids := make([]int32, len(tokens))
	for i, t := range tokens {
		if t < 0 || t >= m.Vocab {
			return nil, fmt.Errorf("rnn: token %d at position %d is outside the vocabulary of %d: encode the text with the run's tokenizer", t, i, m.Vocab)
		}
		ids[i] = int32(t)
	}
	exec, err := backend.NewExec(be, store, func(scope *model.Scope, x *Node) []*Node {
		store.SetTraining(x.Graph(), false)
		_, u := m.forward(scope, x, false, nil)
		out := make([]*Node, len(u.hidden))
		for l, hs := range u.hidden {
			out[l] = Stack(hs, 0) // [T, H, 1]
		}
		return out
	})
	if err != nil {
		return nil, err
	}
	res, err := exec.Exec(tensors.FromFlatDataAndDimensions(ids, 1, len(ids)))
	if err != nil {
		return nil, fmt.Errorf("rnn: hidden states: %w", err)
	}
	states := make([][][]float32, len(res))
	for l, r := range res {
		flat := tensors.MustCopyFlatData[float32](r)
		for t := range tokens {
			states[l] = append(states[l], flat[t*m.Hidden:(t+1)*m.Hidden])
		}
	}
	return states, nil
}

// GradientReach measures how much of the gradient of a sequence's loss reaches each earlier
// step: reach[d] is the norm of the gradient of the loss with respect to the first layer's
// pre-activations at d steps before the sequence's last position (the step where an input
// enters the recurrence), averaged over the batch's sequences. The loss is the batch's
// masked cross-entropy, so for data.Recall batches it is the loss of recalling the key.
// An RNN whose gradient fades with d cannot learn to use what it read d steps ago.
func GradientReach(be compute.Backend, store *model.Store, m *Model, batch *data.Batch) ([]float64, error) {
	if batch == nil || batch.B < 1 || batch.T < 1 {
		return nil, fmt.Errorf("rnn: GradientReach needs a batch of at least one sequence of at least one token")
	}
	rows := newCellRows(m.Cell) * m.Hidden
	exec, err := backend.NewExec(be, store, func(scope *model.Scope, x, y, mask *Node) *Node {
		g := x.Graph()
		store.SetTraining(g, false)
		probe := Zeros(g, shapes.Make(dtypes.Float32, batch.T, rows, batch.B))
		logits, _ := m.forward(scope, x, false, probe)
		grad := Gradient(lm.CrossEntropy(logits, y, mask), probe)[0] // [T, rows, B]
		return ReduceMean(Sqrt(ReduceSum(Square(grad), 1)), 1)       // [T]
	})
	if err != nil {
		return nil, err
	}
	res, err := exec.Exec(tensors.FromFlatDataAndDimensions(batch.X, batch.B, batch.T),
		tensors.FromFlatDataAndDimensions(batch.Y, batch.B, batch.T),
		tensors.FromFlatDataAndDimensions(batch.Mask, batch.B, batch.T))
	if err != nil {
		return nil, fmt.Errorf("rnn: gradient reach: %w", err)
	}
	norms := tensors.MustCopyFlatData[float32](res[0])
	reach := make([]float64, len(norms))
	for t, v := range norms {
		reach[t] = float64(v)
	}
	slices.Reverse(reach)
	return reach, nil
}

// newCellRows is the height of a cell's fused pre-activations in units of H.
func newCellRows(name Cell) int {
	if name == Elman {
		return 1
	}
	return 4
}

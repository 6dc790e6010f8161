package transformer

import (
	"fmt"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/llm-map/lab/lmkit/backend"
)

// AttentionWeights runs the model (its variables in store) on one sequence of tokens and
// returns every layer's and head's attention: weights[layer][head][q][k] is how much query
// position q takes from key position k; each row sums to 1 and is 0 after q (causal). The
// result feeds plot.Attention (one head) and plot.AttentionGrid (a layer's heads).
func AttentionWeights(be compute.Backend, store *model.Store, m *Model, tokens []int) ([][][][]float64, error) {
	if err := m.checkTokens(store, tokens); err != nil {
		return nil, err
	}
	t := len(tokens)
	ids := make([]int32, t)
	for i, tok := range tokens {
		ids[i] = int32(tok)
	}
	exec, err := backend.NewExec(be, store, func(scope *model.Scope, x *Node) *Node {
		store.SetTraining(x.Graph(), false)
		_, w := m.forward(scope, x, false)
		return Stack(w, 0) // [L, H, T, T] (batch 1)
	})
	if err != nil {
		return nil, err
	}
	out, err := exec.Exec(tensors.FromFlatDataAndDimensions(ids, 1, t))
	if err != nil {
		return nil, fmt.Errorf("transformer: attention weights: %w", err)
	}
	flat := tensors.MustCopyFlatData[float32](out[0])
	res := make([][][][]float64, m.Layers)
	i := 0
	for l := range res {
		res[l] = make([][][]float64, m.Heads)
		for h := range res[l] {
			res[l][h] = make([][]float64, t)
			for q := range res[l][h] {
				row := make([]float64, t)
				for k := range row {
					row[k] = float64(flat[i])
					i++
				}
				res[l][h][q] = row
			}
		}
	}
	return res, nil
}

// checkTokens says what is wrong with a sequence the model is asked to read.
func (m *Model) checkTokens(store *model.Store, tokens []int) error {
	if len(tokens) == 0 {
		return errNoTokens
	}
	for i, tok := range tokens {
		if tok < 0 || tok >= m.Vocab {
			return fmt.Errorf("transformer: token %d at position %d is outside the vocabulary of %d: encode the text with the model's own tokenizer", tok, i, m.Vocab)
		}
	}
	if m.Positions == Learned {
		var existing *model.Variable
		if store != nil {
			existing = store.GetVariable("/gpt/embed/positions")
		}
		if rows := m.positionRows(existing, len(tokens)); len(tokens) > rows {
			return fmt.Errorf("transformer: %d tokens are more than the model's position table of %d (its context): pass at most the last %d tokens", len(tokens), rows, rows)
		}
	}
	return nil
}

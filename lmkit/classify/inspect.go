package classify

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/llm-map/lab/lmkit/data"
)

// Activations are the body's features of each document, position by position, before pooling:
// out[d][p][f] is feature f at position p of document d, for the positions the pooling reads
// (the opening boundary, the document's tokens, the closing boundary). They show what a
// learned feature responds to: the positions where it fires most, across many documents.
func Activations(be compute.Backend, store *model.Store, m *Model, set *Encoded, batch int) ([][][]float32, error) {
	width := m.Body.Width()
	out := make([][][]float32, 0, len(set.Rows))
	err := eachBatch(be, store, set, batch, func(scope *model.Scope, x *graph.Node) *graph.Node {
		return m.Body.Features(scope, x) // [B, T, D]
	}, func(b *data.Batch, f []float32) {
		for i := 0; i < b.Scored; i++ {
			n := documentSpan(b.X[i*b.T:(i+1)*b.T], int32(m.Boundary))
			doc := make([][]float32, n)
			for p := range doc {
				doc[p] = f[(i*b.T+p)*width : (i*b.T+p+1)*width]
			}
			out = append(out, doc)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("classify: activations: %w", err)
	}
	return out, nil
}

// documentSpan is how many positions of an encoded row Pool reads: up to and including the
// second boundary.
func documentSpan(row []int32, boundary int32) int {
	seen := 0
	for p, id := range row {
		if id == boundary {
			seen++
			if seen == 2 {
				return p + 1
			}
		}
	}
	return len(row)
}

// HeadWeights are the linear head's weights, [feature][class]: how much one unit of each
// pooled feature adds to each class's logit. For two classes, w[f][1]-w[f][0] is the
// feature's vote for class 1.
func HeadWeights(store *model.Store, m *Model) ([][]float64, error) {
	const path = "/classifier/dense/weights" // where layers.DenseWithBias keeps them
	v := store.GetVariable(path)
	if v == nil {
		return nil, fmt.Errorf("classify: the store has no %s: it holds no trained classifier head", path)
	}
	t, err := v.Value()
	if err != nil {
		return nil, err
	}
	dims := t.Shape().Dimensions
	if len(dims) != 2 || dims[0] != m.Body.Width() || dims[1] != m.Classes {
		return nil, fmt.Errorf("classify: head weights are %v, want [%d %d] for this model", dims, m.Body.Width(), m.Classes)
	}
	flat := tensors.MustCopyFlatData[float32](t)
	out := make([][]float64, dims[0])
	for f := range out {
		out[f] = make([]float64, dims[1])
		for c := range out[f] {
			out[f][c] = float64(flat[f*dims[1]+c])
		}
	}
	return out, nil
}

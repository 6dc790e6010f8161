package classify

import (
	"fmt"
	"math/rand/v2"
	"unicode"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/llm-map/lab/lmkit/backend"
	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/text"
	"github.com/llm-map/lab/lmkit/train"
)

// Encoded is a labelled document set, tokenized and laid out as fixed-length rows:
// boundary, document (cut to fit), boundary, then boundary padding.
type Encoded struct {
	Rows   [][]int32
	Labels []int
	Len    int
}

// MinCoverage is the share of a labelled set's characters a character tokenizer must know
// (CheckCoverage): below it, a classifier would train on text it mostly cannot read.
const MinCoverage = 0.9

// CheckCoverage refuses a tokenizer that does not know the text: if fewer than MinCoverage of
// the documents' letters are in a character tokenizer's vocabulary (one pre-trained on other
// text drops or unks what it does not know), training would run on silent garbage.
func CheckCoverage(rows []data.Labeled, tok text.Tokenizer) error {
	if r, ok := tok.(*text.Rune); ok {
		known, total := 0, 0
		for _, row := range rows {
			for _, c := range row.Text {
				if unicode.IsSpace(c) {
					continue
				}
				total++
				if _, ok := r.ID(string(c)); ok {
					known++
				}
			}
		}
		if total > 0 && float64(known) < MinCoverage*float64(total) {
			return fmt.Errorf("classify: the tokenizer knows only %.1f%% of these documents' characters (want %.0f%%): the Setup.Init run was trained on different text; pre-train on text like this (e.g. nsmc_unlabeled for NSMC)",
				100*float64(known)/float64(total), 100*MinCoverage)
		}
	}
	return nil
}

// Encode tokenizes labelled documents with a body's tokenizer into rows of maxLen tokens:
// boundary, the document (cut to fit), boundary, then boundary padding.
func Encode(rows []data.Labeled, tok text.Tokenizer, boundary, maxLen int) (*Encoded, error) {
	if maxLen < 3 {
		return nil, fmt.Errorf("classify: Setup.MaxLen %d must be at least 3 (boundary, a token, boundary)", maxLen)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("classify: no labelled documents")
	}
	e := &Encoded{Len: maxLen}
	for _, row := range rows {
		ids := tok.Encode(row.Text)
		if len(ids) > maxLen-2 {
			ids = ids[:maxLen-2]
		}
		out := make([]int32, maxLen)
		for i := range out {
			out[i] = int32(boundary)
		}
		for i, id := range ids {
			out[i+1] = int32(id)
		}
		e.Rows = append(e.Rows, out)
		e.Labels = append(e.Labels, row.Label)
	}
	return e, nil
}

// batches draws training batches: batch k depends only on (seed, k).
type batches struct {
	e    *Encoded
	b    int
	seed uint64
}

func (s batches) Batch(k int64) *data.Batch {
	rng := rand.New(rand.NewPCG(s.seed, uint64(k)))
	out := make([]int, s.b)
	for i := range out {
		out[i] = rng.IntN(len(s.e.Rows))
	}
	return s.e.batch(out)
}

// batch lays rows idx out as a harness batch scored at position 0 only.
func (e *Encoded) batch(idx []int) *data.Batch {
	b := &data.Batch{B: len(idx), T: e.Len, X: make([]int32, len(idx)*e.Len), Y: make([]int32, len(idx)*e.Len),
		Mask: make([]float32, len(idx)*e.Len)}
	for i, j := range idx {
		copy(b.X[i*e.Len:], e.Rows[j])
		b.Y[i*e.Len] = int32(e.Labels[j])
		b.Mask[i*e.Len] = 1
	}
	b.Scored = len(idx)
	return b
}

// All returns every row once, in order, in batches of size n (the last padded with
// masked copies of row 0), for evaluation.
func (e *Encoded) All(n int) []*data.Batch {
	var out []*data.Batch
	for start := 0; start < len(e.Rows); start += n {
		idx := make([]int, 0, n)
		for j := start; j < min(start+n, len(e.Rows)); j++ {
			idx = append(idx, j)
		}
		real := len(idx)
		for len(idx) < n {
			idx = append(idx, 0)
		}
		b := e.batch(idx)
		for i := real; i < n; i++ {
			b.Mask[i*e.Len] = 0
		}
		b.Scored = real
		out = append(out, b)
	}
	return out
}

// Task trains on trainSet (random batches of size batch, seeded) and validates on valSet,
// at most its first 2,000 documents during training (score the whole set with Accuracy).
func Task(trainSet, valSet *Encoded, batch int, seed uint64) train.Task {
	return train.Task{Train: batches{e: trainSet, b: batch, seed: seed}, Val: valSet.Head(2000).All(batch)}
}

// Head is the first n documents of the set (all of them if it has fewer).
func (e *Encoded) Head(n int) *Encoded {
	if n >= len(e.Rows) {
		return e
	}
	return &Encoded{Rows: e.Rows[:n], Labels: e.Labels[:n], Len: e.Len}
}

// Probabilities returns, for each document of set in order, the classifier's probability of
// class 1 (the softmax of its logits): what a notebook needs to look at errors and
// confidence, where Accuracy only counts hits.
func Probabilities(be compute.Backend, store *model.Store, m *Model, set *Encoded, batch int) ([]float64, error) {
	out := make([]float64, 0, len(set.Rows))
	err := eachBatch(be, store, set, batch, func(scope *model.Scope, x *graph.Node) *graph.Node {
		logits := m.Logits(scope, x) // [B, T, C], the same at every position
		return graph.Softmax(graph.Squeeze(graph.Slice(logits, graph.AxisRange(), graph.AxisElem(0), graph.AxisRange()), 1), -1)
	}, func(b *data.Batch, p []float32) {
		for i := 0; i < b.Scored; i++ {
			out = append(out, float64(p[i*m.Classes+1]))
		}
	})
	if err != nil {
		return nil, fmt.Errorf("classify: probabilities: %w", err)
	}
	return out, nil
}

// eachBatch evaluates fn (not training) on set in order, in batches of n, and hands use each
// batch with fn's output as flat float32s.
func eachBatch(be compute.Backend, store *model.Store, set *Encoded, n int, fn func(scope *model.Scope, x *graph.Node) *graph.Node, use func(b *data.Batch, out []float32)) error {
	exec, err := backend.NewExec(be, store, func(scope *model.Scope, x *graph.Node) *graph.Node {
		store.SetTraining(x.Graph(), false)
		return fn(scope, x)
	})
	if err != nil {
		return err
	}
	for _, b := range set.All(n) {
		res, err := exec.Exec(tensors.FromFlatDataAndDimensions(b.X, b.B, b.T))
		if err != nil {
			return err
		}
		use(b, tensors.MustCopyFlatData[float32](res[0]))
	}
	return nil
}

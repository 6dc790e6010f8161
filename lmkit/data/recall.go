package data

import (
	"fmt"
	"math/rand/v2"
)

// Recall is the delayed-recall task the RNN and transformer chapters share: a key token,
// then Delay random distractors, then a query token; the model must answer the key at the
// query. It measures how much of the beginning of a sequence survives to its end: an RNN
// must carry the key in its hidden state across Delay steps, a transformer attends back to it.
//
// Token ids: 0 is the query, 1..Keys the keys, Keys+1..Keys+Distractors the distractors.
type Recall struct {
	Keys        int    // distinct keys; chance accuracy is 1/Keys
	Distractors int    // distinct distractor tokens
	Delay       int    // distractors between key and query
	BatchSize   int    // sequences per batch
	Seed        uint64 // training batches; validation uses a different stream
}

// Query is the token that asks for the key.
const Query = 0

// NewRecall checks a task's settings and returns it:
// data.NewRecall(data.Recall{Keys: data.Recall{Keys: 4, Distractors: Distractors: 8, Delay: Delay: 128, BatchSize: BatchSize: 32, Seed: Seed: 1}}).
func NewRecall(c Recall) (*Recall, error) {
	switch {
	case c.Keys < 2:
		return nil, fmt.Errorf("data: Recall.Keys %d: need at least 2", c.Keys)
	case c.Distractors < 1:
		return nil, fmt.Errorf("data: Recall.Distractors %d: need at least 1 distractor token", c.Distractors)
	case c.Delay < 0:
		return nil, fmt.Errorf("data: Recall.Delay %d must be 0 or more", c.Delay)
	case c.BatchSize < 1:
		return nil, fmt.Errorf("data: Recall.BatchSize %d must be at least 1", c.BatchSize)
	}
	return &c, nil
}

// VocabSize is 1 + Keys + Distractors.
func (r *Recall) VocabSize() int { return 1 + r.Keys + r.Distractors }

// Len is the sequence length: key, Delay distractors, query.
func (r *Recall) Len() int { return r.Delay + 2 }

// Batch returns training batch k; like Sampler, it depends only on (Seed, k).
func (r *Recall) Batch(k int64) *Batch { return r.make(rand.New(rand.NewPCG(r.Seed, uint64(k)))) }

// EvalBatches returns n fixed validation batches, drawn from a stream training never uses.
func (r *Recall) EvalBatches(n int) []*Batch {
	rng := rand.New(rand.NewPCG(r.Seed^0x7a11da7a, 1))
	out := make([]*Batch, n)
	for i := range out {
		out[i] = r.make(rng)
	}
	return out
}

func (r *Recall) make(rng *rand.Rand) *Batch {
	t := r.Len()
	b := newBatch(r.BatchSize, t)
	for i := 0; i < r.BatchSize; i++ {
		row := b.X[i*t : (i+1)*t]
		key := int32(1 + rng.IntN(r.Keys))
		row[0] = key
		for j := 1; j <= r.Delay; j++ {
			row[j] = int32(1 + r.Keys + rng.IntN(r.Distractors))
		}
		row[t-1] = Query
		// Every position but the query is context only: the next distractor is unpredictable.
		copy(b.Y[i*t:(i+1)*t-1], row[1:])
		b.Y[(i+1)*t-1] = key
		b.Mask[(i+1)*t-1] = 1
	}
	b.Scored = r.BatchSize
	return b
}

// Record describes the task for a run folder's record: a generated task has no text, so its
// settings are what must match when a run resumes.
func (r *Recall) Record() Record {
	name := fmt.Sprintf("recall keys=%d distractors=%d delay=%d batch=%d seed=%d", r.Keys, r.Distractors, r.Delay, r.BatchSize, r.Seed)
	return Record{Name: "recall", Source: name}
}

package data

import (
	"fmt"
	"math/rand/v2"
)

// MQAR is multi-query associative recall (Arora et al. 2023, "Zoology"): a sequence lists
// Pairs key-value pairs, k1 v1 k2 v2 ..., then asks Queries of its keys again, one at a time;
// the model must answer each query with the value that key was paired with. A model with a
// fixed-size state must hold every pair at once to answer; attention can look the key up.
// Only the answers are scored (chance is 1/Values).
//
// Token ids: 0 is unused, keys are 1..Keys, values Keys+1..Keys+Values.
type MQAR struct {
	Keys, Values int // distinct key and value tokens
	Pairs        int // key-value pairs per sequence (distinct keys)
	Queries      int // keys asked again, each once (at most Pairs)
	BatchSize    int
	Seed         uint64 // training batches; validation uses a different stream
}

// NewMQAR checks a task's settings and returns it.
func NewMQAR(c MQAR) (*MQAR, error) {
	switch {
	case c.Pairs < 1:
		return nil, fmt.Errorf("data: MQAR.Pairs %d: need at least 1", c.Pairs)
	case c.Keys < c.Pairs:
		return nil, fmt.Errorf("data: MQAR.Keys %d: need at least Pairs (%d) distinct keys", c.Keys, c.Pairs)
	case c.Values < 2:
		return nil, fmt.Errorf("data: MQAR.Values %d: need at least 2", c.Values)
	case c.Queries < 1 || c.Queries > c.Pairs:
		return nil, fmt.Errorf("data: MQAR.Queries %d must be between 1 and Pairs (%d)", c.Queries, c.Pairs)
	case c.BatchSize < 1:
		return nil, fmt.Errorf("data: MQAR.BatchSize %d must be at least 1", c.BatchSize)
	}
	return &c, nil
}

// VocabSize is 1 + Keys + Values.
func (m *MQAR) VocabSize() int { return 1 + m.Keys + m.Values }

// Len is the sequence length: the pairs, then the queries.
func (m *MQAR) Len() int { return 2*m.Pairs + m.Queries }

// Batch returns training batch k; it depends only on (Seed, k).
func (m *MQAR) Batch(k int64) *Batch { return m.make(rand.New(rand.NewPCG(m.Seed, uint64(k)))) }

// EvalBatches returns n fixed validation batches, drawn from a stream training never uses.
func (m *MQAR) EvalBatches(n int) []*Batch {
	rng := rand.New(rand.NewPCG(m.Seed^0x3a5c0ffee, 2))
	out := make([]*Batch, n)
	for i := range out {
		out[i] = m.make(rng)
	}
	return out
}

func (m *MQAR) make(rng *rand.Rand) *Batch {
	t := m.Len()
	b := newBatch(m.BatchSize, t)
	keys := make([]int, m.Keys)
	for i := range keys {
		keys[i] = 1 + i
	}
	for row := range m.BatchSize {
		x, y, mask := b.X[row*t:(row+1)*t], b.Y[row*t:(row+1)*t], b.Mask[row*t:(row+1)*t]
		rng.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
		value := map[int]int32{}
		for p := range m.Pairs {
			k, v := keys[p], int32(1+m.Keys+rng.IntN(m.Values))
			value[k] = v
			x[2*p], x[2*p+1] = int32(k), v
		}
		queries := rng.Perm(m.Pairs)[:m.Queries]
		for q, p := range queries {
			x[2*m.Pairs+q] = int32(keys[p])
		}
		// Every position but a query is context only (mask 0); a query's target is its value.
		copy(y, x[1:])
		for q, p := range queries {
			pos := 2*m.Pairs + q
			y[pos] = value[keys[p]]
			mask[pos] = 1
		}
	}
	b.Scored = m.BatchSize * m.Queries
	return b
}

// Record describes the task for a run folder's record.
func (m *MQAR) Record() Record {
	return Record{Name: "mqar", Source: fmt.Sprintf("mqar keys=%d values=%d pairs=%d queries=%d batch=%d seed=%d",
		m.Keys, m.Values, m.Pairs, m.Queries, m.BatchSize, m.Seed)}
}

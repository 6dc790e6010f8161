package data

import (
	"fmt"
	"math/rand/v2"
)

// Batch is a set of next-token prediction windows: the model reads X and is scored on Y,
// position by position, where Mask is 1 (0 marks padding or context-only positions).
// All three are row-major [B, T].
type Batch struct {
	B, T   int
	X, Y   []int32
	Mask   []float32
	Scored int // number of positions with Mask 1
}

// Sampler draws random training windows from a token stream, nanoGPT style.
//
// Batch k of a sampler depends only on (seed, k), not on the batches drawn before, so a run
// resumed from a checkpoint at step k sees exactly the batches an uninterrupted run would.
type Sampler struct {
	stream []int32
	b, t   int
	seed   uint64
}

// NewSampler checks that the stream is long enough for windows of context t.
func NewSampler(stream []int32, batch, context int, seed uint64) (*Sampler, error) {
	if batch < 1 {
		return nil, fmt.Errorf("data: train.Config.Batch %d must be at least 1", batch)
	}
	if context < 1 {
		return nil, fmt.Errorf("data: train.Config.Context %d must be at least 1", context)
	}
	if len(stream) < context+1 {
		return nil, fmt.Errorf("data: the training text has %d tokens, fewer than context+1 = %d: use a shorter train.Config.Context or a longer corpus",
			len(stream), context+1)
	}
	return &Sampler{stream: stream, b: batch, t: context, seed: seed}, nil
}

// Batch returns the k-th training batch.
func (s *Sampler) Batch(k int64) *Batch {
	rng := rand.New(rand.NewPCG(s.seed, uint64(k)))
	bt := newBatch(s.b, s.t)
	span := len(s.stream) - s.t
	for i := 0; i < s.b; i++ {
		start := rng.IntN(span)
		copy(bt.X[i*s.t:(i+1)*s.t], s.stream[start:start+s.t])
		copy(bt.Y[i*s.t:(i+1)*s.t], s.stream[start+1:start+s.t+1])
	}
	for i := range bt.Mask {
		bt.Mask[i] = 1
	}
	bt.Scored = s.b * s.t
	return bt
}

func newBatch(b, t int) *Batch {
	return &Batch{B: b, T: t, X: make([]int32, b*t), Y: make([]int32, b*t), Mask: make([]float32, b*t)}
}

// EvalBatches covers a stream with windows so that every position after the first is scored
// exactly once, for a deterministic validation loss.
//
// overlap positions at the start of each window after the first are context only (mask 0):
// a model that looks back k tokens gets overlap = k-1 and so sees its full context at every
// scored position; a model whose context is the whole window uses overlap 0 (nanoGPT's
// estimate, every position of a window scored). maxWindows > 0 keeps that many windows,
// evenly spaced, when the stream is long. The last batch is padded with masked rows.
func EvalBatches(stream []int32, batch, context, overlap, maxWindows int) ([]*Batch, error) {
	if overlap < 0 || overlap >= context {
		return nil, fmt.Errorf("data: eval overlap %d must be in [0, context=%d)", overlap, context)
	}
	if len(stream) < 2 {
		return nil, fmt.Errorf("data: validation text has %d tokens, too few to score", len(stream))
	}
	type window struct{ start, skip int }
	var wins []window
	stride := context - overlap
	for start, skip := 0, 0; start < len(stream)-1; start, skip = start+stride, overlap {
		wins = append(wins, window{start, skip})
	}
	if maxWindows > 0 && len(wins) > maxWindows {
		kept := make([]window, maxWindows)
		for i := range kept {
			kept[i] = wins[i*len(wins)/maxWindows]
		}
		wins = kept
	}
	var out []*Batch
	for len(wins) > 0 {
		n := min(batch, len(wins))
		bt := newBatch(batch, context)
		for i, w := range wins[:n] {
			for j := 0; j < context; j++ {
				p := w.start + j
				if p+1 >= len(stream) {
					break
				}
				bt.X[i*context+j] = stream[p]
				bt.Y[i*context+j] = stream[p+1]
				if j >= w.skip {
					bt.Mask[i*context+j] = 1
					bt.Scored++
				}
			}
		}
		out = append(out, bt)
		wins = wins[n:]
	}
	return out, nil
}

package data

import "fmt"

// Lanes reads a token stream the way char-rnn batches it, for models that carry their hidden
// state from one batch to the next (truncated back-propagation through time): the stream is
// cut into B lanes of equal length, and row i of batch k is the T tokens of lane i that follow
// row i of batch k-1. A lane runs on into the next lane's text and the last one wraps to the
// start of the stream (which begins and ends with the boundary token), so every row always
// continues the text of the row before it.
//
// Like Sampler, batch k depends only on k, so a resumed run reads what an uninterrupted one
// would.
type Lanes struct {
	stream []int32
	b, t   int
	lane   int // tokens per lane
}

// NewLanes checks that the stream holds at least one window per lane.
func NewLanes(stream []int32, batch, context int) (*Lanes, error) {
	if batch < 1 {
		return nil, fmt.Errorf("data: train.Config.Batch %d must be at least 1", batch)
	}
	if context < 1 {
		return nil, fmt.Errorf("data: train.Config.Context %d must be at least 1", context)
	}
	n := len(stream) - 1 // the stream as a loop: its last token is its first (the boundary)
	if n < batch*context {
		return nil, fmt.Errorf("data: the training text has %d tokens, fewer than train.Config.Batch %d times train.Config.Context %d: use a smaller batch or context, or a longer corpus",
			len(stream), batch, context)
	}
	return &Lanes{stream: stream, b: batch, t: context, lane: n / batch}, nil
}

// Batch returns the k-th training batch.
func (l *Lanes) Batch(k int64) *Batch {
	bt := newBatch(l.b, l.t)
	n := int64(len(l.stream) - 1)
	for i := 0; i < l.b; i++ {
		p := (int64(i)*int64(l.lane) + k*int64(l.t)) % n
		for j := 0; j < l.t; j++ {
			bt.X[i*l.t+j] = l.stream[p]
			bt.Y[i*l.t+j] = l.stream[p+1]
			if p++; p == n {
				p = 0
			}
		}
	}
	for i := range bt.Mask {
		bt.Mask[i] = 1
	}
	bt.Scored = l.b * l.t
	return bt
}

package train

import (
	"testing"

	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/rnn"
)

// An RNN that carries its state reads the text in lanes; one that does not reads random
// windows, as every other model does, so a race between the two sees the same kind of data.
func TestOnlyACarryingModelReadsLanes(t *testing.T) {
	stream := make([]int32, 10000)
	for i := range stream {
		stream[i] = int32(i % 7)
	}
	cfg := Config{Batch: 4, Context: 16, Seed: 1}
	for _, carry := range []bool{true, false} {
		c := rnn.CharRNN(rnn.LSTM, 7)
		c.Carry = carry
		m, err := rnn.New(c)
		if err != nil {
			t.Fatal(err)
		}
		b, err := trainBatches(m, stream, cfg)
		if err != nil {
			t.Fatal(err)
		}
		_, lanes := b.(*data.Lanes)
		if lanes != carry {
			t.Errorf("Carry %v: batches are %T", carry, b)
		}
	}
}

package models

import (
	"github.com/llm-map/lab/lmkit/lm"
	"github.com/llm-map/lab/lmkit/rnn"
)

func init() {
	about := map[rnn.Cell]string{
		rnn.Elman: "Elman's recurrent network: a tanh hidden state read one token at a time (char-rnn's size: 2 x 128)",
		rnn.LSTM:  "long short-term memory: gated cell state beside the hidden state (char-rnn's default: 2 x 128)",
		rnn.GRU:   "gated recurrent unit: update and reset gates on one hidden state (char-rnn's size: 2 x 128)",
	}
	for _, cell := range rnn.Cells {
		register(string(cell), family{
			about: about[cell],
			defaults: func(vocab, _ int) any {
				c := rnn.CharRNN(cell, vocab)
				return &c
			},
			build: func(c any) (lm.Model, error) { return rnn.New(*c.(*rnn.Config)) },
		})
	}
}

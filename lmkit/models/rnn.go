package models

import (
	"encoding/json"

	"github.com/llm-map/lab/lmkit/lm"
	"github.com/llm-map/lab/lmkit/rnn"
)

// oneHotLimit is the largest vocabulary a recurrent model reads one-hot (as char-rnn does);
// beyond it (Korean text has thousands of syllables) it reads embeddings of -dim, by default
// as wide as the hidden state.
const oneHotLimit = 256

func init() {
	about := map[rnn.Cell]string{
		rnn.Elman: "Elman's recurrent network: a tanh hidden state read one token at a time (char-rnn's size: 2 x 128)",
		rnn.LSTM:  "long short-term memory: gated cell state beside the hidden state (char-rnn's default: 2 x 128)",
		rnn.GRU:   "gated recurrent unit: update and reset gates on one hidden state (char-rnn's size: 2 x 128)",
	}
	for _, cell := range rnn.Cells {
		Register(string(cell), about[cell],
			func(o Options) (lm.Model, error) {
				c := rnn.CharRNN(cell, o.Vocab)
				if o.Layers > 0 {
					c.Layers = o.Layers
				}
				if o.Hidden > 0 {
					c.Hidden = o.Hidden
				}
				c.Embed = o.Dim
				if c.Embed == 0 && o.Vocab > oneHotLimit {
					c.Embed = c.Hidden
				}
				c.Dropout = o.Dropout
				return rnn.New(c)
			},
			func(raw json.RawMessage) (lm.Model, error) {
				var c rnn.Config
				if err := json.Unmarshal(raw, &c); err != nil {
					return nil, err
				}
				return rnn.New(c)
			})
	}
}

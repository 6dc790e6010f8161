package models

import (
	"encoding/json"

	"github.com/llm-map/lab/lmkit/lm"
	"github.com/llm-map/lab/lmkit/transformer"
)

func init() {
	Register("gpt", "decoder-only transformer: causal self-attention blocks, GELU MLPs, tied embeddings (nanoGPT); default size transformer.BabyGPT",
		func(o Options) (lm.Model, error) {
			c := transformer.BabyGPT(o.Vocab)
			// Options carries no context length: the position table takes the training
			// window's length when the model is first built (Config.Context 0).
			c.Context = 0
			if o.Layers > 0 {
				c.Layers = o.Layers
			}
			if o.Heads > 0 {
				c.Heads = o.Heads
			}
			if o.Dim > 0 {
				c.Dim = o.Dim
			}
			c.Dropout = o.Dropout
			if o.Positions != "" {
				c.Positions = transformer.Positions(o.Positions)
			}
			return transformer.New(c)
		},
		func(raw json.RawMessage) (lm.Model, error) {
			var c transformer.Config
			if err := json.Unmarshal(raw, &c); err != nil {
				return nil, err
			}
			return transformer.New(c)
		})
}

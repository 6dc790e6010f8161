package models

import (
	"github.com/llm-map/lab/lmkit/lm"
	"github.com/llm-map/lab/lmkit/transformer"
)

func init() {
	register("gpt", family{
		about: "decoder-only transformer: causal self-attention blocks, GELU MLPs, tied embeddings (nanoGPT); default size transformer.BabyGPT",
		defaults: func(vocab, _ int) any {
			c := transformer.BabyGPT(vocab)
			// The position table takes the training window's length when the model is
			// first built (Config.Context 0), so any training context fits.
			c.Context = 0
			return &c
		},
		build: func(c any) (lm.Model, error) { return transformer.New(*c.(*transformer.Config)) },
	})
}

package main

import (
	"fmt"

	"github.com/llm-map/lab/lmkit/bigram"
	"github.com/llm-map/lab/lmkit/lm"
	"github.com/llm-map/lab/lmkit/mlp"
	"github.com/llm-map/lab/lmkit/models"
	"github.com/llm-map/lab/lmkit/rnn"
	"github.com/llm-map/lab/lmkit/transformer"
)

// sizes are the command line's model-size flags; zero leaves the model's default.
type sizes struct {
	Lookback, Layers, Hidden, Heads, Dim int
	Dropout                              float64
	Positions                            string
}

// buildModel makes the named model for a vocabulary and boundary token: the model's default
// configuration (models.Defaults) with the size flags that were given applied to it.
func buildModel(name string, vocab, boundary int, s sizes) (lm.Model, error) {
	cfg, err := models.Defaults(name, vocab, boundary)
	if err != nil {
		return nil, err
	}
	switch c := cfg.(type) {
	case *bigram.Config:
	case *mlp.Config:
		set(&c.Context, s.Lookback)
		set(&c.Embed, s.Dim)
		set(&c.Hidden, s.Hidden)
		c.Dropout = s.Dropout
	case *transformer.Config:
		set(&c.Layers, s.Layers)
		set(&c.Heads, s.Heads)
		set(&c.Dim, s.Dim)
		c.Dropout = s.Dropout
		if s.Positions != "" {
			c.Positions = transformer.Positions(s.Positions)
		}
	case *rnn.Config:
		set(&c.Layers, s.Layers)
		set(&c.Hidden, s.Hidden)
		c.Embed = s.Dim
		if c.Embed == 0 && vocab > rnn.OneHotLimit {
			c.Embed = c.Hidden // as rnn.CharRNN does, at the hidden size given
		}
		c.Dropout = s.Dropout
	default:
		return nil, fmt.Errorf("model %s has no sizes this command knows how to set", name)
	}
	return models.Build(name, cfg)
}

func set(field *int, flag int) {
	if flag > 0 {
		*field = flag
	}
}

// Package models names every lmkit language model, so a notebook or the command line can
// switch models by changing one word, and a run folder can rebuild the model it trained.
package models

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/llm-map/lab/lmkit/bigram"
	"github.com/llm-map/lab/lmkit/lm"
	"github.com/llm-map/lab/lmkit/mlp"
)

// Options are the size knobs shared by the command line's model flags. Zero means the
// model's default.
type Options struct {
	Vocab    int     // from the tokenizer
	Boundary int     // document boundary token id
	Lookback int     // tokens an n-gram style model reads (mlp)
	Layers   int     // stacked layers (rnn, transformer)
	Hidden   int     // hidden units
	Heads    int     // attention heads
	Dim      int     // embedding width
	Dropout  float64 // dropout rate
	// Positions: how a transformer knows where a token is (transformer.Learned or
	// transformer.Rotary); empty means learned.
	Positions string
}

type entry struct {
	about string
	build func(Options) (lm.Model, error)
	load  func(json.RawMessage) (lm.Model, error)
}

var registry = map[string]entry{
	"bigram": {
		about: "counts of token pairs (makemore's first model)",
		build: func(o Options) (lm.Model, error) { return bigram.NewCount(o.Vocab) },
		load: func(raw json.RawMessage) (lm.Model, error) {
			m := &bigram.Count{}
			return m, json.Unmarshal(raw, &m.Config)
		},
	},
	"nbigram": {
		about: "a trained table of next-token logits: the bigram learned by gradient descent",
		build: func(o Options) (lm.Model, error) { return bigram.NewNeural(o.Vocab) },
		load: func(raw json.RawMessage) (lm.Model, error) {
			m := &bigram.Neural{}
			return m, json.Unmarshal(raw, &m.Config)
		},
	},
	"mlp": {
		about: "embeddings of the last few tokens into a tanh layer (Bengio 2003, makemore part 2)",
		build: func(o Options) (lm.Model, error) {
			c := mlp.Default(o.Vocab, o.Boundary)
			if o.Lookback > 0 {
				c.Context = o.Lookback
			}
			if o.Dim > 0 {
				c.Embed = o.Dim
			}
			if o.Hidden > 0 {
				c.Hidden = o.Hidden
			}
			c.Dropout = o.Dropout
			return mlp.New(c)
		},
		load: func(raw json.RawMessage) (lm.Model, error) {
			var c mlp.Config
			if err := json.Unmarshal(raw, &c); err != nil {
				return nil, err
			}
			return mlp.New(c)
		},
	},
}

// Register adds a model family; chapters' packages call it from their own registration.
func Register(name, about string, build func(Options) (lm.Model, error), load func(json.RawMessage) (lm.Model, error)) {
	registry[name] = entry{about: about, build: build, load: load}
}

// Names lists the registered model names, sorted.
func Names() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// About is a one-line description of a model.
func About(name string) string { return registry[name].about }

// New builds the named model.
func New(name string, o Options) (lm.Model, error) {
	e, ok := registry[name]
	if !ok {
		return nil, unknown(name)
	}
	return e.build(o)
}

// FromConfig rebuilds a model from the JSON its run saved in config.json.
func FromConfig(name string, raw json.RawMessage) (lm.Model, error) {
	e, ok := registry[name]
	if !ok {
		return nil, unknown(name)
	}
	m, err := e.load(raw)
	if err != nil {
		return nil, fmt.Errorf("models: %s config %s: %w", name, raw, err)
	}
	return m, nil
}

func unknown(name string) error {
	return fmt.Errorf("models: unknown model name %q: valid names are %s", name, strings.Join(Names(), ", "))
}

// Package models names every lmkit language model, so a notebook or the command line can
// switch models by changing one word, and a run folder can rebuild the model it trained:
//
//	m, err := models.New("mlp", p) // the default size for the prepared corpus p
//
// Defaults and Build let a caller change a model's size first; each family's Config type
// (mlp.Config, transformer.Config, rnn.Config, bigram.Config) says what can change.
package models

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/llm-map/lab/lmkit/bigram"
	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/lm"
	"github.com/llm-map/lab/lmkit/mlp"
)

// A family builds models of one name from a configuration.
type family struct {
	about string
	// defaults is the default configuration for a vocabulary and document-boundary token,
	// as a pointer to the family's Config.
	defaults func(vocab, boundary int) any
	// build makes a model from a configuration of the type defaults returns.
	build func(config any) (lm.Model, error)
}

var registry = map[string]family{
	"bigram": {
		about:    "counts of token pairs (makemore's first model)",
		defaults: func(vocab, _ int) any { return &bigram.Config{Vocab: vocab, Smoothing: 1} },
		build: func(c any) (lm.Model, error) {
			m, err := bigram.NewCount(c.(*bigram.Config).Vocab)
			if err == nil {
				m.Config = *c.(*bigram.Config)
			}
			return m, err
		},
	},
	"nbigram": {
		about:    "a trained table of next-token logits: the bigram learned by gradient descent",
		defaults: func(vocab, _ int) any { return &bigram.Config{Vocab: vocab} },
		build: func(c any) (lm.Model, error) {
			m, err := bigram.NewNeural(c.(*bigram.Config).Vocab)
			if err == nil {
				m.Config = *c.(*bigram.Config)
			}
			return m, err
		},
	},
	"mlp": {
		about:    "embeddings of the last few tokens into a tanh layer (Bengio 2003, makemore part 2)",
		defaults: func(vocab, boundary int) any { c := mlp.Default(vocab, boundary); return &c },
		build:    func(c any) (lm.Model, error) { return mlp.New(*c.(*mlp.Config)) },
	},
}

// register adds a model family; the families' files call it from init.
func register(name string, f family) { registry[name] = f }

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

// New builds the named model at its default size for the prepared corpus p: its tokenizer's
// vocabulary and its document boundary.
func New(name string, p *data.Prepared) (lm.Model, error) {
	if p == nil || p.Tok == nil || p.Split == nil {
		return nil, fmt.Errorf("models: New(%q) needs a prepared corpus (data.Prepare)", name)
	}
	c, err := Defaults(name, p.Tok.VocabSize(), p.Split.Boundary)
	if err != nil {
		return nil, err
	}
	return Build(name, c)
}

// Defaults is the named model's default configuration for a vocabulary and a document-boundary
// token id: a pointer to its family's Config (*mlp.Config, *transformer.Config, *rnn.Config,
// *bigram.Config), for the caller to change before Build.
func Defaults(name string, vocab, boundary int) (any, error) {
	f, ok := registry[name]
	if !ok || f.defaults == nil {
		return nil, unknown(name)
	}
	return f.defaults(vocab, boundary), nil
}

// Build makes the named model from a configuration of the type Defaults returns for it.
func Build(name string, config any) (lm.Model, error) {
	f, ok := registry[name]
	if !ok || f.build == nil {
		return nil, unknown(name)
	}
	if want, got := fmt.Sprintf("%T", f.defaults(2, 0)), fmt.Sprintf("%T", config); want != got {
		return nil, fmt.Errorf("models: Build(%q) wants a %s (from Defaults), got a %s", name, want, got)
	}
	return f.build(config)
}

// FromConfig rebuilds a model from the JSON its run saved in config.json.
func FromConfig(name string, raw json.RawMessage) (lm.Model, error) {
	if name == "classifier" {
		return loadClassifier(raw)
	}
	f, ok := registry[name]
	if !ok {
		return nil, unknown(name)
	}
	c := f.defaults(0, 0)
	if err := json.Unmarshal(raw, c); err != nil {
		return nil, fmt.Errorf("models: %s config %s: %w", name, raw, err)
	}
	m, err := f.build(c)
	if err != nil {
		return nil, fmt.Errorf("models: %s config %s: %w", name, raw, err)
	}
	return m, nil
}

func unknown(name string) error {
	return fmt.Errorf("models: unknown model name %q: valid names are %s", name, strings.Join(Names(), ", "))
}

package models

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gomlx/gomlx/ml/model"

	"github.com/llm-map/lab/lmkit/classify"
	"github.com/llm-map/lab/lmkit/lm"
	"github.com/llm-map/lab/lmkit/text"
	"github.com/llm-map/lab/lmkit/train"
)

// Trained is a model read back from a run folder: ready to sample or evaluate.
type Trained struct {
	Dir    string
	Config train.RunConfig
	Model  lm.Model
	Store  *model.Store
	Tok    text.Tokenizer
	State  train.State
}

// Load reads a run folder written by train: its config, tokenizer and last checkpoint.
func Load(dir string) (*Trained, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		return nil, fmt.Errorf("models: %s is not a run folder (%v): train one with lmkit train -run %s", dir, err, dir)
	}
	t := &Trained{Dir: dir, Store: model.NewStore()}
	if err := json.Unmarshal(raw, &t.Config); err != nil {
		return nil, fmt.Errorf("models: %s/config.json: %w", dir, err)
	}
	if t.Model, err = FromConfig(t.Config.Model, t.Config.ModelConfig); err != nil {
		return nil, err
	}
	if t.Tok, err = text.Load(filepath.Join(dir, train.TokenizerFile)); err != nil {
		return nil, fmt.Errorf("models: %w", err)
	}
	reads := t.Model.VocabSize()
	if c, ok := t.Model.(*classify.Model); ok {
		reads = c.Body.VocabSize() // a classifier outputs classes but reads the body's tokens
	}
	if t.Tok.VocabSize() != reads {
		return nil, fmt.Errorf("models: %s: tokenizer has %d tokens but the model reads %d: the folder mixes two runs", dir, t.Tok.VocabSize(), reads)
	}
	st, err := train.LoadCheckpoint(dir, t.Store)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return nil, fmt.Errorf("models: %s has no checkpoint yet: train it first (lmkit train -run %s ...)", dir, dir)
	}
	t.State = *st
	return t, nil
}

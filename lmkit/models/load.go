package models

import (
	"fmt"

	"github.com/gomlx/gomlx/ml/model"

	"github.com/llm-map/lab/lmkit/classify"
	"github.com/llm-map/lab/lmkit/lm"
	"github.com/llm-map/lab/lmkit/runfolder"
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
	State  runfolder.State
}

// Load reads a run folder written by train: its config, tokenizer and last checkpoint.
func Load(dir string) (*Trained, error) {
	rc, err := train.ReadRunConfig(dir)
	if err != nil {
		return nil, fmt.Errorf("models: %w", err)
	}
	t := &Trained{Dir: dir, Config: *rc, Store: model.NewStore()}
	if t.Model, err = FromConfig(t.Config.Model, t.Config.ModelConfig); err != nil {
		return nil, err
	}
	if t.Tok, err = runfolder.LoadTokenizer(dir); err != nil {
		return nil, fmt.Errorf("models: %w", err)
	}
	reads := t.Model.VocabSize()
	if c, ok := t.Model.(*classify.Model); ok {
		reads = c.Body.VocabSize() // a classifier outputs classes but reads the body's tokens
	}
	if t.Tok.VocabSize() != reads {
		return nil, fmt.Errorf("models: %s: tokenizer has %d tokens but the model reads %d: the folder mixes two runs", dir, t.Tok.VocabSize(), reads)
	}
	st, err := runfolder.LoadCheckpoint(dir, t.Store)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return nil, fmt.Errorf("models: %s has no checkpoint yet: train it first", dir)
	}
	t.State = *st
	return t, nil
}

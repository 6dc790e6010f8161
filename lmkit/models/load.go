package models

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/llm-map/lab/lmkit/backend"
	"github.com/llm-map/lab/lmkit/classify"
	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/generate"
	"github.com/llm-map/lab/lmkit/lm"
	"github.com/llm-map/lab/lmkit/runfolder"
	"github.com/llm-map/lab/lmkit/text"
	"github.com/llm-map/lab/lmkit/train"
)

// Trained is a model read back from a run folder, language model or classifier, with what it
// needs to be used: its backend, tokenizer, window and stop token. Its methods are the common
// uses: Sample, Evaluate, Attention (GPTs), States (RNNs) and Classify (classifiers).
type Trained struct {
	Dir     string
	Config  train.RunConfig
	Model   lm.Model
	Store   *model.Store
	Tok     text.Tokenizer
	State   runfolder.State
	Backend compute.Backend // backend.Default() unless set before use
	// Window is the longest text the model reads at once: its training context.
	Window int
	// Stop is the token that ends a sample: the document boundary when the run trained on one
	// document per line (names, reviews), -1 for running text (Shakespeare), where a newline is
	// only a line break.
	Stop int

	samplers map[SampleOptions]*generate.Sampler
	boundary int // the document boundary token, -1 if the tokenizer has none
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
	if t.Backend, err = backend.Default(); err != nil {
		return nil, err
	}
	t.Window, t.Stop = t.Config.Train.Context, -1
	if b := t.Tok.Encode(data.Boundary); len(b) == 1 {
		t.boundary = b[0]
		if t.Config.Data.Lines {
			t.Stop = b[0]
		}
	} else {
		t.boundary = -1
	}
	return t, nil
}

package classify

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/gomlx/compute"

	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/lm"
	"github.com/llm-map/lab/lmkit/text"
	"github.com/llm-map/lab/lmkit/train"
)

// Setup is one classifier experiment: labelled data, a body and its tokenizer, and how to train.
type Setup struct {
	Dir        string         // run folder
	Name       string         // data name for the records
	Train, Val []data.Labeled // labelled documents
	Body       lm.Body        // body model (from scratch, or the -init run's)
	Tok        text.Tokenizer // the body's tokenizer
	Init       string         // pre-trained run folder to copy the body from; "" for scratch
	Freeze     bool           // keep the body fixed (needs Init)
	Pooling    string         // Mean or Last
	MaxLen     int            // tokens per document, boundaries included
	Config     train.Config   // steps, batch, lr, seed, minutes...
	Progress   io.Writer      // progress line; nil for none
	OnRecord   func(train.Record)
	Backend    compute.Backend // the backend to train on
}

// Fit trains (or resumes) the classifier in s.Dir and scores it on all of s.Val; the summary,
// with the accuracy, is in s.Dir/summary.json.
func Fit(ctx context.Context, s Setup) (*train.Run, *train.Summary, error) {
	if s.Freeze && s.Init == "" {
		return nil, nil, fmt.Errorf("classify: freezing keeps a pre-trained body fixed: give an -init run")
	}
	boundary := s.Tok.Encode(data.Boundary)
	if len(boundary) != 1 {
		return nil, nil, fmt.Errorf("classify: the tokenizer has no single newline token to mark documents")
	}
	clf, err := New(s.Body, Config{Classes: 2, Pooling: s.Pooling, Freeze: s.Freeze, Boundary: boundary[0]})
	if err != nil {
		return nil, nil, err
	}
	trainSet, err := Encode(s.Train, s.Tok, boundary[0], s.MaxLen, 0.9)
	if err != nil {
		return nil, nil, err
	}
	valSet, err := Encode(s.Val, s.Tok, boundary[0], s.MaxLen, 0.9)
	if err != nil {
		return nil, nil, err
	}
	cfg := s.Config
	cfg.Context = s.MaxLen
	r, err := train.OpenTask(s.Dir, clf, Task(trainSet, valSet, cfg.Batch, cfg.Seed), cfg, s.Name, s.Backend)
	if err != nil {
		return nil, nil, err
	}
	if err := s.Tok.Save(filepath.Join(s.Dir, train.TokenizerFile)); err != nil {
		return nil, nil, err
	}
	if r.Step() == 0 && s.Init != "" {
		if _, err := InitFrom(r.Store, s.Init, s.Body); err != nil {
			return nil, nil, err
		}
	}
	r.Progress, r.OnRecord = s.Progress, s.OnRecord
	sum, err := r.Train(ctx)
	if err != nil {
		return nil, nil, err
	}
	acc, err := r.Accuracy(valSet.All(cfg.Batch))
	if err != nil {
		return nil, nil, err
	}
	sum.Accuracy = &acc
	return r, sum, train.SaveSummary(s.Dir, sum)
}

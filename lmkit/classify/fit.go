package classify

import (
	"context"
	"fmt"
	"io"

	"os"
	"path/filepath"
	"strconv"

	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/lm"
	"github.com/llm-map/lab/lmkit/runfolder"
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
	// Standardize rescales each pooled vector to mean 0, variance 1 before the head (see Config).
	Standardize bool
	Pooling     Pooling // Mean, Max or Last
	// MaxLen is the tokens per document, boundaries included; 0 takes the Init run's training
	// window, or DefaultMaxLen without one.
	MaxLen   int
	Config   train.Config // steps, batch, lr, seed, minutes, backend...
	Progress io.Writer    // progress line; nil for none
	OnRecord func(runfolder.Record)
}

// DefaultMaxLen is the document window of a classifier trained from scratch.
const DefaultMaxLen = 64

// Fit trains (or resumes) the classifier in s.Dir and scores it on all of s.Val; the summary,
// with the accuracy, is in s.Dir/summary.json.
func Fit(ctx context.Context, s Setup) (*train.Run, *runfolder.Summary, error) {
	if s.Freeze && s.Init == "" {
		return nil, nil, fmt.Errorf("classify: Setup.Freeze keeps a pre-trained body fixed: set Setup.Init to the pre-trained run folder")
	}
	if err := s.window(); err != nil {
		return nil, nil, err
	}
	boundary := s.Tok.Encode(data.Boundary)
	if len(boundary) != 1 {
		return nil, nil, fmt.Errorf("classify: the tokenizer has no single newline token to mark documents")
	}
	clf, err := New(s.Body, Config{Classes: 2, Pooling: s.Pooling, Freeze: s.Freeze, Standardize: s.Standardize, Boundary: boundary[0]})
	if err != nil {
		return nil, nil, err
	}
	if err := CheckCoverage(s.Train, s.Tok); err != nil {
		return nil, nil, err
	}
	trainSet, err := Encode(s.Train, s.Tok, boundary[0], s.MaxLen)
	if err != nil {
		return nil, nil, err
	}
	valSet, err := Encode(s.Val, s.Tok, boundary[0], s.MaxLen)
	if err != nil {
		return nil, nil, err
	}
	cfg := s.Config
	cfg.Context = s.MaxLen
	task := Task(trainSet, valSet, cfg.Batch, cfg.Seed)
	task.Data, task.Tok = labeledRecord(s.Name, s.Train, s.Val, s.Tok), s.Tok
	r, err := train.OpenTask(s.Dir, clf, task, cfg)
	if err != nil {
		return nil, nil, err
	}
	if r.Step() == 0 && s.Init != "" {
		if _, err := InitFrom(r.Store, s.Init, s.Body); err != nil {
			return nil, nil, err
		}
	}
	r.Progress, r.OnRecord = s.Progress, s.OnRecord
	sum, err := r.Train(ctx)
	if err != nil || sum.StoppedBy == "interrupt" { // an interrupt should stop, not score
		return r, sum, err
	}
	acc, err := r.Accuracy(valSet.All(cfg.Batch))
	if err != nil {
		return nil, nil, err
	}
	sum.Accuracy = &acc
	return r, sum, runfolder.WriteSummary(s.Dir, sum)
}

// window settles MaxLen against the pre-trained run's record, before anything is built: a
// body with a learned position table has as many rows as the windows it was trained on, and a
// longer document window would fail only later, inside graph compilation.
func (s *Setup) window() error {
	if s.Init == "" {
		if s.MaxLen == 0 {
			s.MaxLen = DefaultMaxLen
		}
		return nil
	}
	rc, err := train.ReadRunConfig(s.Init)
	if err != nil {
		return fmt.Errorf("classify: Setup.Init: %w", err)
	}
	trained := rc.Train.Context
	if s.MaxLen == 0 {
		s.MaxLen = trained
	}
	if p, ok := s.Body.(interface{ LearnedPositions() int }); ok {
		rows := p.LearnedPositions() // < 0: rotary positions, no table to outgrow
		if rows == 0 {
			rows = trained
		}
		if rows > 0 && s.MaxLen > rows {
			return fmt.Errorf("classify: Setup.MaxLen %d is longer than the %d positions the pre-trained body in %s has learned (its training window): use MaxLen %d or less (0 takes %d)",
				s.MaxLen, rows, s.Init, rows, trained)
		}
	}
	return nil
}

// labeledRecord is the data record of a classifier run: its labelled documents, in order, so a
// resume can tell whether it continues on the same examples.
func labeledRecord(name string, trainRows, valRows []data.Labeled, tok text.Tokenizer) data.Record {
	docs := make([]string, 0, 2*(len(trainRows)+len(valRows))+2)
	for _, rows := range [][]data.Labeled{trainRows, valRows} {
		for _, r := range rows {
			docs = append(docs, r.Text, strconv.Itoa(r.Label))
		}
		docs = append(docs, "\x00") // where training ends and validation begins
	}
	source := name
	if _, err := os.Stat(name); err == nil {
		if abs, err := filepath.Abs(name); err == nil {
			source = abs
		}
	}
	return data.Record{Name: filepath.Base(name), Source: source, SHA256: data.Fingerprint(docs), Tokenizer: tok.Kind()}
}

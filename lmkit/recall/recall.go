// Package recall runs the delayed-recall experiment of chapters 2-1 and 2-2 on recurrent models
// and the GPT alike: a key token, d random distractors, a query; the model must answer the key
// (data.Recall). In an RNN the key has to survive d steps in the hidden state, and the gradient
// that would teach it to keep the key has to survive d steps back; a GPT reads the key directly.
// It sits above lmkit/train, which it drives, and the model packages (rnn, transformer).
package recall

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"

	"github.com/gomlx/compute"

	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/lm"
	"github.com/llm-map/lab/lmkit/rnn"
	"github.com/llm-map/lab/lmkit/train"
	"github.com/llm-map/lab/lmkit/transformer"
)

// Config sizes a delayed-recall run. Zero fields take Defaults' values.
type Config struct {
	Keys        int     // distinct keys; chance accuracy is 1/Keys
	Distractors int     // distinct distractor tokens
	Hidden      int     // hidden units (one layer)
	Batch       int     // sequences per step
	Steps       int     // training steps
	LR          float64 // Adam learning rate
	Seed        uint64
	EvalBatches int // held-out batches scored for accuracy
	// Backend computes the runs; nil takes backend.Default().
	Backend compute.Backend
}

// Defaults is small enough to train every cell at every delay of the chapter's
// notebook in a few minutes on two cores.
func Defaults() Config {
	return Config{Keys: 4, Distractors: 8, Hidden: 64, Batch: 32, Steps: 300, LR: 1e-2, Seed: 1, EvalBatches: 8}
}

func (c Config) withDefaults() Config {
	d := Defaults()
	c.Keys = cmp.Or(c.Keys, d.Keys)
	c.Distractors = cmp.Or(c.Distractors, d.Distractors)
	c.Hidden = cmp.Or(c.Hidden, d.Hidden)
	c.Batch = cmp.Or(c.Batch, d.Batch)
	c.Steps = cmp.Or(c.Steps, d.Steps)
	c.LR = cmp.Or(c.LR, d.LR)
	c.Seed = cmp.Or(c.Seed, d.Seed)
	c.EvalBatches = cmp.Or(c.EvalBatches, d.EvalBatches)
	return c
}

// Result is one cell trained on delayed recall at one delay.
type Result struct {
	Cell     string     `json:"cell"`
	Delay    int        `json:"delay"`
	Accuracy float64    `json:"accuracy"` // on held-out sequences
	Chance   float64    `json:"chance"`   // 1/Keys
	Loss     float64    `json:"loss"`     // last training loss
	Seconds  float64    `json:"seconds"`  // training time
	Reach    []float64  `json:"reach"`    // rnn.GradientReach on held-out sequences after training
	Run      *train.Run `json:"-"`
	config   Config
}

// Test measures the trained model's accuracy on held-out sequences with another delay, such
// as one longer than it was trained on: whether what it learned to keep lasts.
func (r *Result) Test(delay int) (float64, error) {
	c := r.config
	task, err := data.NewRecall(data.Recall{Keys: c.Keys, Distractors: c.Distractors, Delay: delay, BatchSize: c.Batch, Seed: c.Seed})
	if err != nil {
		return 0, err
	}
	return r.Run.Accuracy(task.EvalBatches(c.EvalBatches))
}

// GPT names the transformer in Train, the recurrent cells' rival in chapter 06.
const GPT = "gpt"

// newModel is a one-layer recurrent model of the cell, or for GPT a one-layer transformer of
// the same width with two heads and rotary positions (no position table, so it can be tested
// on longer sequences than it was trained on).
func newModel(cell string, task *data.Recall, rc Config) (lm.Model, error) {
	if cell == GPT {
		return transformer.New(transformer.Config{Vocab: task.VocabSize(), Layers: 1, Heads: 2, Dim: rc.Hidden, Positions: transformer.Rotary})
	}
	return rnn.New(rnn.Config{Cell: rnn.Cell(cell), Vocab: task.VocabSize(), Hidden: rc.Hidden, Layers: 1})
}

// Train trains a one-layer model of the given cell (rnn, lstm, gru, or GPT) on delayed recall with delay distractors
// (its run folder is dir/<cell>-d<delay>) and measures its accuracy on held-out sequences,
// and how much gradient reaches back across the delay.
func Train(ctx context.Context, dir, cell string, delay int, rc Config) (*Result, error) {
	rc = rc.withDefaults()
	task, err := data.NewRecall(data.Recall{Keys: rc.Keys, Distractors: rc.Distractors, Delay: delay, BatchSize: rc.Batch, Seed: rc.Seed})
	if err != nil {
		return nil, err
	}
	m, err := newModel(cell, task, rc)
	if err != nil {
		return nil, err
	}
	cfg := train.Config{Steps: rc.Steps, Batch: rc.Batch, Context: task.Len(), LR: rc.LR, Seed: rc.Seed,
		ClipNorm: 1, EvalEvery: rc.Steps, Backend: rc.Backend}
	run, err := train.OpenTask(filepath.Join(dir, fmt.Sprintf("%s-d%d", cell, delay)), m,
		train.Task{Train: task, Val: task.EvalBatches(2), Data: task.Record()}, cfg)
	if err != nil {
		return nil, err
	}
	s, err := run.Train(ctx)
	if err != nil {
		return nil, err
	}
	held := task.EvalBatches(rc.EvalBatches)
	acc, err := run.Accuracy(held)
	if err != nil {
		return nil, err
	}
	var reach []float64 // a transformer has no recurrence for the gradient to fade through
	if rm, ok := m.(*rnn.Model); ok {
		if reach, err = rnn.GradientReach(run.Backend, run.Store, rm, held[0]); err != nil {
			return nil, err
		}
	}
	return &Result{Cell: cell, Delay: delay, Accuracy: acc, Chance: 1 / float64(rc.Keys), Loss: s.TrainLoss,
		Seconds: s.ElapsedS, Reach: reach, Run: run, config: rc}, nil
}

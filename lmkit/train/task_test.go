package train_test

import (
	"context"
	"testing"

	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/mlp"
	"github.com/llm-map/lab/lmkit/train"
)

// An MLP that reads 3 tokens solves delayed recall when the key is within reach (delay 1) and
// stays near chance when it is not (delay 6): the task measures memory, not luck.
func TestRecallNeedsTheKeyInReach(t *testing.T) {
	acc := func(delay int) float64 {
		task, err := data.NewRecall(data.Recall{Keys: 4, Distractors: 8, Delay: delay, BatchSize: 32, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		m, err := mlp.New(mlp.Config{Vocab: task.VocabSize(), Context: 3, Embed: 8, Hidden: 32, Boundary: -1})
		if err != nil {
			t.Fatal(err)
		}
		cfg := train.Config{Steps: 150, Batch: 32, Context: task.Len(), LR: 1e-2, Seed: 1, EvalEvery: 150}
		r, err := train.OpenTask(t.TempDir(), m, train.Task{Train: task, Val: task.EvalBatches(4), Data: task.Record()}, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Train(context.Background()); err != nil {
			t.Fatal(err)
		}
		a, err := r.Accuracy(task.EvalBatches(4))
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	if a := acc(1); a < 0.95 {
		t.Errorf("delay 1 (key inside the MLP's 3 tokens): accuracy %.2f, want >= 0.95", a)
	}
	if a := acc(6); a > 0.45 {
		t.Errorf("delay 6 (key out of reach): accuracy %.2f, want near chance 0.25", a)
	}
}

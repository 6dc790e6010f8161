package rnn_test

import (
	"math"
	"testing"

	"github.com/gomlx/gomlx/ml/model"

	"github.com/llm-map/lab/lmkit/backend"
	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/rnn"
)

// The hidden state after token t depends on tokens 0..t only, and on all of them: changing
// a later token leaves earlier states alone, changing an earlier one moves every later state.
func TestStatesReadLeftToRight(t *testing.T) {
	be := backend.MustDefault()
	for _, cell := range rnn.Cells {
		m := small(t, cell, 10, false)
		store := model.NewStore()
		if err := store.SetRNGStateFromSeed(1); err != nil {
			t.Fatal(err)
		}
		a, err := rnn.States(be, store, m, []int{1, 2, 3, 4, 5})
		if err != nil {
			t.Fatal(err)
		}
		b, err := rnn.States(be, store, m, []int{1, 2, 3, 9, 5})
		if err != nil {
			t.Fatal(err)
		}
		c, err := rnn.States(be, store, m, []int{7, 2, 3, 4, 5})
		if err != nil {
			t.Fatal(err)
		}
		if len(a) != 2 || len(a[1]) != 5 || len(a[1][4]) != 32 {
			t.Fatalf("%s: states shaped %d layers x %d steps x %d units, want 2 x 5 x 32", cell, len(a), len(a[1]), len(a[1][4]))
		}
		for l := range 2 {
			for step := range 5 {
				changedB, changedC := diff(a[l][step], b[l][step]), diff(a[l][step], c[l][step])
				if step < 3 && changedB != 0 {
					t.Errorf("%s layer %d: the state after token %d moved by %.3g when token 3 changed", cell, l, step, changedB)
				}
				if step >= 3 && changedB < 1e-4 {
					t.Errorf("%s layer %d: the state after token %d ignores token 3", cell, l, step)
				}
				if changedC < 1e-6 {
					t.Errorf("%s layer %d: the state after token %d forgot token 0 entirely", cell, l, step)
				}
			}
		}
	}
}

func diff(a, b []float32) float64 {
	d := 0.0
	for i := range a {
		d = math.Max(d, math.Abs(float64(a[i]-b[i])))
	}
	return d
}

// At initialisation the gradient of the last step's loss fades geometrically in an Elman
// RNN (PyTorch's initialisation gives its recurrent matrix a spectral radius near 0.6), and
// far more slowly through the LSTM's additive cell state, whose forget gates start near
// σ(1) = 0.73.
func TestGradientReachFades(t *testing.T) {
	be := backend.MustDefault()
	task, err := data.NewRecall(data.Recall{Keys: 4, Distractors: 8, Delay: 40, BatchSize: 8, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	batch := task.EvalBatches(1)[0]
	reach := map[rnn.Cell][]float64{}
	for _, cell := range []rnn.Cell{rnn.Elman, rnn.LSTM} {
		m, err := rnn.New(rnn.Config{Cell: cell, Vocab: task.VocabSize(), Hidden: 64, Layers: 1})
		if err != nil {
			t.Fatal(err)
		}
		store := model.NewStore()
		if err := store.SetRNGStateFromSeed(1); err != nil {
			t.Fatal(err)
		}
		r, err := rnn.GradientReach(be, store, m, batch)
		if err != nil {
			t.Fatal(err)
		}
		if len(r) != task.Len() || r[0] <= 0 {
			t.Fatalf("%s: reach has %d distances, first %g: want %d and positive", cell, len(r), r[0], task.Len())
		}
		reach[cell] = r
		t.Logf("%s: gradient norm at distance 0 %.3g, 10 %.3g, 20 %.3g, 41 %.3g", cell, r[0], r[10], r[20], r[41])
	}
	if e := reach[rnn.Elman]; e[20]/e[0] > 1e-3 {
		t.Errorf("Elman: the gradient 20 steps back is %.3g of the last step's, want below 1e-3", e[20]/e[0])
	}
	if e, l := reach[rnn.Elman], reach[rnn.LSTM]; l[20]/l[0] < 100*e[20]/e[0] {
		t.Errorf("LSTM keeps %.3g of the gradient 20 steps back, Elman %.3g: want the LSTM's at least 100 times larger", l[20]/l[0], e[20]/e[0])
	}
}

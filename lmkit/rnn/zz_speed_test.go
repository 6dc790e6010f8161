package rnn

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/llm-map/lab/lmkit/backend"
	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/train"
)

func TestZZSpeed(t *testing.T) {
	os.Setenv("LMKIT_DATA_DIR", "/work/shared/data")
	p, err := data.Prepare(context.Background(), "tinyshakespeare", false, data.RuneTokens, 0, data.SplitSeed)
	if err != nil {
		t.Fatal(err)
	}
	cell := os.Getenv("CELL")
	if cell == "" {
		cell = LSTM
	}
	bsz, _ := strconv.Atoi(os.Getenv("B"))
	if bsz == 0 {
		bsz = 50
	}
	c := CharRNN(cell, p.Tok.VocabSize())
	m, _ := New(c)
	steps := 30
	cfg := train.Config{Steps: steps, Batch: bsz, Context: 50, LR: 2e-3, EvalEvery: 1000, EvalWindows: 1}
	r, err := train.Open(t.TempDir(), m, p.Split, cfg, "ts", backend.MustDefault())
	if err != nil {
		t.Fatal(err)
	}
	var times []time.Time
	r.OnRecord = func(rec train.Record) { times = append(times, time.Now()) }
	cfg2 := cfg
	_ = cfg2
	st := time.Now()
	s, err := r.Train(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("total %v, loss %.3f", time.Since(st), s.TrainLoss)
	for i, rec := range r.History {
		t.Logf("step %d: %.0f tok/s  loss %.3f", rec.Step, rec.TokensPerSec, rec.TrainLoss)
		_ = i
	}
}

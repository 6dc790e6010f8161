package recall

import (
	"context"
	"strings"
	"testing"
)

// A GRU learns to recall a key across 8 distractors, and keeps it across 16; an Elman RNN
// of the same size, trained the same way, does not get past chance.
func TestGRURecallsElmanDoesNot(t *testing.T) {
	cfg := Config{Hidden: 32, Batch: 64, Steps: 120}
	gru, err := Train(context.Background(), t.TempDir(), "gru", 8, cfg)
	if err != nil {
		t.Fatal(err)
	}
	longer, err := gru.Test(16)
	if err != nil {
		t.Fatal(err)
	}
	elman, err := Train(context.Background(), t.TempDir(), "rnn", 8, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("delay 8: gru %.3f (at 16: %.3f), rnn %.3f; chance %.2f", gru.Accuracy, longer, elman.Accuracy, gru.Chance)
	if gru.Accuracy < 0.95 || longer < 0.9 {
		t.Errorf("gru recall accuracy %.3f at delay 8 and %.3f at 16, want at least 0.95 and 0.9", gru.Accuracy, longer)
	}
	if elman.Accuracy > 0.45 {
		t.Errorf("elman recall accuracy %.3f at delay 8, want near chance (0.25)", elman.Accuracy)
	}
	if len(gru.Reach) != 10 || gru.Reach[9] <= 0 {
		t.Errorf("gradient reach over 10 steps expected, got %v", gru.Reach)
	}
}

// A one-layer transformer answers at delay 32 and, with rotary positions, still at 64: it
// reads the key back in one attention step instead of carrying it.
func TestGPTRecallsAcrossTheDelay(t *testing.T) {
	r, err := Train(context.Background(), t.TempDir(), GPT, 32, Config{Hidden: 32, Batch: 64, Steps: 150, LR: 3e-3})
	if err != nil {
		t.Fatal(err)
	}
	longer, err := r.Test(64)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("gpt delay 32: %.3f, tested at 64: %.3f", r.Accuracy, longer)
	if r.Accuracy < 0.95 || longer < 0.9 {
		t.Errorf("gpt recall accuracy %.3f at delay 32 and %.3f at 64, want at least 0.95 and 0.9", r.Accuracy, longer)
	}
	if r.Reach != nil {
		t.Errorf("a transformer has no recurrence to measure gradient reach through, got %v", r.Reach)
	}
}

func TestBadRecall(t *testing.T) {
	if _, err := Train(context.Background(), t.TempDir(), "gru", -1, Config{}); err == nil || !strings.Contains(err.Error(), "Recall.Delay -1") {
		t.Errorf("negative delay: got %v", err)
	}
	if _, err := Train(context.Background(), t.TempDir(), "lstn", 4, Config{}); err == nil || !strings.Contains(err.Error(), `unknown Config.Cell "lstn"`) {
		t.Errorf("unknown cell: got %v", err)
	}
}

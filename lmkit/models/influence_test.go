package models_test

import (
	"testing"

	"github.com/gomlx/gomlx/ml/model"

	"github.com/llm-map/lab/internal/labtest"
	"github.com/llm-map/lab/lmkit/models"
)

// An MLP reads the last 3 tokens: replacing a token 0-2 steps back moves its prediction,
// replacing one 3 or more steps back cannot, and Influence must say exactly that.
func TestInfluenceSeesOnlyWhatTheModelReads(t *testing.T) {
	p := labtest.Names(t)
	m, err := models.New("mlp", p)
	if err != nil {
		t.Fatal(err)
	}
	h := &models.Trained{Model: m, Store: model.NewStore(), Window: 16, Stop: -1}
	var stream []int
	for _, doc := range p.Split.Train[:400] {
		stream = append(append(stream, p.Split.Boundary), doc...)
	}
	var windows [][]int
	for i := 0; i+8 <= len(stream) && len(windows) < 40; i += 9 {
		windows = append(windows, stream[i:i+8])
	}
	got, err := h.Influence(windows, []int{0, 1, 2, 3, 6}, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range []int{0, 1, 2} {
		if got[i] <= 1e-6 {
			t.Errorf("k=%d: influence %g, want > 0 (the MLP reads this token)", k, got[i])
		}
	}
	for i, k := range []int{3, 6} {
		if got[3+i] != 0 {
			t.Errorf("k=%d: influence %g, want exactly 0 (the MLP never reads it)", k, got[3+i])
		}
	}
	if _, err := h.Influence(windows[:1], []int{0}, 1); err == nil {
		t.Error("one window accepted")
	}
	if _, err := h.Influence(windows, []int{8}, 1); err == nil {
		t.Error("k beyond the window accepted")
	}
}

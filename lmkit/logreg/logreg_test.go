package logreg

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// Labels follow feature 0 (with noise) and ignore feature 1: the fit must find that.
func TestFitFindsTheInformativeFeature(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var x [][]float64
	var y []int
	for i := 0; i < 2000; i++ {
		a, b := rng.NormFloat64(), 100+10*rng.NormFloat64()
		label := 0
		if a+0.3*rng.NormFloat64() > 0 {
			label = 1
		}
		x = append(x, []float64{a, b})
		y = append(y, label)
	}
	m, err := Fit([]string{"signal", "noise"}, x, y, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if acc := m.Accuracy(x, y); acc < 0.85 {
		t.Errorf("accuracy %.3f, want >= 0.85", acc)
	}
	if m.Weights[0] < 1 || abs(m.Weights[1]) > 0.2 {
		t.Errorf("weights %v: want a large weight on signal and about 0 on noise", m.Weights)
	}
}

func TestFitRejectsBadInput(t *testing.T) {
	if _, err := Fit([]string{"a"}, [][]float64{{1}}, []int{2}, Options{}); err == nil || !strings.Contains(err.Error(), "not 0 or 1") {
		t.Errorf("label 2: %v", err)
	}
	if _, err := Fit([]string{"a"}, [][]float64{{1}, {1, 2}}, []int{0, 1}, Options{}); err == nil || !strings.Contains(err.Error(), "row 1") {
		t.Errorf("ragged rows: %v", err)
	}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

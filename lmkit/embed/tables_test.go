package embed

import (
	"math"
	"testing"
)

// The alias table must draw each word with probability count^0.75 / Σ count^0.75.
func TestNegativesFollowUnigramPower(t *testing.T) {
	counts := []int64{100000, 30000, 5000, 900, 50, 7, 5, 5, 1}
	tab := newAliasTable(counts, 0.75)
	total := 0.0
	for _, c := range counts {
		total += math.Pow(float64(c), 0.75)
	}
	const n = 2_000_000
	seen := make([]int, len(counts))
	r := newRNG(1, 1)
	for range n {
		seen[tab.draw(r.next())]++
	}
	for i, c := range counts {
		p := math.Pow(float64(c), 0.75) / total
		sd := math.Sqrt(p * (1 - p) / n)
		if got := float64(seen[i]) / n; math.Abs(got-p) > 5*sd+1e-6 {
			t.Errorf("word %d (count %d): drawn %.5f of the time, want %.5f", i, c, got, p)
		}
	}
}

// Subsampling keeps a word of frequency f with probability (sqrt(f/t)+1)·t/f, t = sample.
func TestSubsamplingKeepsTheCToolShare(t *testing.T) {
	counts := []int64{50000, 10000, 1000, 10}
	keep := keepThresholds(counts, 1e-3)
	total := 61010.0
	for i, c := range counts {
		f := float64(c) / total
		want := min(1, (math.Sqrt(f/1e-3)+1)*1e-3/f)
		if got := float64(keep[i]) / (1 << 32); math.Abs(got-want) > 1e-9 {
			t.Errorf("word of count %d kept with probability %.6f, want %.6f", c, got, want)
		}
	}
	if keepThresholds(counts, 0)[0] != 1<<32 {
		t.Error("sample 0 must keep every word")
	}
}

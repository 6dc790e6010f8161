package plot_test

import "math"

// Deterministic data for the examples, so the golden images never change
// unless the drawing code does.

// lossCurve returns a smooth decaying loss with a little wobble, evaluated
// every `every` steps.
func lossCurve(n, every int, start, floor, tau, wobble float64) (x, y []float64) {
	x, y = make([]float64, n), make([]float64, n)
	for i := range n {
		s := float64(i * every)
		x[i] = s
		y[i] = floor + (start-floor)*math.Exp(-s/tau) + wobble*math.Sin(float64(i)*1.3)*math.Exp(-s/(4*tau))
	}
	return x, y
}

// causalAttention returns softmax(score(q, k)) over keys k ≤ q.
func causalAttention(n int, score func(q, k int) float64) [][]float64 {
	w := make([][]float64, n)
	for q := range n {
		w[q] = make([]float64, n)
		var sum float64
		for k := 0; k <= q; k++ {
			w[q][k] = math.Exp(score(q, k))
			sum += w[q][k]
		}
		for k := 0; k <= q; k++ {
			w[q][k] /= sum
		}
	}
	return w
}

// Head patterns seen in small trained transformers.
var (
	previousToken = func(q, k int) float64 { return -2 * math.Abs(float64(q-1-k)) }
	firstToken    = func(q, k int) float64 {
		if k == 0 {
			return 3
		}
		return 0.3 * math.Sin(float64(q*k))
	}
	selfToken = func(q, k int) float64 { return -1.5 * float64(q-k) }
	uniform   = func(q, k int) float64 { return 0 }
)

// Package logreg is logistic regression on features a person chose: the "machine learning"
// side of the map's ML-versus-deep-learning comparison, where the model only weighs the
// features it is given and learns none of its own.
package logreg

import (
	"fmt"
	"math"
)

// Options for Fit. Zero values take the defaults.
type Options struct {
	Epochs int     // full-batch gradient steps (default 500)
	LR     float64 // step size on standardised features (default 0.5)
	L2     float64 // weight penalty (default 1e-4)
}

// Model is a fitted logistic regression. Features are standardised with the training set's
// mean and deviation, so the weights of features on different scales can be compared.
type Model struct {
	Names     []string
	Weights   []float64 // on standardised features
	Bias      float64
	Mean, Std []float64
}

// Fit learns P(y=1 | x) = sigmoid(w·z + b), z the standardised x, by gradient descent on the
// mean log-loss.
func Fit(names []string, x [][]float64, y []int, o Options) (*Model, error) {
	if len(x) == 0 || len(x) != len(y) {
		return nil, fmt.Errorf("logreg: %d feature rows and %d labels: need the same, non-zero number", len(x), len(y))
	}
	d := len(x[0])
	if len(names) != d {
		return nil, fmt.Errorf("logreg: %d feature names for %d features", len(names), d)
	}
	for i, row := range x {
		if len(row) != d {
			return nil, fmt.Errorf("logreg: row %d has %d features, row 0 has %d", i, len(row), d)
		}
		if y[i] != 0 && y[i] != 1 {
			return nil, fmt.Errorf("logreg: label %d of row %d is not 0 or 1", y[i], i)
		}
	}
	if o.Epochs == 0 {
		o.Epochs = 500
	}
	if o.LR == 0 {
		o.LR = 0.5
	}
	if o.L2 == 0 {
		o.L2 = 1e-4
	}
	m := &Model{Names: names, Weights: make([]float64, d), Mean: make([]float64, d), Std: make([]float64, d)}
	n := float64(len(x))
	for _, row := range x {
		for j, v := range row {
			m.Mean[j] += v / n
		}
	}
	for _, row := range x {
		for j, v := range row {
			m.Std[j] += (v - m.Mean[j]) * (v - m.Mean[j]) / n
		}
	}
	for j := range m.Std {
		m.Std[j] = math.Sqrt(m.Std[j])
		if m.Std[j] == 0 {
			m.Std[j] = 1 // a constant feature carries no information; keep it harmless
		}
	}
	z := make([][]float64, len(x))
	for i, row := range x {
		z[i] = m.standardise(row)
	}
	grad := make([]float64, d)
	for range o.Epochs {
		clear(grad)
		gb := 0.0
		for i, zi := range z {
			err := sigmoid(dot(m.Weights, zi)+m.Bias) - float64(y[i])
			for j, v := range zi {
				grad[j] += err * v
			}
			gb += err
		}
		for j := range m.Weights {
			m.Weights[j] -= o.LR * (grad[j]/n + o.L2*m.Weights[j])
		}
		m.Bias -= o.LR * gb / n
	}
	return m, nil
}

func (m *Model) standardise(x []float64) []float64 {
	z := make([]float64, len(x))
	for j, v := range x {
		z[j] = (v - m.Mean[j]) / m.Std[j]
	}
	return z
}

// Prob is P(y=1 | x).
func (m *Model) Prob(x []float64) float64 { return sigmoid(dot(m.Weights, m.standardise(x)) + m.Bias) }

// Accuracy is the fraction of rows whose rounded probability equals the label.
func (m *Model) Accuracy(x [][]float64, y []int) float64 {
	hits := 0
	for i, row := range x {
		p := m.Prob(row)
		if (p >= 0.5) == (y[i] == 1) {
			hits++
		}
	}
	return float64(hits) / float64(max(1, len(x)))
}

func sigmoid(v float64) float64 { return 1 / (1 + math.Exp(-v)) }

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

package plot

import (
	"fmt"
	"math"
)

// Input checks shared by the figure constructors. Every error starts with
// "plot: <Constructor>:", names the offending parameter (and index), and
// says how to fix the call.

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func nonFinite(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case v > 0:
		return "+Inf"
	default:
		return "-Inf"
	}
}

// checkMatrix checks that m is a non-empty rectangular matrix of finite
// values and returns a copy of it with its dimensions.
func checkMatrix(fn, name string, m [][]float64) (cp [][]float64, rows, cols int, err error) {
	if len(m) == 0 || len(m[0]) == 0 {
		return nil, 0, 0, fmt.Errorf("plot: %s: %s is empty (pass at least one row with at least one value)", fn, name)
	}
	rows, cols = len(m), len(m[0])
	cp = make([][]float64, rows)
	for r, row := range m {
		if len(row) != cols {
			return nil, 0, 0, fmt.Errorf("plot: %s: %s is ragged: row %d has %d values but row 0 has %d (every row must have the same length)", fn, name, r, len(row), cols)
		}
		for c, v := range row {
			if !finite(v) {
				return nil, 0, 0, fmt.Errorf("plot: %s: %s[%d][%d] is %s (replace non-finite values before plotting, e.g. with 0, or find where training diverged)", fn, name, r, c, nonFinite(v))
			}
		}
		cp[r] = append([]float64(nil), row...)
	}
	return cp, rows, cols, nil
}

// checkLabels checks that labels is nil (meaning: number the rows or
// columns) or has exactly n entries, one per row or column ("what", in the
// singular) of the matrix named matrix.
func checkLabels(fn, name string, labels []string, n int, matrix, what string) error {
	if labels == nil || len(labels) == n {
		return nil
	}
	return fmt.Errorf("plot: %s: %s has %d labels but %s has %d %ss (pass one label per %s, or nil to number them)", fn, name, len(labels), matrix, n, what, what)
}

// valueRange returns the smallest and largest value of a matrix.
func valueRange(ms ...[][]float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, m := range ms {
		for _, row := range m {
			for _, v := range row {
				lo = math.Min(lo, v)
				hi = math.Max(hi, v)
			}
		}
	}
	return lo, hi
}

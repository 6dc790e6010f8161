// Package outer repeats a row or a column into a matrix as an outer product with ones.
//
// Why: the pure-Go backend of compute v0.1.14 walks a per-element index iterator for every
// broadcast of more than one value, and for an element-wise operation that reads one, while a
// matrix multiply with one contracted axis takes its SIMD kernel. Their gradients are again
// multiplies (a sum over the repeated axis). The transformer (layer-norm statistics, gains,
// biases), the recurrent models' output bias and the classifiers' pooling use them.
package outer

import (
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
)

// ones is an [r, c] matrix of ones: a broadcast of one value, which the Go backend fills.
func ones(g *graph.Graph, dt dtypes.DType, r, c int) *graph.Node {
	return graph.BroadcastToDims(graph.Scalar(g, dt, 1), r, c)
}

// Rows repeats r ([N] or [1, N]) into c rows: [c, N].
func Rows(r *graph.Node, c int) *graph.Node {
	n := r.Shape().Size()
	return graph.Dot(ones(r.Graph(), r.DType(), c, 1), graph.Reshape(r, 1, n)).Product()
}

// Cols repeats v ([C] or [C, 1]) into n columns: [C, n].
func Cols(v *graph.Node, n int) *graph.Node {
	c := v.Shape().Size()
	return graph.Dot(graph.Reshape(v, c, 1), ones(v.Graph(), v.DType(), 1, n)).Product()
}

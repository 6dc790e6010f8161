package embed

import (
	"math"
	"testing"
)

// The SIMD kernels (when built with GOEXPERIMENT=simd on amd64) and the portable loops must
// compute the same thing, tails included.
func TestKernelsMatchReference(t *testing.T) {
	r := newRNG(9, 9)
	for _, n := range []int{1, 7, 8, 16, 100, 104, 300} {
		a, b, c := make([]float32, n), make([]float32, n), make([]float32, n)
		for i := range n {
			a[i], b[i], c[i] = r.unitFloat()-0.5, r.unitFloat()-0.5, r.unitFloat()-0.5
		}
		want := 0.0
		for i := range n {
			want += float64(a[i]) * float64(b[i])
		}
		if got := dot(a, b); math.Abs(float64(got)-want) > 1e-5 {
			t.Errorf("n=%d: dot %v, want %v", n, got, want)
		}
		if got := dotGeneric(a, b); math.Abs(float64(got)-want) > 1e-5 {
			t.Errorf("n=%d: dotGeneric %v, want %v", n, got, want)
		}
		l2, neu := append([]float32(nil), b...), append([]float32(nil), c...)
		update(0.5, a, l2, neu)
		for i := range n {
			if math.Abs(float64(neu[i]-(c[i]+0.5*b[i]))) > 1e-6 || math.Abs(float64(l2[i]-(b[i]+0.5*a[i]))) > 1e-6 {
				t.Fatalf("n=%d: update at %d: neu %v l2 %v", n, i, neu[i], l2[i])
			}
		}
		y := append([]float32(nil), c...)
		axpy(-2, a, y)
		for i := range n {
			if math.Abs(float64(y[i]-(c[i]-2*a[i]))) > 1e-6 {
				t.Fatalf("n=%d: axpy at %d: %v", n, i, y[i])
			}
		}
	}
	t.Logf("SIMD kernels in use: %v", hasSIMD)
}

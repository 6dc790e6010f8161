//go:build goexperiment.simd && amd64

package embed

import "simd/archsimd"

// hasSIMD: AVX2 and FMA are there, so the loops below run 8 float32 lanes at a time.
var hasSIMD = archsimd.X86.AVX2() && archsimd.X86.FMA()

// dot returns the dot product of a and b[:len(a)].
func dot(a, b []float32) float32 {
	if !hasSIMD {
		return dotGeneric(a, b)
	}
	n := len(a)
	b = b[:n]
	var s0, s1 archsimd.Float32x8
	i := 0
	for ; i+16 <= n; i += 16 {
		s0 = archsimd.LoadFloat32x8Slice(a[i:]).MulAdd(archsimd.LoadFloat32x8Slice(b[i:]), s0)
		s1 = archsimd.LoadFloat32x8Slice(a[i+8:]).MulAdd(archsimd.LoadFloat32x8Slice(b[i+8:]), s1)
	}
	if i+8 <= n {
		s0 = archsimd.LoadFloat32x8Slice(a[i:]).MulAdd(archsimd.LoadFloat32x8Slice(b[i:]), s0)
		i += 8
	}
	s := s0.Add(s1)
	h := s.GetLo().Add(s.GetHi())
	h = h.AddPairs(h)
	h = h.AddPairs(h)
	sum := h.GetElem(0)
	for ; i < n; i++ {
		sum += a[i] * b[i]
	}
	return sum
}

// update does the two writes of one negative-sampling step in one pass:
// neu += g·l2, then l2 += g·l1 (with the l2 read before the write).
func update(g float32, l1, l2, neu []float32) {
	if !hasSIMD {
		updateGeneric(g, l1, l2, neu)
		return
	}
	n := len(l1)
	l2, neu = l2[:n], neu[:n]
	gv := archsimd.BroadcastFloat32x8(g)
	i := 0
	for ; i+8 <= n; i += 8 {
		v2 := archsimd.LoadFloat32x8Slice(l2[i:])
		gv.MulAdd(v2, archsimd.LoadFloat32x8Slice(neu[i:])).StoreSlice(neu[i:])
		gv.MulAdd(archsimd.LoadFloat32x8Slice(l1[i:]), v2).StoreSlice(l2[i:])
	}
	for ; i < n; i++ {
		neu[i] += g * l2[i]
		l2[i] += g * l1[i]
	}
}

// axpy does y += a·x.
func axpy(a float32, x, y []float32) {
	if !hasSIMD {
		axpyGeneric(a, x, y)
		return
	}
	n := len(x)
	y = y[:n]
	av := archsimd.BroadcastFloat32x8(a)
	i := 0
	for ; i+8 <= n; i += 8 {
		av.MulAdd(archsimd.LoadFloat32x8Slice(x[i:]), archsimd.LoadFloat32x8Slice(y[i:])).StoreSlice(y[i:])
	}
	for ; i < n; i++ {
		y[i] += a * x[i]
	}
}

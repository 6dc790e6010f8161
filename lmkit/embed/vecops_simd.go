//go:build goexperiment.simd && amd64

package embed

import (
	"simd/archsimd"
	"unsafe"
)

// hasSIMD: AVX2 and FMA are there, so the loops below run 8 float32 lanes at a time.
var hasSIMD = archsimd.X86.AVX2() && archsimd.X86.FMA()

// setSIMD turns the SIMD kernels on or off (for benchmarks) and returns the old setting.
func setSIMD(on bool) bool {
	old := hasSIMD
	hasSIMD = on && archsimd.X86.AVX2() && archsimd.X86.FMA()
	return old
}

// The loops index through unsafe pointers: the lengths are checked once on entry, and a
// bounds check on every 8-float load would cost as much as the arithmetic (these loops are
// most of word2vec's training time).

// at returns the 8 floats of p starting at element i.
func at(p unsafe.Pointer, i int) *[8]float32 { return (*[8]float32)(unsafe.Add(p, 4*i)) }

// dot returns the dot product of a and b[:len(a)].
func dot(a, b []float32) float32 {
	if !hasSIMD {
		return dotGeneric(a, b)
	}
	n := len(a)
	b = b[:n]
	if n < 8 {
		return dotGeneric(a, b)
	}
	pa, pb := unsafe.Pointer(unsafe.SliceData(a)), unsafe.Pointer(unsafe.SliceData(b))
	var s0, s1 archsimd.Float32x8
	i := 0
	for ; i+16 <= n; i += 16 {
		s0 = archsimd.LoadFloat32x8Array(at(pa, i)).MulAdd(archsimd.LoadFloat32x8Array(at(pb, i)), s0)
		s1 = archsimd.LoadFloat32x8Array(at(pa, i+8)).MulAdd(archsimd.LoadFloat32x8Array(at(pb, i+8)), s1)
	}
	if i+8 <= n {
		s0 = archsimd.LoadFloat32x8Array(at(pa, i)).MulAdd(archsimd.LoadFloat32x8Array(at(pb, i)), s0)
		i += 8
	}
	s := s0.Add(s1)
	h := s.GetLo().Add(s.GetHi())
	h = h.ConcatAddPairs(h)
	h = h.ConcatAddPairs(h)
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
	p1, p2, pn := unsafe.Pointer(unsafe.SliceData(l1)), unsafe.Pointer(unsafe.SliceData(l2)), unsafe.Pointer(unsafe.SliceData(neu))
	gv := archsimd.BroadcastFloat32x8(g)
	i := 0
	for ; i+8 <= n; i += 8 {
		v2 := archsimd.LoadFloat32x8Array(at(p2, i))
		gv.MulAdd(v2, archsimd.LoadFloat32x8Array(at(pn, i))).StoreArray(at(pn, i))
		gv.MulAdd(archsimd.LoadFloat32x8Array(at(p1, i)), v2).StoreArray(at(p2, i))
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
	px, py := unsafe.Pointer(unsafe.SliceData(x)), unsafe.Pointer(unsafe.SliceData(y))
	av := archsimd.BroadcastFloat32x8(a)
	i := 0
	for ; i+8 <= n; i += 8 {
		av.MulAdd(archsimd.LoadFloat32x8Array(at(px, i)), archsimd.LoadFloat32x8Array(at(py, i))).StoreArray(at(py, i))
	}
	for ; i < n; i++ {
		y[i] += a * x[i]
	}
}

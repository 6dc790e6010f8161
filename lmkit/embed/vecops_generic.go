//go:build !(goexperiment.simd && amd64)

package embed

// hasSIMD is false: built without GOEXPERIMENT=simd, or not on amd64.
const hasSIMD = false

func dot(a, b []float32) float32              { return dotGeneric(a, b) }
func update(g float32, l1, l2, neu []float32) { updateGeneric(g, l1, l2, neu) }
func axpy(a float32, x, y []float32)          { axpyGeneric(a, x, y) }

// setSIMD has nothing to turn on in this build.
func setSIMD(bool) bool { return false }

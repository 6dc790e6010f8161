package embed

import (
	"context"
	"testing"
)

// BenchmarkKernels runs the SIMD kernels and the portable loops side by side on one 100-wide
// (104 padded) word2vec row; compare their ns/op.
func BenchmarkKernels(b *testing.B) {
	r := newRNG(1, 1)
	x, y, z := make([]float32, 104), make([]float32, 104), make([]float32, 104)
	for i := range x {
		x[i], y[i], z[i] = r.unitFloat(), r.unitFloat(), r.unitFloat()
	}
	var sink float32
	b.Run("dot/simd", func(b *testing.B) {
		for b.Loop() {
			sink += dot(x, y)
		}
	})
	b.Run("dot/generic", func(b *testing.B) {
		for b.Loop() {
			sink += dotGeneric(x, y)
		}
	})
	b.Run("update/simd", func(b *testing.B) {
		for b.Loop() {
			update(1e-9, x, y, z)
		}
	})
	b.Run("update/generic", func(b *testing.B) {
		for b.Loop() {
			updateGeneric(1e-9, x, y, z)
		}
	})
	_ = sink
}

// BenchmarkTrainNative trains one epoch of a planted-topic corpus with one goroutine, with
// the SIMD kernels and with the portable loops in turn (the same binary), and reports words/s.
func BenchmarkTrainNative(b *testing.B) {
	c, _ := NewCorpus(planted(20, 50, 20000, 10, 1), 1)
	cfg := Defaults()
	cfg.Workers, cfg.Epochs, cfg.MinCount = 1, 1, 1
	for _, simd := range []bool{true, false} {
		name := "generic"
		if simd {
			name = "simd"
			if !hasSIMD {
				continue
			}
		}
		b.Run(name, func(b *testing.B) {
			defer setSIMD(setSIMD(simd))
			for b.Loop() {
				_, st, err := Train(context.Background(), c, cfg)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(st.WordsPerSec, "words/s")
			}
		})
	}
}

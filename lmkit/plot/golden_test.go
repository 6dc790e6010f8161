package plot_test

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// Golden images: each Example writes testdata/<name>.png; TestGolden runs
// it again and compares the output with testdata/<name>_golden.png.
//
// After an intended change of the drawing, regenerate the golden files
// with
//
//	go test ./lmkit/plot/ -run TestGolden -regen   (or LMKIT_REGEN_GOLDEN=1)
//
// and look at them before committing: they are reviewed like code.
var regen = flag.Bool("regen", os.Getenv("LMKIT_REGEN_GOLDEN") != "", "regenerate golden images in testdata")

// Tolerance: a pixel differs if its YIQ colour distance exceeds
// pixelDelta (0 = identical, 1 = black vs. white); the images match if at
// most maxDiffering of the pixels differ. This absorbs anti-aliasing noise
// from other rasterizer versions, but not a moved line or changed text:
// boxes instead of Hangul change thousands of pixels.
const (
	pixelDelta   = 0.1
	maxDiffering = 0.001
)

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name    string
		example func()
	}{
		{"loss_curves", ExampleLossCurves},
		{"attention", ExampleAttention},
		{"attention_grid", ExampleAttentionGrid},
		{"embedding_map", ExampleEmbeddingMap},
		{"bars", ExampleBars},
		{"heatmap", ExampleHeatmap},
		{"live", ExampleLive},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join("testdata", tc.name+".png")
			golden := filepath.Join("testdata", tc.name+"_golden.png")
			os.Remove(out)
			runQuietly(t, tc.example)
			got, err := os.ReadFile(out)
			if err != nil {
				t.Fatalf("example did not write %s: %v", out, err)
			}
			if *regen {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("regenerated %s", golden)
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGolden -regen to create it)", err)
			}
			diff, frac, err := compareImages(got, want)
			if err != nil {
				t.Fatal(err)
			}
			if frac > maxDiffering {
				d := filepath.Join("testdata", tc.name+"_diff.png")
				writePNG(t, d, diff)
				t.Errorf("%s differs from %s in %.2f%% of pixels (limit %.2f%%); differences in red in %s. If the change is intended, rerun with -regen and review the new golden image.",
					out, golden, 100*frac, 100*maxDiffering, d)
			}
		})
	}
}

// runQuietly runs an example with its printed output (checked by go test
// when it runs the example itself) discarded.
func runQuietly(t *testing.T, example func()) {
	t.Helper()
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = null
	defer func() {
		os.Stdout = stdout
		null.Close()
	}()
	example()
}

// compareImages returns an image marking differing pixels in red, and the
// fraction of pixels that differ by more than pixelDelta.
func compareImages(a, b []byte) (diff *image.RGBA, frac float64, err error) {
	ia, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		return nil, 0, err
	}
	ib, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, 0, err
	}
	if ia.Bounds().Size() != ib.Bounds().Size() {
		return nil, 1, nil
	}
	ra, rb := toRGBA(ia), toRGBA(ib)
	bounds := ra.Bounds()
	diff = image.NewRGBA(bounds)
	n := 0
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			ca, cb := ra.RGBAAt(x, y), rb.RGBAAt(x, y)
			g := uint8((uint16(ca.R) + uint16(ca.G) + uint16(ca.B)) / 3)
			diff.SetRGBA(x, y, color.RGBA{R: g/4 + 191, G: g/4 + 191, B: g/4 + 191, A: 255})
			if yiqDistance(ca, cb) > pixelDelta {
				n++
				diff.SetRGBA(x, y, color.RGBA{R: 255, A: 255})
			}
		}
	}
	return diff, float64(n) / float64(bounds.Dx()*bounds.Dy()), nil
}

func toRGBA(img image.Image) *image.RGBA {
	if r, ok := img.(*image.RGBA); ok {
		return r
	}
	r := image.NewRGBA(img.Bounds())
	draw.Draw(r, r.Bounds(), img, img.Bounds().Min, draw.Src)
	return r
}

// yiqDistance is the perceptual colour distance used by gonum's cmpimg
// (Kotsarenko & Ramos), scaled to [0, 1].
func yiqDistance(c1, c2 color.RGBA) float64 {
	const maxDiff = 35215.0
	r1, g1, b1 := float64(c1.R), float64(c1.G), float64(c1.B)
	r2, g2, b2 := float64(c2.R), float64(c2.G), float64(c2.B)
	y := (r1-r2)*0.29889531 + (g1-g2)*0.58662247 + (b1-b2)*0.11448223
	i := (r1-r2)*0.59597799 - (g1-g2)*0.27417610 - (b1-b2)*0.32180189
	q := (r1-r2)*0.21147017 - (g1-g2)*0.52261711 + (b1-b2)*0.31114694
	d := (0.5053*y*y + 0.299*i*i + 0.1957*q*q) / maxDiff
	if d <= 0 {
		return 0
	}
	return math.Sqrt(d)
}

func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

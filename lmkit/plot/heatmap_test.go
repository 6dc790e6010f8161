package plot

import (
	"image/color"
	"testing"
)

// Row 0 is drawn at the top, in both the per-cell (small) and the image
// (large) drawing paths.
func TestHeatmapRowZeroAtTop(t *testing.T) {
	for _, n := range []int{4, 100} {
		m := make([][]float64, n)
		for r := range m {
			m[r] = make([]float64, n)
			if r < n/2 {
				for c := range m[r] {
					m[r][c] = 1
				}
			}
		}
		f, err := Heatmap(m, nil, nil, Axes{})
		if err != nil {
			t.Fatal(err)
		}
		img := decodePNG(t, f)
		b := img.Bounds()
		x := b.Min.X + b.Dx()*45/100
		top := color.RGBAModel.Convert(img.At(x, b.Min.Y+b.Dy()*30/100)).(color.RGBA)
		bottom := color.RGBAModel.Convert(img.At(x, b.Min.Y+b.Dy()*70/100)).(color.RGBA)
		cm := autoColormap(0, 1)
		high := color.RGBAModel.Convert(colorAt(cm, 1)).(color.RGBA)
		low := color.RGBAModel.Convert(colorAt(cm, 0)).(color.RGBA)
		if !near(top, high) || !near(bottom, low) {
			t.Errorf("%d×%d: top pixel %v, bottom pixel %v; want the high colour %v on top and the low colour %v below",
				n, n, top, bottom, high, low)
		}
	}
}

// near allows the palette's quantisation to 256 steps.
func near(a, b color.RGBA) bool {
	d := func(x, y uint8) bool { return x-y < 8 || y-x < 8 }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B)
}

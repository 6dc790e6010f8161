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
		if top != viridis[len(viridis)-1] || bottom != viridis[0] {
			t.Errorf("%d×%d: top pixel %v, bottom pixel %v; want the high colour %v on top and the low colour %v below",
				n, n, top, bottom, viridis[len(viridis)-1], viridis[0])
		}
	}
}

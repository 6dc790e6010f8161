package plot

import (
	"image/color"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// Text sizes, in points, used by every figure.
const (
	titleSize  = 13
	labelSize  = 11
	tickSize   = 9
	legendSize = 10
)

// colors is the qualitative palette used for curves, bars and clusters
// (Tableau 10). Series beyond the tenth reuse the colours with another dash
// pattern.
var colors = []color.Color{
	rgb(0x4E79A7), // blue
	rgb(0xF28E2B), // orange
	rgb(0xE15759), // red
	rgb(0x59A14F), // green
	rgb(0xB07AA1), // purple
	rgb(0x76B7B2), // teal
	rgb(0x9C755F), // brown
	rgb(0xFF9DA7), // pink
	rgb(0xBAB0AC), // grey
	rgb(0xEDC948), // yellow
}

// dashes are the line patterns cycled through after the colours run out,
// and used for the second split (val, test, ...) of a run.
var dashes = [][]vg.Length{
	nil,
	{vg.Points(6), vg.Points(3)},
	{vg.Points(1.5), vg.Points(2.5)},
	{vg.Points(8), vg.Points(3), vg.Points(1.5), vg.Points(3)},
}

var (
	gridColor = rgb(0xE4E4E4)
	inkColor  = color.Gray{Y: 0x30}
	noiseGrey = rgb(0x9A9A9A)
)

func rgb(v uint32) color.RGBA {
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xFF}
}

func seriesColor(i int) color.Color {
	if i < 0 {
		return noiseGrey
	}
	return colors[i%len(colors)]
}

// setText points a gonum text style at the package font.
func setText(s *text.Style, size float64) {
	s.Font = Font(vg.Points(size))
	s.Handler = TextHandler()
	if s.Color == nil {
		s.Color = color.Black
	}
}

// newPlot returns a gonum plot whose every text style uses the embedded
// NanumGothic face, so Hangul renders in titles, axes, ticks and legends.
func newPlot(title string) *gplot.Plot {
	p := gplot.New()
	p.TextHandler = TextHandler()
	p.Title.Text = title
	p.Title.Padding = vg.Points(6)
	setText(&p.Title.TextStyle, titleSize)
	for _, a := range []*gplot.Axis{&p.X, &p.Y} {
		setText(&a.Label.TextStyle, labelSize)
		setText(&a.Tick.Label, tickSize)
		a.Color = inkColor
		a.Tick.Color = inkColor
		a.Tick.Label.Color = inkColor
		a.Tick.Marker = niceTicks{}
	}
	setText(&p.Legend.TextStyle, legendSize)
	p.Legend.Top = true
	return p
}

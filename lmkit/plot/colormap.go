package plot

import (
	"image/color"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Colour maps come from gonum's palette/moreland (Moreland 2009, 2016): for values of both
// signs the smooth blue-red diverging map, centred on zero (white); for values that are not
// negative, Kindlmann's perceptually uniform map, reversed so that 0 is white and the largest
// value darkest.

// autoColormap picks the map for values in [lo, hi]: diverging and symmetric around zero when
// the values have both signs, else sequential from zero.
func autoColormap(lo, hi float64) palette.ColorMap {
	if lo < 0 && hi > 0 {
		m := math.Max(-lo, hi)
		d := moreland.SmoothBlueRed()
		d.SetMin(-m)
		d.SetMax(m)
		return d
	}
	if lo >= 0 {
		lo = 0 // sequential maps start at zero so colour means magnitude.
	}
	if hi <= lo {
		hi = lo + 1
	}
	cm := palette.Reverse(moreland.Kindlmann())
	cm.SetMin(lo)
	cm.SetMax(hi)
	return cm
}

// colorAt is cm's colour for v, clamped to its range.
func colorAt(cm palette.ColorMap, v float64) color.Color {
	c, err := cm.At(math.Max(cm.Min(), math.Min(cm.Max(), v)))
	if err != nil {
		return color.Gray{Y: 0x80}
	}
	return c
}

// colorBarWidth is the horizontal room a colour bar needs beside a plot.
func colorBarWidth(m palette.ColorMap) vg.Length {
	sty := barTickStyle()
	var w vg.Length
	for _, t := range (niceTicks{}).Ticks(m.Min(), m.Max()) {
		if t.Label != "" {
			w = max(w, sty.Width(t.Label))
		}
	}
	return vg.Points(8) + vg.Points(10) + vg.Points(3) + w + vg.Points(4)
}

func barTickStyle() text.Style {
	var s text.Style
	setText(&s, tickSize)
	s.Color = inkColor
	s.YAlign = draw.YCenter
	return s
}

// drawColorBar draws gonum's vertical colour bar for m spanning [bottom, top] at x, with tick
// labels on its right.
func drawColorBar(c draw.Canvas, m palette.ColorMap, x, bottom, top vg.Length) {
	barW := vg.Points(10)
	x += vg.Points(8)
	p := gplot.New()
	p.HideAxes()
	p.Add(&plotter.ColorBar{ColorMap: m, Vertical: true, Colors: 256})
	p.X.Min, p.X.Max = 0, 1
	p.Y.Min, p.Y.Max = m.Min(), m.Max()
	p.X.Padding, p.Y.Padding = 0, 0
	bar := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{Min: vg.Point{X: x, Y: bottom}, Max: vg.Point{X: x + barW, Y: top}}}
	p.Draw(bar)
	frame := draw.LineStyle{Color: inkColor, Width: vg.Points(0.5)}
	c.SetLineStyle(frame)
	c.Stroke(rectPath(x, bottom, x+barW, top))

	sty := barTickStyle()
	h := top - bottom
	for _, t := range (niceTicks{}).Ticks(m.Min(), m.Max()) {
		if t.Label == "" || t.Value < m.Min() || t.Value > m.Max() {
			continue
		}
		y := bottom + h*vg.Length((t.Value-m.Min())/(m.Max()-m.Min()))
		c.StrokeLine2(frame, x+barW, y, x+barW+vg.Points(3), y)
		c.FillText(sty, vg.Point{X: x + barW + vg.Points(4), Y: y}, t.Label)
	}
}

func rectPath(x0, y0, x1, y1 vg.Length) vg.Path {
	var p vg.Path
	p.Move(vg.Point{X: x0, Y: y0})
	p.Line(vg.Point{X: x1, Y: y0})
	p.Line(vg.Point{X: x1, Y: y1})
	p.Line(vg.Point{X: x0, Y: y1})
	p.Close()
	return p
}

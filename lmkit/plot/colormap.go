package plot

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// A colormap maps values in [min, max] to colours by linear interpolation
// between evenly spaced anchor colours.
type colormap struct {
	anchors  []color.RGBA
	min, max float64
}

// Anchor colours. viridis and blues are sequential (for values ≥ 0);
// redBlue is diverging, blue below zero and red above.
var (
	viridis = []color.RGBA{
		rgb(0x440154), rgb(0x482475), rgb(0x414487), rgb(0x355F8D), rgb(0x2A788E), rgb(0x21918C),
		rgb(0x22A884), rgb(0x44BF70), rgb(0x7AD151), rgb(0xBDDF26), rgb(0xFDE725),
	}
	blues = []color.RGBA{
		rgb(0xF7FBFF), rgb(0xDEEBF7), rgb(0xC6DBEF), rgb(0x9ECAE1), rgb(0x6BAED6),
		rgb(0x4292C6), rgb(0x2171B5), rgb(0x08519C), rgb(0x08306B),
	}
	redBlue = []color.RGBA{
		rgb(0x2166AC), rgb(0x4393C3), rgb(0x92C5DE), rgb(0xD1E5F0), rgb(0xF7F7F7),
		rgb(0xFDDBC7), rgb(0xF4A582), rgb(0xD6604D), rgb(0xB2182B),
	}
)

// autoColormap picks a palette for values in [lo, hi]: diverging and
// symmetric around zero when the values have both signs, else sequential.
func autoColormap(lo, hi float64, sequential []color.RGBA) colormap {
	if lo < 0 && hi > 0 {
		m := math.Max(-lo, hi)
		return colormap{anchors: redBlue, min: -m, max: m}
	}
	if lo >= 0 {
		lo = 0 // sequential maps start at zero so colour means magnitude.
	}
	if hi <= lo {
		hi = lo + 1
	}
	return colormap{anchors: sequential, min: lo, max: hi}
}

func (m colormap) at(v float64) color.RGBA {
	t := (v - m.min) / (m.max - m.min)
	t = math.Max(0, math.Min(1, t))
	n := len(m.anchors) - 1
	f := t * float64(n)
	i := int(f)
	if i >= n {
		return m.anchors[n]
	}
	a, b := m.anchors[i], m.anchors[i+1]
	w := f - float64(i)
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*(1-w) + float64(y)*w)) }
	return color.RGBA{R: mix(a.R, b.R), G: mix(a.G, b.G), B: mix(a.B, b.B), A: 0xFF}
}

// colorBarWidth is the horizontal room a colour bar needs beside a plot.
func colorBarWidth(m colormap) vg.Length {
	sty := barTickStyle()
	var w vg.Length
	for _, t := range (niceTicks{}).Ticks(m.min, m.max) {
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

// drawColorBar draws a vertical colour bar spanning [bottom, top] at x,
// with tick labels on its right.
func drawColorBar(c draw.Canvas, m colormap, x, bottom, top vg.Length) {
	const steps = 128
	barW := vg.Points(10)
	x += vg.Points(8)
	h := top - bottom
	for i := range steps {
		y0 := bottom + h*vg.Length(i)/steps
		y1 := bottom + h*vg.Length(i+1)/steps
		if i < steps-1 {
			y1 += vg.Points(0.3) // overlap the next strip to avoid seams.
		}
		v := m.min + (m.max-m.min)*(float64(i)+0.5)/steps
		c.SetColor(m.at(v))
		c.Fill(rectPath(x, y0, x+barW, y1))
	}
	frame := draw.LineStyle{Color: inkColor, Width: vg.Points(0.5)}
	c.SetLineStyle(frame)
	c.Stroke(rectPath(x, bottom, x+barW, top))

	sty := barTickStyle()
	for _, t := range (niceTicks{}).Ticks(m.min, m.max) {
		if t.Label == "" || t.Value < m.min || t.Value > m.max {
			continue
		}
		y := bottom + h*vg.Length((t.Value-m.min)/(m.max-m.min))
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

package plot

import (
	"image/color"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legendPlacer is added as the last plotter of a plot with a legend. When
// drawn (after the data, before gonum draws the legend) it moves the legend
// to the corner of the data area that covers the fewest data points and
// lines, and puts a translucent white box behind it so it stays readable
// where it does overlap.
type legendPlacer struct {
	lines  []plotter.XYs // polylines: consecutive points are joined.
	points []plotter.XYs // scattered points.
}

const legendInset = 4 // points between the legend and the data area's edge.

func (l *legendPlacer) Plot(c draw.Canvas, p *gplot.Plot) {
	size := p.Legend.Rectangle(c).Size()
	if size.X <= 0 || size.Y <= 0 {
		return
	}
	pad := vg.Points(3)
	inset := vg.Points(legendInset)
	tx, ty := p.Transforms(&c)
	samples := l.samples(tx, ty)

	type corner struct{ top, left bool }
	// Preference order on ties: top right, top left, bottom right, bottom left.
	corners := []corner{{true, false}, {true, true}, {false, false}, {false, true}}
	best, bestHits := corners[0], math.MaxInt
	var bestBox vg.Rectangle
	for _, k := range corners {
		var box vg.Rectangle
		if k.left {
			box.Min.X = c.Min.X + inset - pad
		} else {
			box.Min.X = c.Max.X - inset - size.X - pad
		}
		if k.top {
			box.Min.Y = c.Max.Y - inset - size.Y - pad
		} else {
			box.Min.Y = c.Min.Y + inset - pad
		}
		box.Max = box.Min.Add(vg.Point{X: size.X + 2*pad, Y: size.Y + 2*pad})
		hits := 0
		for _, s := range samples {
			if s.X >= box.Min.X && s.X <= box.Max.X && s.Y >= box.Min.Y && s.Y <= box.Max.Y {
				hits++
			}
		}
		if hits < bestHits {
			best, bestHits, bestBox = k, hits, box
		}
	}
	p.Legend.Top, p.Legend.Left = best.top, best.left
	p.Legend.XOffs = inset
	if !best.left {
		p.Legend.XOffs = -inset
	}
	p.Legend.YOffs = inset
	if best.top {
		p.Legend.YOffs = -inset
	}
	c.SetColor(color.NRGBA{R: 0xFF, G: 0xFF, B: 0xFF, A: 0xE0})
	c.Fill(rectPath(bestBox.Min.X, bestBox.Min.Y, bestBox.Max.X, bestBox.Max.Y))
}

// samples returns canvas points along all lines (every ~2 points of
// length) and at all scattered points.
func (l *legendPlacer) samples(tx, ty func(float64) vg.Length) []vg.Point {
	var out []vg.Point
	for _, xys := range l.points {
		for _, q := range xys {
			out = append(out, vg.Point{X: tx(q.X), Y: ty(q.Y)})
		}
	}
	for _, xys := range l.lines {
		for i, q := range xys {
			b := vg.Point{X: tx(q.X), Y: ty(q.Y)}
			if i == 0 {
				out = append(out, b)
				continue
			}
			a := vg.Point{X: tx(xys[i-1].X), Y: ty(xys[i-1].Y)}
			d := b.Sub(a)
			n := int(math.Ceil(math.Hypot(float64(d.X), float64(d.Y)) / 2))
			n = max(1, min(n, 200))
			for j := 1; j <= n; j++ {
				out = append(out, a.Add(d.Scale(vg.Length(j)/vg.Length(n))))
			}
		}
	}
	return out
}

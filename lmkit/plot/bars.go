package plot

import (
	"fmt"
	"math"
	"strconv"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Bars draws one bar per label with its value written above it (below it
// for negative values), for comparisons such as the validation loss of
// several models. a.Y names the value axis, which always includes zero.
// Labels that do not fit under their bar are rotated, then shrunk or thinned.
//
// It returns an error if labels and values differ in length, are empty, or
// a value is NaN or ±Inf.
func Bars(labels []string, values []float64, a Axes) (*Figure, error) {
	const fn = "Bars"
	if err := a.noLog(fn); err != nil {
		return nil, err
	}
	if err := a.checkRefs(fn); err != nil {
		return nil, err
	}
	if len(values) == 0 {
		return nil, fmt.Errorf("plot: %s: values is empty (pass at least one value)", fn)
	}
	if len(labels) != len(values) {
		return nil, fmt.Errorf("plot: %s: labels has %d entries but values has %d (pass one label per value)", fn, len(labels), len(values))
	}
	for i, v := range values {
		if !finite(v) {
			return nil, fmt.Errorf("plot: %s: values[%d] (%q) is %s (replace non-finite values before plotting)", fn, i, labels[i], nonFinite(v))
		}
	}
	if a.Colors != nil && len(a.Colors) != len(values) {
		return nil, fmt.Errorf("plot: %s: Axes.Colors has %d entries but values has %d (one group per bar, or nil for one colour)", fn, len(a.Colors), len(values))
	}
	for i, g := range a.Colors {
		if g < 0 {
			return nil, fmt.Errorf("plot: %s: Axes.Colors[%d] is %d; groups are numbered from 0", fn, i, g)
		}
	}
	vals := append(plotter.Values(nil), values...)
	names := append([]string(nil), labels...)
	return newFigure(func(c draw.Canvas, edit func(*gplot.Plot)) {
		p := newPlot("")
		a.apply(p, "", "")
		grid := plotter.NewGrid()
		grid.Vertical.Width = 0
		grid.Horizontal.Color = gridColor
		p.Add(grid)

		// one bar chart per bar, so that each can take its group's colour.
		var charts []*plotter.BarChart
		named := map[int]bool{}
		for i, v := range vals {
			bar, err := plotter.NewBarChart(plotter.Values{v}, vg.Points(10))
			if err != nil {
				panic(err) // unreachable: values were checked.
			}
			group := 0
			if a.Colors != nil {
				group = a.Colors[i]
			}
			bar.XMin, bar.Color, bar.LineStyle.Width = float64(i), seriesColor(group), 0
			p.Add(bar)
			charts = append(charts, bar)
			if a.Colors != nil && !named[group] {
				named[group] = true
				name := fmt.Sprintf("group %d", group)
				if group < len(a.Groups) && a.Groups[group] != "" {
					name = a.Groups[group]
				}
				p.Legend.Add(name, bar)
			}
		}
		p.Add(&barValues{values: vals})
		p.Y.Min, p.Y.Max = math.Min(p.Y.Min, 0), math.Max(p.Y.Max, 0)
		a.addRefs(p)
		if entries := len(a.Refs) + len(named); entries > 0 { // room above the tallest bar's label for the legend
			p.Legend.Top = true
			p.Y.Max += 0.12 * float64(entries+1) * (p.Y.Max - p.Y.Min)
		}
		p.X.Min, p.X.Max = -0.5, float64(len(vals))-0.5 // one equal slot per bar.
		x := categoryAxis{labels: names, pos: func(i int) float64 { return float64(i) }}
		setCategoryTicks(p, c, &x, nil)
		p.X.Padding = vg.Points(4)
		p.Y.Padding = 0
		dc := p.DataCanvas(c)
		for _, bar := range charts {
			bar.Width = (dc.Max.X - dc.Min.X) / vg.Length(len(vals)) * 0.7
		}
		edit(p)
		p.Draw(c)
	}), nil
}

// barValues writes each bar's value just past its end.
type barValues struct {
	values plotter.Values
}

func (b *barValues) style(v float64) text.Style {
	var s text.Style
	setText(&s, tickSize)
	s.Color = inkColor
	s.XAlign = draw.XCenter
	s.YAlign = draw.YBottom
	if v < 0 {
		s.YAlign = draw.YTop
	}
	return s
}

func formatValue(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }

func (b *barValues) Plot(c draw.Canvas, p *gplot.Plot) {
	tx, ty := p.Transforms(&c)
	for i, v := range b.values {
		off := vg.Points(2)
		if v < 0 {
			off = -off
		}
		c.FillText(b.style(v), vg.Point{X: tx(float64(i)), Y: ty(v) + off}, formatValue(v))
	}
}

// GlyphBoxes makes gonum leave room for the value texts.
func (b *barValues) GlyphBoxes(p *gplot.Plot) []gplot.GlyphBox {
	boxes := make([]gplot.GlyphBox, len(b.values))
	for i, v := range b.values {
		r := b.style(v).Rectangle(formatValue(v))
		if v < 0 {
			r.Min.Y -= vg.Points(2)
		} else {
			r.Max.Y += vg.Points(2)
		}
		boxes[i] = gplot.GlyphBox{X: p.X.Norm(float64(i)), Y: p.Y.Norm(v), Rectangle: r}
	}
	return boxes
}

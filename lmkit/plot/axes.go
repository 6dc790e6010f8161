package plot

import (
	"fmt"
	"image/color"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Axes are the words and scales around a figure's data: its title, the axis labels, and
// logarithmic axes. Empty labels take the figure's defaults ("step" and "loss" for
// LossCurves, "key" and "query" for Attention).
type Axes struct {
	Title string
	X, Y  string // axis labels
	// LogX and LogY draw an axis on a log scale (Lines, LossCurves), for quantities that
	// span orders of magnitude (the number of labels, a gradient's norm); every value on
	// such an axis must be positive.
	LogX, LogY bool
	// Refs are labelled horizontal reference lines (chance, a baseline, an earlier best),
	// drawn dashed across the plot (Lines, LossCurves, Bars).
	Refs []Ref
	// Groups names the clusters of EmbeddingMap in its legend: Groups[i] for cluster id i
	// (default "cluster i"), such as the cluster's most central members. For Bars it names
	// the colours of Colors.
	Groups []string
	// Colors gives Bars one colour per group: Colors[i] is bar i's group (0, 1, ...), named
	// in the legend by Groups (the models of a comparison, each over several settings).
	Colors []int
}

// A Ref is a horizontal reference line at Y, named in the legend.
type Ref struct {
	Label string
	Y     float64
}

// addRefs draws the reference lines on p and names them in its legend, widening the Y range
// to show them.
func (a Axes) addRefs(p *gplot.Plot) {
	for i, r := range a.Refs {
		l := plotter.NewFunction(func(float64) float64 { return r.Y })
		l.LineStyle = draw.LineStyle{Color: refColors[i%len(refColors)], Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
		p.Add(l)
		p.Legend.Add(r.Label, l)
		p.Y.Min, p.Y.Max = math.Min(p.Y.Min, r.Y), math.Max(p.Y.Max, r.Y)
	}
}

// refColors are muted, so reference lines read as context beside the data's colours.
var refColors = []color.Color{color.Gray{Y: 0x60}, color.RGBA{R: 0xA0, G: 0x52, B: 0x2D, A: 0xFF}, color.RGBA{R: 0x55, G: 0x6B, B: 0x2F, A: 0xFF}}

func (a Axes) checkRefs(fn string) error {
	for i, r := range a.Refs {
		if !finite(r.Y) {
			return fmt.Errorf("plot: %s: Axes.Refs[%d] (%q) is %s (a reference line needs a finite Y)", fn, i, r.Label, nonFinite(r.Y))
		}
		if a.LogY && r.Y <= 0 {
			return fmt.Errorf("plot: %s: Axes.Refs[%d] (%q) is %g on a log axis: it must be positive", fn, i, r.Label, r.Y)
		}
	}
	return nil
}

// apply writes the words and scales onto a gonum plot, with defX and defY for empty labels.
func (a Axes) apply(p *gplot.Plot, defX, defY string) {
	p.Title.Text = a.Title
	p.X.Label.Text = or(a.X, defX)
	p.Y.Label.Text = or(a.Y, defY)
	if a.LogX {
		p.X.Scale, p.X.Tick.Marker = gplot.LogScale{}, gplot.LogTicks{Prec: -1}
	}
	if a.LogY {
		p.Y.Scale, p.Y.Tick.Marker = gplot.LogScale{}, gplot.LogTicks{Prec: -1}
	}
}

// noLog refuses log axes where a figure cannot draw them.
func (a Axes) noLog(fn string) error {
	if a.LogX || a.LogY {
		return fmt.Errorf("plot: %s: Axes.LogX and Axes.LogY apply to Lines and LossCurves only", fn)
	}
	return nil
}

func or(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

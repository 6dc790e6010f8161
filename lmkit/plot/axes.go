package plot

import (
	"fmt"

	gplot "gonum.org/v1/plot"
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

package plot

import (
	"fmt"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// A Series is one curve: Y[i] measured at X[i], for example the validation loss of one run at
// each evaluation step. Split says which data a loss was measured on; the curves of one Label
// share a colour, training solid and validation dashed. Err, when set, is the spread of each
// point (a standard deviation over seeds, say), drawn as an error bar of ±Err[i].
type Series struct {
	Label string
	Split Split
	X, Y  []float64
	Err   []float64
}

// Split names the data a curve was measured on.
type Split string

const (
	Train      Split = "train"
	Validation Split = "val"
)

// name is the series' legend entry: its label and split.
func (s Series) name() string {
	switch {
	case s.Split == "":
		return s.Label
	case s.Label == "":
		return string(s.Split)
	}
	return s.Label + " " + string(s.Split)
}

// LossCurves draws loss against training step for one or more series, with a legend placed
// where it hides the least; the axes default to "step" and "loss".
//
// Colours and dashes: the series of one Label (a run) share a colour; within it the first
// split is solid and later ones are dashed, dotted, ... So mlp and rnn, each with a Train and
// a Validation series, draw two colours, each solid (train) and dashed (val).
//
// It returns an error if no series is given, a series is empty, X and Y differ in length, a
// value is NaN or ±Inf, or a value on a log axis is not positive.
func LossCurves(series []Series, a Axes) (*Figure, error) {
	return lines("LossCurves", series, a, "step", "loss")
}

// Lines is LossCurves for any Y against any X (loss against seconds, milliseconds per step
// against sequence length, accuracy against the number of labels on a log axis), styled and
// checked the same way.
func Lines(series []Series, a Axes) (*Figure, error) {
	return lines("Lines", series, a, "", "")
}

func lines(fn string, runs []Series, a Axes, defX, defY string) (*Figure, error) {
	if err := checkSeries(fn, runs, a); err != nil {
		return nil, err
	}
	return lossFigure(a, defX, defY, runs), nil
}

func checkSeries(fn string, runs []Series, a Axes) error {
	if len(runs) == 0 {
		return fmt.Errorf("plot: %s: no series (pass at least one Series{Label, Split, X, Y})", fn)
	}
	if err := a.checkRefs(fn); err != nil {
		return err
	}
	for i, s := range runs {
		name := fmt.Sprintf("series[%d] (%q)", i, s.name())
		if s.Err != nil && len(s.Err) != len(s.Y) {
			return fmt.Errorf("plot: %s: %s has %d Err values for %d points (one spread per point, or nil)", fn, name, len(s.Err), len(s.Y))
		}
		for j, e := range s.Err {
			if !finite(e) || e < 0 {
				return fmt.Errorf("plot: %s: %s Err[%d] is %g (a spread must be finite and not negative)", fn, name, j, e)
			}
		}
		if len(s.Y) == 0 {
			return fmt.Errorf("plot: %s: %s has no points (drop it, or add points before plotting)", fn, name)
		}
		if len(s.X) != len(s.Y) {
			return fmt.Errorf("plot: %s: %s has %d X values but %d Y values (X[i] must be the step of Y[i])", fn, name, len(s.X), len(s.Y))
		}
		for j := range s.Y {
			if !finite(s.X[j]) {
				return fmt.Errorf("plot: %s: %s X[%d] is %s (X values must be finite numbers)", fn, name, j, nonFinite(s.X[j]))
			}
			if !finite(s.Y[j]) {
				return fmt.Errorf("plot: %s: %s Y[%d] is %s at step %g (training diverged? drop non-finite points or lower the learning rate)", fn, name, j, nonFinite(s.Y[j]), s.X[j])
			}
			if a.LogX && s.X[j] <= 0 {
				return fmt.Errorf("plot: %s: %s X[%d] is %g on a log axis (Axes.LogX): every X must be positive", fn, name, j, s.X[j])
			}
			if a.LogY && s.Y[j] <= 0 {
				return fmt.Errorf("plot: %s: %s Y[%d] is %g on a log axis (Axes.LogY): every Y must be positive", fn, name, j, s.Y[j])
			}
		}
	}
	return nil
}

// lossFigure draws already checked series; empty series are skipped.
func lossFigure(a Axes, defX, defY string, runs []Series) *Figure {
	styles := seriesStyles(runs)
	xys := make([]plotter.XYs, len(runs))
	for i, s := range runs {
		xys[i] = make(plotter.XYs, len(s.Y))
		for j := range s.Y {
			xys[i][j] = plotter.XY{X: s.X[j], Y: s.Y[j]}
		}
	}
	return newFigure(func(c draw.Canvas, edit func(*gplot.Plot)) {
		p := newPlot("")
		a.apply(p, defX, defY)
		grid := plotter.NewGrid()
		grid.Vertical.Color, grid.Horizontal.Color = gridColor, gridColor
		p.Add(grid)
		placer := &legendPlacer{}
		for i, s := range runs {
			if len(xys[i]) == 0 {
				continue
			}
			l, err := plotter.NewLine(xys[i])
			if err != nil {
				panic(err) // unreachable: values were checked.
			}
			l.LineStyle = styles[i]
			p.Add(l)
			p.Legend.Add(s.name(), l)
			placer.lines = append(placer.lines, xys[i])
			if s.Err != nil {
				eb, err := plotter.NewYErrorBars(errorBars{xys[i], s.Err})
				if err == nil {
					eb.LineStyle = draw.LineStyle{Color: styles[i].Color, Width: vg.Points(1)}
					p.Add(eb)
				}
			}
			if len(xys[i]) == 1 { // a single evaluation: show it as a dot.
				sc, _ := plotter.NewScatter(xys[i])
				sc.GlyphStyle = draw.GlyphStyle{Color: styles[i].Color, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
				p.Add(sc)
			}
		}
		a.addRefs(p)
		p.Add(placer)
		edit(p)
		p.Draw(c)
	})
}

// seriesStyles assigns colours and dashes as documented on LossCurves.
func seriesStyles(runs []Series) []draw.LineStyle {
	runColor := map[string]int{}
	runSplits := map[string]int{}
	out := make([]draw.LineStyle, len(runs))
	next := 0
	for i, s := range runs {
		run := s.Label
		if s.Split == "" {
			run = fmt.Sprintf("\x00%d", i) // a curve of its own.
		}
		ci, ok := runColor[run]
		if !ok {
			ci = next
			runColor[run] = ci
			next++
		}
		dash := runSplits[run] + ci/len(colors)
		runSplits[run]++
		out[i] = draw.LineStyle{
			Color:  seriesColor(ci),
			Width:  vg.Points(1.5),
			Dashes: dashes[dash%len(dashes)],
		}
	}
	return out
}

// errorBars shows points with symmetric spreads to gonum's YErrorBars.
type errorBars struct {
	xy  plotter.XYs
	err []float64
}

func (e errorBars) Len() int                         { return len(e.xy) }
func (e errorBars) XY(i int) (float64, float64)      { return e.xy[i].X, e.xy[i].Y }
func (e errorBars) YError(i int) (low, high float64) { return e.err[i], e.err[i] }

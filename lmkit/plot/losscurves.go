package plot

import (
	"fmt"
	"strings"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// A Series is one named curve: Y[i] measured at X[i], for example the
// validation loss of one run at each evaluation step.
type Series struct {
	Label string
	X, Y  []float64
}

// splitSuffixes are the label endings that name a data split. Series whose
// labels differ only in such an ending ("bigram train", "bigram val") are
// one run: they share a colour and differ in dash pattern.
var splitSuffixes = []string{"train", "val", "valid", "validation", "dev", "eval", "test"}

// LossCurves draws loss against training step for one or more series, with
// a legend placed where it hides the least, axis labels "step" and "loss".
//
// Colours and dashes: series are grouped into runs by label, where a label
// ending in a split name (train, val, valid, validation, dev, eval, test,
// after a space, '/', '-', '_' or ':') belongs to the run named by the rest
// of the label. Each run gets its own colour; within a run the first split
// is solid and later ones are dashed, dotted, ... So "mlp train", "mlp val",
// "rnn train", "rnn val" draws two colours, each solid (train) and dashed (val).
// Labels without such an ending each get their own colour.
//
// It returns an error if no series is given, a series is empty, X and Y
// differ in length, or a value is NaN or ±Inf.
func LossCurves(title string, runs ...Series) (*Figure, error) {
	return lines("LossCurves", title, "step", "loss", runs)
}

// Lines is LossCurves with other axis labels: any Y against any X (loss against seconds,
// milliseconds per step against sequence length), styled and checked the same way.
func Lines(title, xLabel, yLabel string, runs ...Series) (*Figure, error) {
	return lines("Lines", title, xLabel, yLabel, runs)
}

func lines(fn, title, xLabel, yLabel string, runs []Series) (*Figure, error) {
	if len(runs) == 0 {
		return nil, fmt.Errorf("plot: %s: no series (pass at least one Series{Label, X, Y})", fn)
	}
	for i, s := range runs {
		name := fmt.Sprintf("runs[%d] (%q)", i, s.Label)
		if len(s.Y) == 0 {
			return nil, fmt.Errorf("plot: %s: %s has no points (drop it, or add points before plotting)", fn, name)
		}
		if len(s.X) != len(s.Y) {
			return nil, fmt.Errorf("plot: %s: %s has %d X values but %d Y values (X[i] must be the step of Y[i])", fn, name, len(s.X), len(s.Y))
		}
		for j := range s.Y {
			if !finite(s.X[j]) {
				return nil, fmt.Errorf("plot: %s: %s X[%d] is %s (X values must be finite numbers)", fn, name, j, nonFinite(s.X[j]))
			}
			if !finite(s.Y[j]) {
				return nil, fmt.Errorf("plot: %s: %s Y[%d] is %s at step %g (training diverged? drop non-finite points or lower the learning rate)", fn, name, j, nonFinite(s.Y[j]), s.X[j])
			}
		}
	}
	return lossFigure(title, xLabel, yLabel, runs), nil
}

// lossFigure draws already checked series; empty series are skipped.
func lossFigure(title, xLabel, yLabel string, runs []Series) *Figure {
	styles := seriesStyles(runs)
	xys := make([]plotter.XYs, len(runs))
	for i, s := range runs {
		xys[i] = make(plotter.XYs, len(s.Y))
		for j := range s.Y {
			xys[i][j] = plotter.XY{X: s.X[j], Y: s.Y[j]}
		}
	}
	return newFigure(func(c draw.Canvas) {
		p := newPlot(title)
		p.X.Label.Text = xLabel
		p.Y.Label.Text = yLabel
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
			p.Legend.Add(s.Label, l)
			placer.lines = append(placer.lines, xys[i])
			if len(xys[i]) == 1 { // a single evaluation: show it as a dot.
				sc, _ := plotter.NewScatter(xys[i])
				sc.GlyphStyle = draw.GlyphStyle{Color: styles[i].Color, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
				p.Add(sc)
			}
		}
		p.Add(placer)
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
		run, isSplit := runName(s.Label)
		if !isSplit {
			run = fmt.Sprintf("\x00%d", i) // a run of its own.
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

// runName splits "bigram val" into ("bigram", true).
func runName(label string) (string, bool) {
	l := strings.ToLower(strings.TrimSpace(label))
	for _, suf := range splitSuffixes {
		if !strings.HasSuffix(l, suf) {
			continue
		}
		rest := l[:len(l)-len(suf)]
		if rest == "" {
			return "", true
		}
		if strings.ContainsAny(rest[len(rest)-1:], " /-_:") {
			return strings.TrimRight(rest, " /-_:"), true
		}
	}
	return "", false
}

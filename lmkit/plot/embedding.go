package plot

import (
	"fmt"
	"slices"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// EmbeddingMap draws 2-D points (for example embeddings projected with PCA)
// with each point's label written beside it. clusters gives each point a
// cluster id that picks its colour, with a legend entry per cluster
// ("cluster 0", ...); negative ids are grey and listed last, -1 as "noise"
// (the DBSCAN convention). nil clusters draws every point in one colour,
// without a legend; nil labels draws unlabelled points.
//
// It returns an error if points is empty, labels or clusters do not have
// one entry per point, or a coordinate is NaN or ±Inf.
func EmbeddingMap(points [][2]float64, labels []string, clusters []int, a Axes) (*Figure, error) {
	const fn = "EmbeddingMap"
	if err := a.noLog(fn); err != nil {
		return nil, err
	}
	if len(points) == 0 {
		return nil, fmt.Errorf("plot: %s: points is empty (pass at least one point)", fn)
	}
	if labels != nil && len(labels) != len(points) {
		return nil, fmt.Errorf("plot: %s: labels has %d entries but points has %d (pass one label per point, or nil)", fn, len(labels), len(points))
	}
	if clusters != nil && len(clusters) != len(points) {
		return nil, fmt.Errorf("plot: %s: clusters has %d entries but points has %d (pass one cluster id per point, or nil for one colour)", fn, len(clusters), len(points))
	}
	for i, pt := range points {
		for d, v := range pt {
			if !finite(v) {
				return nil, fmt.Errorf("plot: %s: points[%d][%d] is %s (drop or fix non-finite points before plotting)", fn, i, d, nonFinite(v))
			}
		}
	}

	// Group points by cluster: ids in increasing order, noise (< 0) last.
	ids := []int{0}
	if clusters != nil {
		ids = slices.Compact(slices.Sorted(slices.Values(clusters)))
		noise, _ := slices.BinarySearch(ids, 0)
		ids = slices.Concat(ids[noise:], ids[:noise])
	}
	groups := map[int]plotter.XYs{}
	var all plotter.XYLabels
	for i, pt := range points {
		id := 0
		if clusters != nil {
			id = clusters[i]
		}
		xy := plotter.XY{X: pt[0], Y: pt[1]}
		groups[id] = append(groups[id], xy)
		if labels != nil {
			all.XYs = append(all.XYs, xy)
			all.Labels = append(all.Labels, labels[i])
		}
	}

	return newFigure(func(c draw.Canvas, edit func(*gplot.Plot)) {
		p := newPlot("")
		a.apply(p, "", "")
		grid := plotter.NewGrid()
		grid.Vertical.Color, grid.Horizontal.Color = gridColor, gridColor
		p.Add(grid)
		placer := &legendPlacer{}
		ci := 0
		for _, id := range ids {
			sc, err := plotter.NewScatter(groups[id])
			if err != nil {
				panic(err) // unreachable: values were checked.
			}
			color := seriesColor(-1) // grey for noise.
			if id >= 0 {
				color = seriesColor(ci)
				ci++
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: color, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
			p.Add(sc)
			if len(ids) > 1 {
				name := fmt.Sprintf("cluster %d", id)
				switch {
				case id == -1:
					name = "noise"
				case id < len(a.Groups) && a.Groups[id] != "":
					name = a.Groups[id]
				}
				p.Legend.Add(name, sc)
			}
			placer.points = append(placer.points, groups[id])
		}
		if labels != nil {
			l, err := plotter.NewLabels(all)
			if err != nil {
				panic(err) // unreachable: lengths were checked.
			}
			for i := range l.TextStyle {
				setText(&l.TextStyle[i], tickSize)
				l.TextStyle[i].YAlign = draw.YCenter
			}
			l.Offset = vg.Point{X: vg.Points(5)}
			p.Add(l)
			// Label texts count as obstacles for the legend too.
			placer.points = append(placer.points, labelSamples(all))
		}
		if len(ids) > 1 {
			p.Add(placer)
		}
		edit(p)
		p.Draw(c)
	}), nil
}

// labelSamples returns a few points along the right of each labelled
// point, where its text is drawn (in data units this is only a rough guess,
// good enough to keep the legend off most labels).
func labelSamples(l plotter.XYLabels) plotter.XYs {
	if len(l.XYs) == 0 {
		return nil
	}
	xmin, xmax, _, _ := plotter.XYRange(l.XYs)
	span := (xmax - xmin) * 0.08
	var out plotter.XYs
	for _, xy := range l.XYs {
		for j := 1; j <= 3; j++ {
			out = append(out, plotter.XY{X: xy.X + span*float64(j)/3, Y: xy.Y})
		}
	}
	return out
}

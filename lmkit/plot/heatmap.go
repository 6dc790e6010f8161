package plot

import (
	"image/color"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Heatmap draws a matrix as coloured cells, row 0 at the top, with a colour
// bar. rowLabels and colLabels name the rows and columns (nil numbers them;
// labels are shown as tokens, see TokenLabel). It is gonum's plotter.HeatMap
// with a plotter.ColorBar: values with both signs get moreland's smooth
// blue-red map centred on zero (white); non-negative values get Kindlmann's
// map reversed, white at zero.
//
// A typical use is hidden states: one row per hidden unit, one column per
// input character.
//
// It returns an error if values is empty or ragged, holds NaN or ±Inf, or
// a label slice does not match its dimension.
func Heatmap(values [][]float64, rowLabels, colLabels []string, a Axes) (*Figure, error) {
	const fn = "Heatmap"
	if err := a.noLog(fn); err != nil {
		return nil, err
	}
	m, rows, cols, err := checkMatrix(fn, "values", values)
	if err != nil {
		return nil, err
	}
	if err := checkLabels(fn, "rowLabels", rowLabels, rows, "values", "row"); err != nil {
		return nil, err
	}
	if err := checkLabels(fn, "colLabels", colLabels, cols, "values", "column"); err != nil {
		return nil, err
	}
	lo, hi := valueRange(m)
	h := heatPanel{values: m, title: a.Title, xLabel: a.X, yLabel: a.Y, cmap: autoColormap(lo, hi)}
	h.rows, h.rowsNumbered = categoryLabels(rowLabels, rows, true)
	h.cols, h.colsNumbered = categoryLabels(colLabels, cols, true)
	return newFigure(func(c draw.Canvas, edit func(*gplot.Plot)) { h.drawWithBar(c, edit) }), nil
}

// heatPanel is one heatmap with its labels; Heatmap, Attention and
// AttentionGrid are all drawn from it.
type heatPanel struct {
	values                     [][]float64
	rows, cols                 []string
	rowsNumbered, colsNumbered bool
	title, xLabel, yLabel      string
	titleSize                  float64 // points; 0 means the default.
	cmap                       palette.ColorMap
}

// drawWithBar draws the panel with its colour bar on the right.
func (h heatPanel) drawWithBar(c draw.Canvas, edit func(*gplot.Plot)) {
	barW := colorBarWidth(h.cmap)
	main := draw.Crop(c, 0, -barW, 0, 0)
	dc := h.draw(main, edit)
	drawColorBar(c, h.cmap, dc.Max.X, dc.Min.Y, dc.Max.Y)
}

// draw draws the panel on c and returns the canvas of its cells.
func (h heatPanel) draw(c draw.Canvas, edit func(*gplot.Plot)) draw.Canvas {
	p := newPlot(h.title)
	if h.titleSize > 0 {
		setText(&p.Title.TextStyle, h.titleSize)
	}
	p.X.Label.Text = h.xLabel
	p.Y.Label.Text = h.yLabel
	p.Add(heatCells(h.values, h.cmap))
	x := categoryAxis{labels: h.cols, numbered: h.colsNumbered, pos: func(i int) float64 { return float64(i) }}
	n := len(h.rows)
	y := categoryAxis{labels: h.rows, numbered: h.rowsNumbered, pos: func(i int) float64 { return float64(n - 1 - i) }}
	setCategoryTicks(p, c, &x, &y)
	edit(p)
	p.Draw(c)
	return p.DataCanvas(c)
}

// grid shows a matrix to gonum's plotter.HeatMap with row 0 at the top: cell (r, c) is
// centred on (c, rows-1-r), so category ticks can place labels at whole numbers.
type grid [][]float64

func (g grid) Dims() (c, r int)   { return len(g[0]), len(g) }
func (g grid) Z(c, r int) float64 { return g[len(g)-1-r][c] }
func (g grid) X(c int) float64    { return float64(c) }
func (g grid) Y(r int) float64    { return float64(r) }

// maxVectorCells is the largest matrix drawn as one rectangle per cell; larger ones are drawn
// as an image, which is much faster and keeps SVG files small.
const maxVectorCells = 64 * 64

// heatCells is gonum's HeatMap over the matrix, in the colour map's range, framed.
func heatCells(values [][]float64, cm palette.ColorMap) gplot.Plotter {
	h := plotter.NewHeatMap(grid(values), cm.Palette(256))
	h.Min, h.Max = cm.Min(), cm.Max()
	h.Underflow, h.Overflow = colorAt(cm, cm.Min()), colorAt(cm, cm.Max())
	h.Rasterized = len(values)*len(values[0]) > maxVectorCells
	return framed{h}
}

// framed outlines a plotter's data range in grey.
type framed struct{ *plotter.HeatMap }

func (f framed) Plot(c draw.Canvas, p *gplot.Plot) {
	f.HeatMap.Plot(c, p)
	tx, ty := p.Transforms(&c)
	x0, x1, y0, y1 := f.HeatMap.DataRange()
	c.SetLineStyle(draw.LineStyle{Color: color.Gray{Y: 0x80}, Width: vg.Points(0.5)})
	c.Stroke(rectPath(tx(x0), ty(y0), tx(x1), ty(y1)))
}

package plot

import (
	"image"
	"image/color"
	stddraw "image/draw"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Heatmap draws a matrix as coloured cells, row 0 at the top, with a colour
// bar. rowLabels and colLabels name the rows and columns (nil numbers them;
// labels are shown as tokens, see TokenLabel). Values with both signs get a
// diverging blue–white–red palette centred on zero; non-negative values get
// viridis starting at zero.
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
	h := heatPanel{values: m, title: a.Title, xLabel: a.X, yLabel: a.Y, cmap: autoColormap(lo, hi, viridis)}
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
	cmap                       colormap
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
	p.Add(&cells{values: h.values, cmap: h.cmap})
	x := categoryAxis{labels: h.cols, numbered: h.colsNumbered, pos: func(i int) float64 { return float64(i) }}
	n := len(h.rows)
	y := categoryAxis{labels: h.rows, numbered: h.rowsNumbered, pos: func(i int) float64 { return float64(n - 1 - i) }}
	setCategoryTicks(p, c, &x, &y)
	edit(p)
	p.Draw(c)
	return p.DataCanvas(c)
}

// cells is a gonum plotter drawing a matrix with row 0 at the top, cell
// (r, c) centred on (c, rows-1-r).
type cells struct {
	values [][]float64
	cmap   colormap
}

func (m *cells) DataRange() (xmin, xmax, ymin, ymax float64) {
	return -0.5, float64(len(m.values[0])) - 0.5, -0.5, float64(len(m.values)) - 0.5
}

// maxVectorCells is the largest matrix drawn as one rectangle per cell;
// larger ones are drawn as an image, which is much faster and keeps SVG
// files small.
const maxVectorCells = 64 * 64

func (m *cells) Plot(c draw.Canvas, p *gplot.Plot) {
	tx, ty := p.Transforms(&c)
	rows, cols := len(m.values), len(m.values[0])
	defer func() {
		c.SetLineStyle(draw.LineStyle{Color: color.Gray{Y: 0x80}, Width: vg.Points(0.5)})
		c.Stroke(rectPath(tx(-0.5), ty(-0.5), tx(float64(cols)-0.5), ty(float64(rows)-0.5)))
	}()
	if rows*cols > maxVectorCells {
		m.plotImage(c, tx, ty)
		return
	}
	// Cells are drawn bottom-up and left to right, each slightly overlapping
	// its right and upper neighbours (which are drawn later and cover the
	// overlap), so anti-aliasing leaves no seams between cells.
	overlap := vg.Points(0.4)
	for r := rows - 1; r >= 0; r-- {
		yc := float64(rows - 1 - r)
		for col := range cols {
			x0, x1 := tx(float64(col)-0.5), tx(float64(col)+0.5)
			y0, y1 := ty(yc-0.5), ty(yc+0.5)
			if col < cols-1 {
				x1 += overlap
			}
			if r > 0 {
				y1 += overlap
			}
			c.SetColor(m.cmap.at(m.values[r][col]))
			c.Fill(rectPath(x0, y0, x1, y1))
		}
	}
}

// plotImage draws the matrix as an image with each cell a block of
// pixels, about two pixels per point of the cell area, so that scaling the
// image to the canvas keeps cell edges sharp.
func (m *cells) plotImage(c draw.Canvas, tx, ty func(float64) vg.Length) {
	rows, cols := len(m.values), len(m.values[0])
	rect := vg.Rectangle{
		Min: vg.Point{X: tx(-0.5), Y: ty(-0.5)},
		Max: vg.Point{X: tx(float64(cols) - 0.5), Y: ty(float64(rows) - 0.5)},
	}
	scale := func(n int, size vg.Length) int {
		return max(1, min(int(math.Ceil(2*float64(size)/float64(n))), 4096/n))
	}
	sx, sy := scale(cols, rect.Max.X-rect.Min.X), scale(rows, rect.Max.Y-rect.Min.Y)
	img := image.NewRGBA(image.Rect(0, 0, cols*sx, rows*sy))
	for r, row := range m.values { // image row 0 is the top, like matrix row 0.
		for col, v := range row {
			cell := image.Rect(col*sx, r*sy, (col+1)*sx, (r+1)*sy)
			stddraw.Draw(img, cell, image.NewUniform(m.cmap.at(v)), image.Point{}, stddraw.Src)
		}
	}
	c.DrawImage(rect, img)
}

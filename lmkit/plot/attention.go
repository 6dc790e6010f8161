package plot

import (
	"fmt"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Attention draws one attention map: weights[q][k] is how much query
// position q attends to key position k. Queries are rows (row 0 at the top,
// rowTokens on the left), keys are columns (colTokens along the bottom).
// Tokens are shown through TokenLabel; nil token slices number the
// positions. The colour map (gonum's moreland.Kindlmann, reversed) runs from
// white at 0 to black at the largest weight, with a colour bar; if some
// weights are negative (raw scores rather than softmax output) it is
// moreland's smooth blue-red, diverging around zero, instead.
//
// It returns an error if weights is empty or ragged, holds NaN or ±Inf, or
// the token counts do not match its dimensions.
func Attention(weights [][]float64, rowTokens, colTokens []string, a Axes) (*Figure, error) {
	const fn = "Attention"
	if err := a.noLog(fn); err != nil {
		return nil, err
	}
	m, rows, cols, err := checkMatrix(fn, "weights", weights)
	if err != nil {
		return nil, err
	}
	if err := checkLabels(fn, "rowTokens", rowTokens, rows, "weights", "query row"); err != nil {
		return nil, err
	}
	if err := checkLabels(fn, "colTokens", colTokens, cols, "weights", "key column"); err != nil {
		return nil, err
	}
	lo, hi := valueRange(m)
	h := heatPanel{values: m, title: a.Title, xLabel: or(a.X, "key"), yLabel: or(a.Y, "query"), cmap: autoColormap(lo, hi)}
	h.rows, h.rowsNumbered = categoryLabels(rowTokens, rows, true)
	h.cols, h.colsNumbered = categoryLabels(colTokens, cols, true)
	return newFigure(func(c draw.Canvas, edit func(*gplot.Plot)) { h.drawWithBar(c, edit) }), nil
}

// AttentionGrid draws several attention maps (for example the heads of one
// layer) in a grid with cols columns (cols ≤ 0 picks up to 4), sharing one
// colour scale and one colour bar so the heads can be compared. Each map is
// drawn as in Attention: queries are rows, keys are columns. tokens labels
// both axes of every map (nil numbers them); titles names the maps (nil
// gives "head 0", "head 1", ...). The default size grows with the grid.
//
// It returns an error if maps is empty, a map is empty, ragged or holds
// NaN or ±Inf, tokens does not match a map's dimensions, or titles does not
// have one entry per map.
func AttentionGrid(maps [][][]float64, tokens []string, titles []string, cols int) (*Figure, error) {
	const fn = "AttentionGrid"
	if len(maps) == 0 {
		return nil, fmt.Errorf("plot: %s: maps is empty (pass at least one attention map)", fn)
	}
	if titles != nil && len(titles) != len(maps) {
		return nil, fmt.Errorf("plot: %s: titles has %d entries but maps has %d maps (pass one title per map, or nil for \"head 0\", \"head 1\", ...)", fn, len(titles), len(maps))
	}
	panels := make([]heatPanel, len(maps))
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, w := range maps {
		name := fmt.Sprintf("maps[%d]", i)
		m, rows, nc, err := checkMatrix(fn, name, w)
		if err != nil {
			return nil, err
		}
		if tokens != nil && (rows != len(tokens) || nc != len(tokens)) {
			return nil, fmt.Errorf("plot: %s: tokens has %d labels but %s is %d×%d (every map must be len(tokens)×len(tokens), or pass nil tokens to number the positions)", fn, len(tokens), name, rows, nc)
		}
		l, h := valueRange(m)
		lo, hi = math.Min(lo, l), math.Max(hi, h)
		title := fmt.Sprintf("head %d", i)
		if titles != nil {
			title = titles[i]
		}
		panels[i] = heatPanel{values: m, title: title, titleSize: labelSize, xLabel: "key", yLabel: "query"}
		panels[i].rows, panels[i].rowsNumbered = categoryLabels(tokens, rows, true)
		panels[i].cols, panels[i].colsNumbered = categoryLabels(tokens, nc, true)
	}
	cmap := autoColormap(lo, hi)
	for i := range panels {
		panels[i].cmap = cmap
	}
	if cols <= 0 {
		cols = min(len(maps), 4)
	}
	cols = min(cols, len(maps))
	rows := (len(maps) + cols - 1) / cols

	f := newFigure(func(c draw.Canvas, edit func(*gplot.Plot)) {
		barW := colorBarWidth(cmap)
		tiles := draw.Tiles{
			Rows: rows, Cols: cols,
			PadX: vg.Points(8), PadY: vg.Points(8),
			PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4),
		}
		grid := draw.Crop(c, 0, -barW, 0, 0)
		top, bottom, right := c.Min.Y, c.Max.Y, c.Min.X
		for i, h := range panels {
			dc := h.draw(tiles.At(grid, i%cols, i/cols), edit)
			top, bottom, right = max(top, dc.Max.Y), min(bottom, dc.Min.Y), max(right, dc.Max.X)
		}
		drawColorBar(c, cmap, right, bottom, top)
	})
	return f.Size(5.5*float64(cols)+2, 5.5*float64(rows)), nil
}

// Package plot draws the lab's pictures: loss curves, attention maps,
// embedding maps, bar charts and heatmaps, plus a live training view for
// GoNB notebooks. It is built on gonum.org/v1/plot.
//
// # Figures
//
// Every constructor takes its data first and an Axes value for its words (title, axis
// labels) and scales (log axes), and returns (*Figure, error):
//
//	LossCurves(series, Axes{Title: ...})             loss against step; a Series says its Split
//	Lines(series, Axes{X: ..., Y: ..., LogX: true})  any Y against any X, on linear or log axes
//	Attention(weights, rowTokens, colTokens, Axes{})  one attention map, queries as rows
//	AttentionGrid(maps, tokens, titles, cols)         several heads on one colour scale
//	EmbeddingMap(points, labels, clusters, Axes{})    labelled 2-D scatter, coloured by cluster
//	Bars(labels, values, Axes{Y: ...})                one bar per label, values written on top
//	Heatmap(values, rowLabels, colLabels, Axes{})     any matrix, e.g. hidden units × characters
//
// Axes.Refs adds labelled reference lines (chance, a baseline) to Lines, LossCurves and Bars;
// Series.Err draws a spread (over seeds, say) as error bars.
//
// Figure.Edit reaches the gonum *plot.Plot behind a figure (each panel's, for a grid) for
// anything these helpers do not do: a reference line, another scale, an annotation.
//
// The error is non-nil exactly when the input is inconsistent: an empty or
// ragged matrix, a label slice whose length does not match its dimension,
// X and Y of different lengths, or a NaN or ±Inf value. Constructors never
// panic on bad input. Errors read
//
//	plot: <Constructor>: <parameter and index> <problem> (<how to fix it>)
//
// for example "plot: Attention: rowTokens has 3 labels but weights has 9
// query rows (pass one label per query row, or nil to number them)". In a
// notebook cell, Must turns the error into a panic:
//
//	plot.Must(plot.Bars(names, losses, plot.Axes{Title: "validation loss", Y: "nats"})).Display()
//
// A Figure renders lazily, at any size: PNG and SVG return bytes, SavePNG
// and SaveSVG write files, Display shows the figure inline in GoNB (and does
// nothing elsewhere). Size and DPI set the defaults (16 × 10 cm, 96 dpi).
//
// # Text
//
// All text is drawn with NanumGothic Regular, embedded in the package
// (fonts/NanumGothic.ttf, SIL Open Font License 1.1), so Hangul and Latin
// labels render the same on every machine, with no system fonts needed.
// Tokens on attention and heatmap axes go through TokenLabel, which makes
// spaces, newlines and characters outside the font visible instead of
// blank or boxed. UseAsGonumDefault makes the font gonum/plot's default
// too, for plots built with gonum/plot directly.
//
// # Tests
//
// Each figure has an Example that writes testdata/<name>.png; TestGolden
// compares it, with a small tolerance, against testdata/<name>_golden.png.
// After an intended change, regenerate and review the golden images:
//
//	go test ./lmkit/plot/ -run TestGolden -regen
//
// The Hangul tests fail if syllables render as identical boxes.
package plot

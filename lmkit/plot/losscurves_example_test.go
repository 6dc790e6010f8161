package plot_test

import (
	"log"

	"github.com/llm-map/lab/lmkit/plot"
)

// Two runs, each with a training and a validation curve. Labels ending in
// The series of one label group a run: one colour per run, solid for its
// training split, dashed for validation.
func ExampleLossCurves() {
	bx, by := lossCurve(61, 50, 4.2, 2.45, 300, 0.04)
	vx, vy := lossCurve(13, 250, 4.2, 2.5, 300, 0)
	tx, ty := lossCurve(61, 50, 4.3, 1.35, 700, 0.06)
	wx, wy := lossCurve(13, 250, 4.3, 1.55, 700, 0)

	f, err := plot.LossCurves([]plot.Series{
		{Label: "bigram", Split: plot.Train, X: bx, Y: by},
		{Label: "bigram", Split: plot.Validation, X: vx, Y: vy},
		{Label: "transformer", Split: plot.Train, X: tx, Y: ty},
		{Label: "transformer", Split: plot.Validation, X: wx, Y: wy},
	}, plot.Axes{Title: "bigram vs. transformer (손실)"})
	if err != nil {
		log.Fatal(err)
	}
	if err := f.SavePNG("testdata/loss_curves.png", 16, 10); err != nil {
		log.Fatal(err)
	}
	// Output:
}

package plot_test

import (
	"log"

	"github.com/llm-map/lab/lmkit/plot"
)

// Two runs, each with a training and a validation curve. Labels ending in
// "train" and "val" group a run: one colour per run, solid for train,
// dashed for val.
func ExampleLossCurves() {
	bx, by := lossCurve(61, 50, 4.2, 2.45, 300, 0.04)
	vx, vy := lossCurve(13, 250, 4.2, 2.5, 300, 0)
	tx, ty := lossCurve(61, 50, 4.3, 1.35, 700, 0.06)
	wx, wy := lossCurve(13, 250, 4.3, 1.55, 700, 0)

	f, err := plot.LossCurves("bigram vs. transformer (손실)",
		plot.Series{Label: "bigram train", X: bx, Y: by},
		plot.Series{Label: "bigram val", X: vx, Y: vy},
		plot.Series{Label: "transformer train", X: tx, Y: ty},
		plot.Series{Label: "transformer val", X: wx, Y: wy},
	)
	if err != nil {
		log.Fatal(err)
	}
	if err := f.SavePNG("testdata/loss_curves.png", 16, 10); err != nil {
		log.Fatal(err)
	}
	// Output:
}

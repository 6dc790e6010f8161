package plot_test

import (
	"log"

	"github.com/llm-map/lab/lmkit/plot"
)

// Validation loss of each rung of the model ladder.
func ExampleBars() {
	models := []string{"bigram", "MLP", "RNN", "GRU", "트랜스포머"}
	loss := []float64{2.48, 2.12, 1.96, 1.81, 1.52}

	f, err := plot.Bars(models, loss, plot.Axes{Title: "검증 손실 (validation loss)", Y: "loss (nats/char)"})
	if err != nil {
		log.Fatal(err)
	}
	if err := f.SavePNG("testdata/bars.png", 14, 9); err != nil {
		log.Fatal(err)
	}
	// Output:
}

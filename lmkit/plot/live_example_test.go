package plot_test

import (
	"fmt"
	"log"
	"math"

	"github.com/llm-map/lab/lmkit/plot"
)

// A live training view. In a GoNB notebook each Add may redraw one output
// block in place (at most once per Every) with the curves and a progress
// line; Done draws the final state. Elsewhere it only keeps the data.
func ExampleLive() {
	live := plot.NewLive("bigram 학습")
	live.TotalSteps = 600
	live.TokensPerStep = 32 * 64 // batch × context
	for step := range live.TotalSteps {
		loss := 2.45 + 1.8*math.Exp(-float64(step)/90) + 0.05*math.Sin(float64(step)/3)
		live.Add("train", float64(step), loss)
		if step%100 == 99 {
			live.Add("val", float64(step), 2.5+1.8*math.Exp(-float64(step)/90))
		}
	}
	live.Done()

	for _, s := range live.Series() {
		fmt.Println(s.Split, len(s.Y), "points")
	}
	if err := live.Figure().SavePNG("testdata/live.png", 16, 9); err != nil {
		log.Fatal(err)
	}
	// Output:
	// train 600 points
	// val 6 points
}

package plot_test

import (
	"log"
	"math"

	"github.com/llm-map/lab/lmkit/plot"
)

// Hidden states of a character RNN: one row per hidden unit, one column per
// input character. Signed values get a palette centred on zero.
func ExampleHeatmap() {
	text := []string{"강", "아", "지", " ", "고", "양", "이", "\n", "c", "a", "t", "."}
	const units = 24
	h := make([][]float64, units)
	for u := range h {
		h[u] = make([]float64, len(text))
		for t := range text {
			h[u][t] = math.Tanh(2 * math.Sin(0.7*float64(u)+0.45*float64(t*(u%5+1))))
		}
	}
	f, err := plot.Heatmap(h, nil, text, plot.Axes{Title: "RNN hidden state (은닉 상태)"})
	if err != nil {
		log.Fatal(err)
	}
	if err := f.SavePNG("testdata/heatmap.png", 14, 12); err != nil {
		log.Fatal(err)
	}
	// Output:
}

package plot_test

import (
	"fmt"
	"log"

	"github.com/llm-map/lab/lmkit/plot"
)

// One attention head: each query row spreads its weight over the keys
// before it (causal attention). Space and newline tokens stay visible.
func ExampleAttention() {
	tokens := []string{"<s>", "고양이", "가", " 의자", " 위", "에서", " 잔다", ".", "\n"}
	w := causalAttention(len(tokens), previousToken)

	f, err := plot.Attention(w, tokens, tokens, plot.Axes{Title: "layer 0, head 1: previous token"})
	if err != nil {
		log.Fatal(err)
	}
	if err := f.SavePNG("testdata/attention.png", 14, 11); err != nil {
		log.Fatal(err)
	}

	// Inconsistent input is an error, not a panic.
	_, err = plot.Attention(w, tokens[:3], tokens, plot.Axes{})
	fmt.Println(err)
	// Output:
	// plot: Attention: rowTokens has 3 labels but weights has 9 query rows (pass one label per query row, or nil to number them)
}

// The heads of one layer side by side, on one colour scale.
func ExampleAttentionGrid() {
	tokens := []string{"<s>", "the", " cat", " sat", " on", " the", " mat", "."}
	n := len(tokens)
	maps := [][][]float64{
		causalAttention(n, previousToken),
		causalAttention(n, firstToken),
		causalAttention(n, selfToken),
		causalAttention(n, uniform),
	}
	titles := []string{"이전 토큰 (previous)", "first token", "self", "uniform"}

	f, err := plot.AttentionGrid(maps, tokens, titles, 2)
	if err != nil {
		log.Fatal(err)
	}
	if err := f.SavePNG("testdata/attention_grid.png", 0, 0); err != nil {
		log.Fatal(err)
	}
	// Output:
}

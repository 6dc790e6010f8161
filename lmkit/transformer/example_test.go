package transformer_test

import (
	"fmt"
	"log"

	"github.com/gomlx/gomlx/ml/model"

	"github.com/llm-map/lab/lmkit/backend"
	"github.com/llm-map/lab/lmkit/transformer"
)

// The presets are nanoGPT's configurations; a width that heads cannot share is an error that
// says what to pick instead.
func ExampleNew() {
	m, err := transformer.New(transformer.BabyGPT(65))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m)
	c := transformer.BabyGPT(65)
	c.Dim = 130
	_, err = transformer.New(c)
	fmt.Println(err)
	// Output:
	// gpt: 4 layers, 4 heads, width 128, context 64, vocabulary 65, learned positions
	// transformer: Config.Dim 130 is not divisible by Config.Heads 4: each head gets Dim/Heads features; pick Config.Dim a multiple of Config.Heads (e.g. Config.Dim 132)
}

// Attention weights of every layer and head: rows sum to 1 and a query never reads a later
// key (the causal mask).
func ExampleAttentionWeights() {
	m, err := transformer.New(transformer.Config{Vocab: 10, Context: 8, Layers: 2, Heads: 2, Dim: 8})
	if err != nil {
		log.Fatal(err)
	}
	w, err := transformer.AttentionWeights(backend.MustDefault(), model.NewStore(), m, []int{1, 2, 3})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d layers, %d heads, %d×%d\n", len(w), len(w[0]), len(w[0][0]), len(w[0][0][0]))
	for q, row := range w[1][0] {
		sum, future := 0.0, 0.0
		for k, v := range row {
			sum += v
			if k > q {
				future += v
			}
		}
		fmt.Printf("query %d: sum %.2f, weight on the future %.2f\n", q, sum, future)
	}
	// Output:
	// 2 layers, 2 heads, 3×3
	// query 0: sum 1.00, weight on the future 0.00
	// query 1: sum 1.00, weight on the future 0.00
	// query 2: sum 1.00, weight on the future 0.00
}

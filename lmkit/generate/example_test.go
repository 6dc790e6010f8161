package generate_test

import (
	"fmt"
	"log"

	"github.com/gomlx/gomlx/ml/model"

	"github.com/llm-map/lab/lmkit/backend"
	"github.com/llm-map/lab/lmkit/bigram"
	"github.com/llm-map/lab/lmkit/generate"
)

// A Sampler continues prompts by drawing each next token from the model's distribution; the
// same seed draws the same tokens. (A trained model's handle, models.Trained.Sample, builds
// one for you.) Here an untrained neural bigram: every token is as likely as any other.
func ExampleNew() {
	be, err := backend.Default()
	if err != nil {
		log.Fatal(err)
	}
	m, err := bigram.NewNeural(10)
	if err != nil {
		log.Fatal(err)
	}
	store := model.NewStore()
	draw := func() [][]int {
		s, err := generate.New(be, store, m, generate.Options{Seed: 3, Stop: -1, Window: 4})
		if err != nil {
			log.Fatal(err)
		}
		out, err := s.Sample([][]int{{0}, {5}}, 6)
		if err != nil {
			log.Fatal(err)
		}
		return out
	}
	a, b := draw(), draw()
	fmt.Println(len(a), len(a[0]), fmt.Sprint(a) == fmt.Sprint(b))
	// Output:
	// 2 6 true
}

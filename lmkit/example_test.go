package lmkit_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/models"
	"github.com/llm-map/lab/lmkit/train"
)

// The README's example: train makemore's MLP on names, then sample from it.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "lmkit-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	p, err := data.Prepare(ctx, "names")
	if err != nil {
		log.Fatal(err)
	}
	m, err := models.New("mlp", p)
	if err != nil {
		log.Fatal(err)
	}
	run, err := train.Open(dir, m, p, train.Config{Steps: 300, Batch: 64, Context: 16, LR: 1e-2})
	if err != nil {
		log.Fatal(err)
	}
	s, err := run.Train(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("validation loss below the bigram's 2.46:", s.ValLoss < 2.46)

	trained, err := models.Load(dir)
	if err != nil {
		log.Fatal(err)
	}
	names, err := trained.Sample("", 2, models.SampleOptions{MaxTokens: 20, Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("sampled", len(names), "names")
	// Output:
	// validation loss below the bigram's 2.46: true
	// sampled 2 names
}

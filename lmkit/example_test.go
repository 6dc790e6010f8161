package lmkit_test

import (
	"context"
	"fmt"
	"os"

	"github.com/llm-map/lab/lmkit/backend"
	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/generate"
	"github.com/llm-map/lab/lmkit/models"
	"github.com/llm-map/lab/lmkit/train"
)

// The README's example: train makemore's MLP on names, then sample from it.
func Example() {
	ctx := context.Background()
	runDir, _ := os.MkdirTemp("", "lmkit-example-")
	defer os.RemoveAll(runDir)

	p, _ := data.Prepare(ctx, "names")
	m, _ := models.New("mlp", p)
	cfg := train.Config{Steps: 300, Batch: 64, Context: 16, LR: 1e-2}
	run, _ := train.Open(runDir, m, p, cfg)
	s, _ := run.Train(ctx)
	fmt.Println("validation loss below the bigram's 2.46:", s.ValLoss < 2.46)

	sampler, _ := generate.New(backend.MustDefault(), run.Store, m, generate.Options{Stop: p.Split.Boundary, Window: 16, Seed: 1})
	names, _ := sampler.Sample([][]int{{p.Split.Boundary}, {p.Split.Boundary}}, 20)
	fmt.Println("sampled", len(names), "names")
	// Output:
	// validation loss below the bigram's 2.46: true
	// sampled 2 names
}

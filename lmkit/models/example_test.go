package models_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/models"
	"github.com/llm-map/lab/lmkit/train"
)

// A trained model is one handle, read back from its run folder with what it needs: sample
// names from it; a prompt with a character it never saw is an error that names it.
func ExampleLoad() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "models-example-")
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
	run, err := train.Open(dir, m, p, train.Config{Steps: 200, Batch: 32, Context: 16, LR: 1e-2})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := run.Train(ctx); err != nil {
		log.Fatal(err)
	}

	t, err := models.Load(dir)
	if err != nil {
		log.Fatal(err)
	}
	names, err := t.Sample("em", 3, models.SampleOptions{MaxTokens: 15, Temperature: 0.8, Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	for _, n := range names {
		fmt.Println(strings.HasPrefix(n, "em"), !strings.Contains(n, "\n"))
	}
	_, err = t.Sample("Émile", 1, models.SampleOptions{})
	fmt.Println(strings.Contains(err.Error(), "'É'"))
	// Output:
	// true true
	// true true
	// true true
	// true
}

package train_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/models"
	"github.com/llm-map/lab/lmkit/train"
)

// Open a run folder for a model and a prepared corpus, train it, and open it again: the
// second Open resumes from the checkpoint, and a resume on other data is refused.
func ExampleOpen() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "train-example-")
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
	cfg := train.Config{Steps: 100, Batch: 32, Context: 16, LR: 1e-2}
	run, err := train.Open(dir, m, p, cfg)
	if err != nil {
		log.Fatal(err)
	}
	s, err := run.Train(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Steps, "steps, stopped by", s.StoppedBy, "; loss below a uniform guess (3.30):", s.ValLoss < 3.30)

	cfg.Steps = 150
	again, err := train.Open(dir, m, p, cfg)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("resumes at step", again.Step())
	again.Close()

	other, err := data.Prepare(ctx, "names", data.Options{SplitSeed: 7})
	if err != nil {
		log.Fatal(err)
	}
	_, err = train.Open(dir, m, other, cfg)
	fmt.Println("another split refused:", err != nil)
	// Output:
	// 100 steps, stopped by steps ; loss below a uniform guess (3.30): true
	// resumes at step 100
	// another split refused: true
}

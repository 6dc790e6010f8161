package classify_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/llm-map/lab/lmkit/classify"
	"github.com/llm-map/lab/lmkit/data"
	"github.com/llm-map/lab/lmkit/mlp"
	"github.com/llm-map/lab/lmkit/models"
	"github.com/llm-map/lab/lmkit/text"
	"github.com/llm-map/lab/lmkit/train"
)

// Fit a sentiment classifier (a pooled head over a body model) on labelled reviews, then score
// new texts through the run's handle.
func ExampleFit() {
	dir, err := os.MkdirTemp("", "classify-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	var rows []data.Labeled
	for i := range 200 {
		if i%2 == 0 {
			rows = append(rows, data.Labeled{ID: fmt.Sprint(i), Text: "정말 좋아 최고", Label: 1})
		} else {
			rows = append(rows, data.Labeled{ID: fmt.Sprint(i), Text: "정말 싫어 최악", Label: 0})
		}
	}
	tok := text.NewRune(strings.Repeat("정말 좋아 최고 싫어 최악\n", 2), data.Boundary)
	body, err := mlp.New(mlp.Config{Vocab: tok.VocabSize(), Context: 2, Embed: 8, Hidden: 16, Boundary: 0})
	if err != nil {
		log.Fatal(err)
	}
	_, s, err := classify.Fit(context.Background(), classify.Setup{Dir: dir, Name: "toy", Train: rows[:160], Val: rows[160:],
		Body: body, Tok: tok, Pooling: classify.Max, MaxLen: 16, Config: train.Config{Steps: 60, Batch: 16, LR: 1e-2, Seed: 1}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("validation accuracy %.2f\n", *s.Accuracy)
	t, err := models.Load(dir)
	if err != nil {
		log.Fatal(err)
	}
	p, err := t.Classify([]string{"최고", "최악"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p[0] > 0.5, p[1] < 0.5)
	// Output:
	// validation accuracy 1.00
	// true true
}

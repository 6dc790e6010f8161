package data_test

import (
	"context"
	"fmt"
	"log"

	"github.com/llm-map/lab/lmkit/data"
)

// Prepare reads a named corpus (from LMKIT_DATA_DIR, or downloaded and checked once), builds a
// character tokenizer over it and splits it 90/10 the same way for every run.
func ExamplePrepare() {
	p, err := data.Prepare(context.Background(), "names")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("vocabulary:", p.Tok.VocabSize(), "tokens (a-z and the newline between names)")
	fmt.Println("names:", len(p.Split.Train), "to train on,", len(p.Split.Val), "held out")
	fmt.Println("record:", p.Record.Source, p.Record.Lines, p.Record.Tokenizer)
	// Output:
	// vocabulary: 27 tokens (a-z and the newline between names)
	// names: 28830 to train on, 3203 held out
	// record: names true rune
}

// A recall task is described by a struct; its settings are checked.
func ExampleNewRecall() {
	task, err := data.NewRecall(data.Recall{Keys: 4, Distractors: 8, Delay: 16, BatchSize: 32, Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("sequence length", task.Len(), "vocabulary", task.VocabSize())
	_, err = data.NewRecall(data.Recall{Keys: 1, Distractors: 8, BatchSize: 32})
	fmt.Println(err)
	// Output:
	// sequence length 18 vocabulary 13
	// data: Recall.Keys 1: need at least 2
}

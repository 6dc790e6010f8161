package embed_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/llm-map/lab/lmkit/embed"
)

// Train word2vec on a few sentences and ask for neighbours; one worker makes it repeatable.
func ExampleTrain() {
	var docs []string
	for i := range 300 {
		if i%2 == 0 {
			docs = append(docs, "the cat and the dog chase the mouse")
		} else {
			docs = append(docs, "the car and the truck drive on the road")
		}
	}
	c, err := embed.NewCorpus(embed.Sentences([]string{strings.Join(docs, "\n")}), 5)
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := embed.Defaults()
	cfg.Dim, cfg.Workers, cfg.Sample, cfg.Epochs = 16, 1, 0, 10
	v, _, err := embed.Train(context.Background(), c, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	dog, _ := v.Similarity("cat", "dog")
	truck, _ := v.Similarity("cat", "truck")
	car, _ := v.Similarity("car", "truck")
	fmt.Printf("vocabulary %d; cat is closer to dog than to truck: %v; car is closer to truck than cat is: %v\n", v.Len(), dog > truck, car > truck)
	// Output: vocabulary 11; cat is closer to dog than to truck: true; car is closer to truck than cat is: true
}

// Analogies on vectors made by hand: each word is the sum of its features.
func ExampleVectors_Analogy() {
	v, _ := embed.NewVectors([]string{"man", "woman", "king", "queen"}, 3, []float32{
		1, 0, 0, // male
		0, 1, 0, // female
		1, 0, 1, // male, royal
		0, 1, 1, // female, royal
	})
	ans, _ := v.Analogy("man", "king", "woman", 1, embed.CosAdd)
	fmt.Println("man is to king as woman is to", ans[0].Word)
	// Output: man is to king as woman is to queen
}

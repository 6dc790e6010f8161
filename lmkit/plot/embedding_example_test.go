package plot_test

import (
	"log"

	"github.com/llm-map/lab/lmkit/plot"
)

// Word embeddings projected to 2-D, coloured by cluster, with Korean and
// English labels. Cluster -1 is noise, drawn in grey.
func ExampleEmbeddingMap() {
	points := [][2]float64{
		{1.0, 1.1}, {1.3, 0.8}, {0.8, 1.4}, {1.2, 1.3}, // animals
		{-1.1, -0.4}, {-1.4, -0.1}, {-0.8, -0.8}, {-1.2, -0.9}, // royalty
		{0.3, -1.4}, {0.6, -1.1}, {0.1, -1.0}, // fruit
		{0.0, 0.2}, // a function word
	}
	labels := []string{
		"강아지", "고양이", "토끼", "dog",
		"king", "queen", "왕", "prince",
		"사과", "배", "apple",
		"the",
	}
	clusters := []int{0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, -1}

	f, err := plot.EmbeddingMap(points, labels, clusters, plot.Axes{Title: "단어 임베딩 (PCA)"})
	if err != nil {
		log.Fatal(err)
	}
	if err := f.SavePNG("testdata/embedding_map.png", 16, 11); err != nil {
		log.Fatal(err)
	}
	// Output:
}

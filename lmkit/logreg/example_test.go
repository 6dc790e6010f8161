package logreg_test

import (
	"fmt"
	"log"

	"github.com/llm-map/lab/lmkit/logreg"
)

// Fit a logistic regression on hand-chosen features: here, counts of praising and of
// complaining words in a review.
func ExampleFit() {
	x := [][]float64{{3, 0}, {2, 0}, {2, 1}, {0, 2}, {0, 3}, {1, 2}}
	y := []int{1, 1, 1, 0, 0, 0}
	m, err := logreg.Fit([]string{"praise", "complaint"}, x, y, logreg.Options{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("accuracy %.2f; P(positive | 4 praises, no complaint) > 0.9: %v\n", m.Accuracy(x, y), m.Prob([]float64{4, 0}) > 0.9)
	// Output:
	// accuracy 1.00; P(positive | 4 praises, no complaint) > 0.9: true
}

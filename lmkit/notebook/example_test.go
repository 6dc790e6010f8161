package notebook_test

import (
	"fmt"
	"strconv"

	"github.com/llm-map/lab/lmkit/notebook"
)

// Must keeps a cell to the experiment: the value, or the cell stops with the error's message.
func ExampleMust() {
	n := notebook.Must(strconv.Atoi("42"))
	fmt.Println(n + 1)
	// Output:
	// 43
}

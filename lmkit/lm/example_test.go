package lm_test

import (
	"fmt"
	"log"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"

	"github.com/llm-map/lab/lmkit/backend"
	"github.com/llm-map/lab/lmkit/lm"
)

// A model that knows nothing, equal logits over V tokens, has a cross-entropy of ln V: the
// loss every language model here starts from and must go below.
func ExampleCrossEntropy() {
	be, err := backend.Default()
	if err != nil {
		log.Fatal(err)
	}
	exec, err := NewExec(be, func(targets, mask *Node) *Node {
		logits := ZerosLike(OneHot(targets, 27, dtypes.Float32)) // [B, T, 27], all equal
		return lm.CrossEntropy(logits, targets, mask)
	})
	if err != nil {
		log.Fatal(err)
	}
	out, err := exec.Exec([][]int32{{1, 5, 26}}, [][]float32{{1, 1, 1}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%.4f\n", out[0].Value())
	// Output:
	// 3.2958
}

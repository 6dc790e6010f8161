package mlp_test

import (
	"fmt"
	"log"

	"github.com/llm-map/lab/lmkit/mlp"
)

// Default is makemore's MLP over 27 characters; a configuration that cannot be built says
// which field to fix.
func ExampleNew() {
	m, err := mlp.New(mlp.Default(27, 0))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s reads %d characters through %d-wide embeddings into %d tanh units\n", m.Name(), m.Context, m.Embed, m.Hidden)
	_, err = mlp.New(mlp.Config{Vocab: 27, Context: 3, Embed: 0, Hidden: 64})
	fmt.Println(err)
	// Output:
	// mlp reads 3 characters through 24-wide embeddings into 256 tanh units
	// mlp: Config.Embed 0 must be at least 1
}

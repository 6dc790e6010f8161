package backend_test

import (
	"fmt"
	"log"

	"github.com/llm-map/lab/lmkit/backend"
)

// Default picks the backend once for the process (GOMLX_BACKEND, else XLA where a plugin is
// installed, else the pure-Go backend) and says which on standard error.
func ExampleDefault() {
	be, err := backend.Default()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(backend.Describe(be) != "")
	// Output:
	// true
}

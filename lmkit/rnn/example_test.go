package rnn_test

import (
	"fmt"
	"log"

	"github.com/llm-map/lab/lmkit/rnn"
)

// CharRNN is char-rnn's 2 x 128 model; beyond 256 tokens (Korean syllables) it reads
// embeddings instead of one-hot vectors.
func ExampleNew() {
	for _, vocab := range []int{65, 2000} {
		m, err := rnn.New(rnn.CharRNN(rnn.LSTM, vocab))
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s, %d layers of %d, vocabulary %d, embedding %d\n", m.Name(), m.Layers, m.Hidden, m.Vocab, m.Embed)
	}
	// Output:
	// lstm, 2 layers of 128, vocabulary 65, embedding 0
	// lstm, 2 layers of 128, vocabulary 2000, embedding 128
}

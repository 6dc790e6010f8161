package main

// The recurrent models of chapter 2-1 read -layers, -hidden, -dim (embedding width; 0 reads
// one-hot characters as char-rnn does) and -dropout.
func init() {
	for _, cell := range []string{"rnn", "lstm", "gru"} {
		modelFlags[cell] = []string{"layers", "hidden", "dim", "dropout"}
	}
}

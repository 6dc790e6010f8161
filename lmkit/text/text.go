// Package text turns text into token ids and back.
//
// Three tokenizers share one interface, from the most readable vocabulary
// to the most compact encoding:
//
//   - Rune: one token per Unicode code point, so a Hangul syllable is one token.
//   - Word: words and punctuation marks, kept by frequency; the rest is "<unk>".
//   - BPE: byte-level byte-pair encoding; any string, even invalid UTF-8,
//     comes back exactly from Decode(Encode(s)).
//
// Every tokenizer saves itself as a JSON file, and Load reads any of them back.
package text

// Unk is the token that stands for text outside a vocabulary.
// Word always has it as id 0; Rune has it only when it is passed as a special.
const Unk = "<unk>"

// Tokenizer turns text into token ids and back.
//
// Ids outside [0, VocabSize()) come only from a caller's mistake; Decode
// writes them as U+FFFD and Token names them, so a bad id shows up in the
// output instead of crashing a notebook.
type Tokenizer interface {
	Kind() string            // "rune", "word" or "bpe"
	Encode(s string) []int   // ids in [0, VocabSize())
	Decode(ids []int) string // text of the ids, in order
	VocabSize() int          // number of distinct ids
	Token(id int) string     // printable form of one token (for plots/labels)
	Save(path string) error  // JSON file, written atomically
}

// bad is what Decode writes for an id outside the vocabulary.
const bad = "\uFFFD"

func inRange(id, n int) bool { return id >= 0 && id < n }

package data

import (
	"context"
	"fmt"

	"github.com/llm-map/lab/lmkit/text"
)

// Prepared is a corpus read, tokenized and split, ready for a language model.
type Prepared struct {
	Text  *Text
	Tok   text.Tokenizer
	Split *Split
}

// Tokenizer kinds Prepare can build for language modelling.
const (
	RuneTokens = "rune"
	BPETokens  = "bpe"
)

// SplitSeed fixes the train/validation split for every run, so validation losses of runs
// with different training seeds are comparable.
const SplitSeed = 1337

// Boundary is the text of the token that separates documents: a newline, so that sampled
// names or reviews come out one a line.
const Boundary = "\n"

// Prepare reads nameOrPath (a corpus name or a text file; lines says whether a file holds one
// document per line), builds a tokenizer of the given kind over it (bpeVocab merges for "bpe"),
// and splits it 90/10 with seed.
func Prepare(ctx context.Context, nameOrPath string, lines bool, kind string, bpeVocab int, seed uint64) (*Prepared, error) {
	t, err := ReadText(ctx, nameOrPath, lines)
	if err != nil {
		return nil, err
	}
	var tok text.Tokenizer
	switch kind {
	case RuneTokens, "":
		tok = text.NewRune(t.Content, Boundary)
	case BPETokens:
		if tok, err = text.TrainBPE(t.Content, bpeVocab); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("data: tokenizer %q: use %q or %q (-tokenizer)", kind, RuneTokens, BPETokens)
	}
	return PrepareWith(t, tok, seed)
}

// PrepareWith tokenizes an already-read text with an existing tokenizer (a run's saved one).
func PrepareWith(t *Text, tok text.Tokenizer, seed uint64) (*Prepared, error) {
	b := tok.Encode(Boundary)
	if len(b) != 1 {
		return nil, fmt.Errorf("data: the tokenizer has no single token for a newline, needed to separate documents")
	}
	docs := make([][]int, 0, len(t.Docs))
	// A run's saved vocabulary may not cover a new corpus: a character tokenizer says so
	// instead of silently dropping characters, unless it has <unk>, which was built to take
	// the rare ones.
	r, strict := tok.(*text.Rune)
	if strict {
		_, hasUnk := r.ID(text.Unk)
		strict = !hasUnk
	}
	for i, d := range t.Docs {
		var ids []int
		if strict {
			var err error
			if ids, err = r.EncodeStrict(d); err != nil {
				return nil, fmt.Errorf("data: %s, document %d: %w", t.Name, i+1, err)
			}
		} else {
			ids = tok.Encode(d)
		}
		if len(ids) > 0 {
			docs = append(docs, ids)
		}
	}
	split, err := SplitDocs(docs, b[0], 0.1, seed)
	if err != nil {
		return nil, fmt.Errorf("data: %s: %w", t.Name, err)
	}
	split.Tok = tok
	return &Prepared{Text: t, Tok: tok, Split: split}, nil
}

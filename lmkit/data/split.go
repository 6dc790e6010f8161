package data

import (
	"fmt"
	"math/rand/v2"

	"github.com/llm-map/lab/lmkit/text"
)

// Split is a tokenized corpus divided into training and validation documents.
//
// Documents are token-id sequences without boundaries; the Boundary token is placed before
// and after each one when they are laid end to end (makemore's "." and GPT's <|endoftext|>),
// so a model learns where documents start and stop.
type Split struct {
	Train, Val [][]int
	Boundary   int            // token id separating documents
	Tok        text.Tokenizer // the tokenizer that made the ids, saved with every run; may be nil
}

// SplitDocs divides docs 90/10 (valFrac of them to validation), seeded.
//
// With several documents (one name per line, one review per line) the documents are shuffled
// with the seed first, since files are often sorted (names.txt is by popularity). A single
// document is cut at 1-valFrac of its length, as nanoGPT does for Tiny Shakespeare, so
// validation text is contiguous and unseen.
func SplitDocs(docs [][]int, boundary int, valFrac float64, seed uint64) (*Split, error) {
	if valFrac <= 0 || valFrac >= 1 {
		return nil, fmt.Errorf("data: validation fraction %v must be between 0 and 1 (e.g. 0.1 for a 90/10 split)", valFrac)
	}
	n := 0
	for _, d := range docs {
		n += len(d)
	}
	if n == 0 {
		return nil, fmt.Errorf("data: corpus has no tokens to split (is the file empty?)")
	}
	s := &Split{Boundary: boundary}
	if len(docs) == 1 {
		d := docs[0]
		cut := int(float64(len(d)) * (1 - valFrac))
		if cut < 1 || cut >= len(d) {
			return nil, fmt.Errorf("data: corpus of %d tokens is too short for a %.0f/%.0f split", len(d), 100*(1-valFrac), 100*valFrac)
		}
		s.Train, s.Val = [][]int{d[:cut]}, [][]int{d[cut:]}
		return s, nil
	}
	order := rand.New(rand.NewPCG(seed, 0x5eed)).Perm(len(docs))
	nVal := int(float64(len(docs))*valFrac + 0.5)
	if nVal < 1 || nVal >= len(docs) {
		return nil, fmt.Errorf("data: %d documents are too few for a %.0f/%.0f split", len(docs), 100*(1-valFrac), 100*valFrac)
	}
	for i, j := range order {
		if i < nVal {
			s.Val = append(s.Val, docs[j])
		} else {
			s.Train = append(s.Train, docs[j])
		}
	}
	return s, nil
}

// Stream lays documents end to end with the boundary token before, between and after them.
func Stream(docs [][]int, boundary int) []int32 {
	n := 1
	for _, d := range docs {
		n += len(d) + 1
	}
	out := make([]int32, 0, n)
	out = append(out, int32(boundary))
	for _, d := range docs {
		for _, t := range d {
			out = append(out, int32(t))
		}
		out = append(out, int32(boundary))
	}
	return out
}

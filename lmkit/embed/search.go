package embed

import (
	"cmp"
	"fmt"
	"slices"
)

// Index finds documents (sentences, reviews) by meaning: each document is the weighted mean
// of its words' unit vectors, and a query is compared with every document by cosine. Words
// are weighted a/(a + p(w)) with p the word's frequency and a = 1e-3 (Arora et al. 2017's
// "smooth inverse frequency"), so "the" counts for little and rare words for much; vectors
// loaded from a file have no counts, and then every word weighs the same.
type Index struct {
	Vectors *Vectors
	Docs    []string
	emb     []float32 // one unit row a document
	known   []bool    // whether any word of the document has a vector
}

// Hit is a document found by Search.
type Hit struct {
	Doc   int     `json:"doc"` // index into Docs
	Text  string  `json:"text"`
	Score float64 `json:"score"` // cosine similarity with the query
}

// NewIndex embeds the documents.
func NewIndex(v *Vectors, docs []string) *Index {
	ix := &Index{Vectors: v, Docs: docs, emb: make([]float32, len(docs)*v.Dim), known: make([]bool, len(docs))}
	for i, d := range docs {
		if e, ok := v.Embed(d); ok {
			copy(ix.emb[i*v.Dim:], e)
			ix.known[i] = true
		}
	}
	return ix
}

// Embed returns a text's vector (unit length): the SIF-weighted mean of its known words'
// unit vectors. ok is false when no word of the text has a vector.
func (v *Vectors) Embed(text string) (vec []float32, ok bool) {
	u := v.units()
	sum := make([]float32, v.Dim)
	var total int64
	for _, c := range v.Counts {
		total += c
	}
	for _, w := range Tokenize(text) {
		i, found := v.ids[w]
		if !found {
			continue
		}
		weight := float32(1)
		if total > 0 {
			p := float64(v.Counts[i]) / float64(total)
			weight = float32(1e-3 / (1e-3 + p))
		}
		axpy(weight, u[i*v.Dim:(i+1)*v.Dim], sum)
		ok = true
	}
	if !ok {
		return nil, false
	}
	return normalized(sum), true
}

// Search returns the k documents most similar to the query. It fails, suggesting spellings,
// when no word of the query has a vector.
func (ix *Index) Search(query string, k int) ([]Hit, error) {
	q, ok := ix.Vectors.Embed(query)
	if !ok {
		words := Tokenize(query)
		if len(words) == 0 {
			return nil, fmt.Errorf("embed: search query %q has no words", query)
		}
		return nil, fmt.Errorf("embed: no word of the query %q has a vector: %w", query, ix.Vectors.unknown(words[0]))
	}
	return ix.rank(q, k, nil), nil
}

// Like recommends: the k documents most similar to the mean of the liked ones' vectors, the
// liked ones left out. It fails when no liked document has a vector.
func (ix *Index) Like(liked []int, k int) ([]Hit, error) {
	dim := ix.Vectors.Dim
	sum := make([]float32, dim)
	skip := map[int]bool{}
	for _, d := range liked {
		if d < 0 || d >= len(ix.Docs) {
			return nil, fmt.Errorf("embed: liked document %d is outside the index's %d documents", d, len(ix.Docs))
		}
		skip[d] = true
		if ix.known[d] {
			axpy(1, ix.emb[d*dim:(d+1)*dim], sum)
		}
	}
	var n float32
	for _, x := range sum {
		n += x * x
	}
	if n == 0 {
		return nil, fmt.Errorf("embed: none of the %d liked documents has a word with a vector", len(liked))
	}
	return ix.rank(normalized(sum), k, skip), nil
}

// rank scores every known document against the unit vector q, best first, ties by order.
func (ix *Index) rank(q []float32, k int, skip map[int]bool) []Hit {
	dim := ix.Vectors.Dim
	hits := make([]Hit, 0, len(ix.Docs))
	for i := range ix.Docs {
		if ix.known[i] && !skip[i] {
			hits = append(hits, Hit{Doc: i, Text: ix.Docs[i], Score: float64(dot(q, ix.emb[i*dim:(i+1)*dim]))})
		}
	}
	slices.SortFunc(hits, func(a, b Hit) int { return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Doc, b.Doc)) })
	return hits[:min(k, len(hits))]
}

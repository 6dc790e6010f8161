package embed

import (
	"github.com/llm-map/lab/lmkit/internal/spell"

	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Vectors are word embeddings: one Dim-wide float32 vector a word, most frequent word first
// (as word2vec, gensim and this package write them), so the first n words are the n most
// frequent. Both engines return them, and Load reads them from word2vec files.
type Vectors struct {
	Words  []string
	Counts []int64 // corpus counts when known (training); nil for vectors read from a file
	Dim    int
	Data   []float32 // len(Words)·Dim values, word i at Data[i·Dim : (i+1)·Dim]
	ids    map[string]int
	once   sync.Once
	unit   []float32 // Data with each row scaled to length 1 (zero rows stay zero)
}

// Neighbor is a word and its cosine similarity to a query.
type Neighbor struct {
	Word       string  `json:"word"`
	Similarity float64 `json:"similarity"`
}

// NewVectors wraps words and their vectors (len(words)·dim values, row by row). It fails on
// a repeated or empty word, a size mismatch, or a value that is NaN or infinite.
func NewVectors(words []string, dim int, data []float32) (*Vectors, error) {
	return newVectors(words, nil, dim, data)
}

func newVectors(words []string, counts []int64, dim int, data []float32) (*Vectors, error) {
	if dim < 1 {
		return nil, fmt.Errorf("embed: vector width %d must be at least 1", dim)
	}
	if len(data) != len(words)*dim {
		return nil, fmt.Errorf("embed: %d words of width %d need %d values, got %d", len(words), dim, len(words)*dim, len(data))
	}
	if counts != nil && len(counts) != len(words) {
		return nil, fmt.Errorf("embed: %d words but %d counts", len(words), len(counts))
	}
	ids := make(map[string]int, len(words))
	for i, w := range words {
		if w == "" || strings.ContainsAny(w, " \t\n\r") || !utf8.ValidString(w) {
			return nil, fmt.Errorf("embed: word %d, %q, is empty, holds whitespace or is not UTF-8 (word2vec files separate words with spaces)", i, w)
		}
		if j, dup := ids[w]; dup {
			return nil, fmt.Errorf("embed: word %q appears twice, as words %d and %d", w, j, i)
		}
		ids[w] = i
	}
	for i, x := range data {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return nil, fmt.Errorf("embed: the vector of %q holds %v at dimension %d (training diverged: lower Config.Alpha)", words[i/dim], x, i%dim)
		}
	}
	return &Vectors{Words: words, Counts: counts, Dim: dim, Data: data, ids: ids}, nil
}

// Len is the number of words.
func (v *Vectors) Len() int { return len(v.Words) }

// ID returns a word's row.
func (v *Vectors) ID(word string) (int, bool) {
	i, ok := v.ids[word]
	return i, ok
}

// Has reports whether word has a vector.
func (v *Vectors) Has(word string) bool { _, ok := v.ids[word]; return ok }

// Vector returns the word's vector (a view into Data: do not change it), or an error that
// suggests close spellings when the word is not in the vocabulary.
func (v *Vectors) Vector(word string) ([]float32, error) {
	i, err := v.lookup(word)
	if err != nil {
		return nil, err
	}
	return v.Data[i*v.Dim : (i+1)*v.Dim], nil
}

func (v *Vectors) lookup(word string) (int, error) {
	if i, ok := v.ids[word]; ok {
		return i, nil
	}
	return 0, v.unknown(word)
}

// unknown is the error for a word outside the vocabulary, with the closest spellings in it.
func (v *Vectors) unknown(word string) error {
	if low := strings.ToLower(word); low != word && v.Has(low) {
		return fmt.Errorf("embed: %q is not in the vocabulary of %d words, but %q is (the vocabulary is lowercase)", word, v.Len(), low)
	}
	near := v.Suggest(word, 3)
	if len(near) == 0 {
		return fmt.Errorf("embed: %q is not in the vocabulary of %d words, and no word is spelled close to it (train with a lower Config.MinCount, or on text that has it)", word, v.Len())
	}
	return fmt.Errorf("embed: %q is not in the vocabulary of %d words; close spellings: %s (or train with a lower Config.MinCount)", word, v.Len(), strings.Join(near, ", "))
}

// Suggest returns up to n vocabulary words closest in spelling to word (edit distance at
// most 2, or a third of its length for long words), nearest first, then more frequent.
func (v *Vectors) Suggest(word string, n int) []string {
	target := []rune(word)
	limit := max(2, len(target)/3)
	type cand struct{ i, d int }
	var cs []cand
	for i, w := range v.Words {
		if abs(utf8.RuneCountInString(w)-len(target)) > limit {
			continue
		}
		if d := spell.Distance(string(target), w, limit); d <= limit {
			cs = append(cs, cand{i, d})
		}
	}
	slices.SortFunc(cs, func(a, b cand) int { return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(a.i, b.i)) })
	out := make([]string, 0, n)
	for _, c := range cs[:min(n, len(cs))] {
		out = append(out, v.Words[c.i])
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// units returns the vectors scaled to length 1, computed once.
func (v *Vectors) units() []float32 {
	v.once.Do(func() {
		v.unit = make([]float32, len(v.Data))
		for i := range v.Len() {
			row := v.Data[i*v.Dim : (i+1)*v.Dim]
			n := math.Sqrt(float64(dot(row, row)))
			if n == 0 {
				continue
			}
			out := v.unit[i*v.Dim : (i+1)*v.Dim]
			for j, x := range row {
				out[j] = float32(float64(x) / n)
			}
		}
	})
	return v.unit
}

// Unit returns the word's vector scaled to length 1 (a view: do not change it).
func (v *Vectors) Unit(word string) ([]float32, error) {
	i, err := v.lookup(word)
	if err != nil {
		return nil, err
	}
	return v.units()[i*v.Dim : (i+1)*v.Dim], nil
}

// Similarity is the cosine similarity of two words' vectors, in [-1, 1].
func (v *Vectors) Similarity(a, b string) (float64, error) {
	ua, err := v.Unit(a)
	if err != nil {
		return 0, err
	}
	ub, err := v.Unit(b)
	if err != nil {
		return 0, err
	}
	return float64(dot(ua, ub)), nil
}

// Nearest returns the k words most similar to word (by cosine), the word itself left out.
func (v *Vectors) Nearest(word string, k int) ([]Neighbor, error) {
	u, err := v.Unit(word)
	if err != nil {
		return nil, err
	}
	return v.NearestTo(u, k, word), nil
}

// NearestTo returns the k words whose vectors are most similar (by cosine) to vec, leaving
// out the words in exclude.
func (v *Vectors) NearestTo(vec []float32, k int, exclude ...string) []Neighbor {
	q := normalized(vec)
	skip := map[int]bool{}
	for _, w := range exclude {
		if i, ok := v.ids[w]; ok {
			skip[i] = true
		}
	}
	scores := v.scores(q, v.Len())
	return v.top(scores, k, func(i int) bool { return skip[i] })
}

// scores returns the dot product of q with the first n unit vectors, on all cores.
func (v *Vectors) scores(q []float32, n int) []float32 {
	u := v.units()
	out := make([]float32, n)
	parallel(n, 1024, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			out[i] = dot(q, u[i*v.Dim:(i+1)*v.Dim])
		}
	})
	return out
}

// top picks the k best scores, best first, skipping rows for which skip is true.
func (v *Vectors) top(scores []float32, k int, skip func(int) bool) []Neighbor {
	idx := make([]int, 0, len(scores))
	for i := range scores {
		if !skip(i) {
			idx = append(idx, i)
		}
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Or(cmp.Compare(scores[b], scores[a]), cmp.Compare(a, b)) })
	idx = idx[:min(k, len(idx))]
	out := make([]Neighbor, len(idx))
	for j, i := range idx {
		out[j] = Neighbor{Word: v.Words[i], Similarity: float64(scores[i])}
	}
	return out
}

// Restrict returns the n most frequent words' vectors (the first n), sharing the data.
func (v *Vectors) Restrict(n int) *Vectors {
	if n <= 0 || n >= v.Len() {
		return v
	}
	var counts []int64
	if v.Counts != nil {
		counts = v.Counts[:n]
	}
	r, _ := newVectors(v.Words[:n], counts, v.Dim, v.Data[:n*v.Dim])
	return r
}

// Matrix returns the vectors of the given words, one row a word.
func (v *Vectors) Matrix(words []string) ([][]float32, error) {
	out := make([][]float32, len(words))
	for i, w := range words {
		vec, err := v.Vector(w)
		if err != nil {
			return nil, err
		}
		out[i] = vec
	}
	return out, nil
}

func normalized(vec []float32) []float32 {
	n := math.Sqrt(float64(dot(vec, vec)))
	out := make([]float32, len(vec))
	if n == 0 {
		return out
	}
	for i, x := range vec {
		out[i] = float32(float64(x) / n)
	}
	return out
}

// parallel runs fn over [0, n) cut into one range a core, each at least grain long.
func parallel(n, grain int, fn func(lo, hi int)) {
	p := min(runtime.GOMAXPROCS(0), max(1, n/grain))
	if p <= 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	for k := range p {
		lo, hi := n*k/p, n*(k+1)/p
		wg.Go(func() { fn(lo, hi) })
	}
	wg.Wait()
}

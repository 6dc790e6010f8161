package text

import (
	"container/heap"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
)

// BPE is a byte-level byte-pair-encoding tokenizer. Ids 0-255 are the bytes;
// id 256+i is the i-th learned merge of two earlier tokens. Text is first
// cut into chunks (see chunks: words with their leading space, digit runs,
// punctuation runs, whitespace) and merges never cross a chunk boundary.
//
// Because every byte is a token, Decode(Encode(s)) == s for any string,
// invalid UTF-8 included. Decoding an arbitrary id sequence, such as a
// model's sample, may give invalid UTF-8 where a rune is cut in two.
//
// A BPE is safe for concurrent use.
type BPE struct {
	merges [][2]int       // merges[i] = the pair that token 256+i joins
	ranks  map[uint64]int // pair key -> merge index
	vocab  []string       // id -> bytes

	mu    sync.Mutex
	cache map[string][]int // chunk -> ids; text repeats its words
}

// cacheLimit bounds the chunk cache; past it the cache starts over, so
// encoding a stream of fresh text cannot grow memory without end.
const cacheLimit = 1 << 16

func pairKey(a, b int) uint64 { return uint64(a)<<32 | uint64(uint32(b)) }

// TrainBPE learns merges from corpus until the vocabulary has vocabSize
// tokens. Each step merges the most frequent adjacent pair within chunks,
// ties going to the smallest pair of ids, so training is deterministic.
// A pair seen once can still be merged; if the corpus runs out of pairs
// first, the vocabulary stays smaller than vocabSize (see VocabSize).
func TrainBPE(corpus string, vocabSize int) (*BPE, error) {
	if vocabSize < 256 {
		return nil, fmt.Errorf("text: BPE vocabSize %d is below 256, the number of byte tokens (pass at least 256; 256 means bytes only, no merges)", vocabSize)
	}
	freq := map[string]int{}
	for c := range chunks(corpus) {
		freq[c]++
	}
	// Train on the table of distinct chunks: a word seen a thousand times is
	// merged once, with weight one thousand.
	type word struct {
		ids []int
		n   int
	}
	words := make([]word, 0, len(freq))
	for _, c := range slices.Sorted(maps.Keys(freq)) {
		ids := make([]int, len(c))
		for i := range len(c) {
			ids[i] = int(c[i])
		}
		words = append(words, word{ids, freq[c]})
	}
	counts := map[uint64]int{}    // pair -> occurrences, weighted by chunk count
	where := map[uint64][]int32{} // pair -> words that may hold it (stale entries allowed)
	for wi, w := range words {
		for i := 0; i+1 < len(w.ids); i++ {
			k := pairKey(w.ids[i], w.ids[i+1])
			if counts[k] == 0 {
				where[k] = append(where[k], int32(wi))
			} else if l := where[k]; l[len(l)-1] != int32(wi) {
				where[k] = append(l, int32(wi))
			}
			counts[k] += w.n
		}
	}
	h := make(pairHeap, 0, len(counts))
	for k, n := range counts {
		h = append(h, pairCount{k, n})
	}
	heap.Init(&h)

	t := &BPE{}
	seen := make([]int, len(words)) // the last merge id that visited each word
	delta := map[uint64]int{}
	for 256+len(t.merges) < vocabSize {
		// Pop the best pair; the heap is lazy, so skip entries whose count
		// has changed since they were pushed.
		var top pairCount
		for h.Len() > 0 {
			top = heap.Pop(&h).(pairCount)
			if top.n > 0 && counts[top.key] == top.n {
				break
			}
			top.n = 0
		}
		if top.n == 0 {
			break // no pairs left: every chunk is one token
		}
		a, b := int(top.key>>32), int(uint32(top.key))
		id := 256 + len(t.merges)
		t.merges = append(t.merges, [2]int{a, b})
		clear(delta)
		for _, wi := range where[top.key] {
			if seen[wi] == id {
				continue
			}
			seen[wi] = id
			w := &words[wi]
			if !hasPair(w.ids, a, b) {
				continue // stale entry: an earlier merge took the pair away
			}
			for i := 0; i+1 < len(w.ids); i++ {
				delta[pairKey(w.ids[i], w.ids[i+1])] -= w.n
			}
			w.ids = merge(w.ids, a, b, id)
			for i := 0; i+1 < len(w.ids); i++ {
				x, y := w.ids[i], w.ids[i+1]
				k := pairKey(x, y)
				delta[k] += w.n
				if x == id || y == id { // only pairs with the new token are new to this word
					if l := where[k]; len(l) == 0 || l[len(l)-1] != int32(wi) {
						where[k] = append(l, int32(wi))
					}
				}
			}
		}
		delete(where, top.key)
		for k, d := range delta {
			if d == 0 {
				continue
			}
			n := counts[k] + d
			if n > 0 {
				counts[k] = n
				heap.Push(&h, pairCount{k, n})
			} else {
				delete(counts, k)
			}
		}
	}
	t.build()
	return t, nil
}

func hasPair(ids []int, a, b int) bool {
	for i := 0; i+1 < len(ids); i++ {
		if ids[i] == a && ids[i+1] == b {
			return true
		}
	}
	return false
}

// merge replaces each (a, b), left to right, with id, in place.
func merge(ids []int, a, b, id int) []int {
	j := 0
	for i := 0; i < len(ids); i++ {
		if i+1 < len(ids) && ids[i] == a && ids[i+1] == b {
			ids[j] = id
			i++
		} else {
			ids[j] = ids[i]
		}
		j++
	}
	return ids[:j]
}

// build derives the vocabulary and ranks from the merges.
func (t *BPE) build() {
	t.vocab = make([]string, 256, 256+len(t.merges))
	for i := range 256 {
		t.vocab[i] = string([]byte{byte(i)})
	}
	t.ranks = make(map[uint64]int, len(t.merges))
	for i, m := range t.merges {
		t.vocab = append(t.vocab, t.vocab[m[0]]+t.vocab[m[1]])
		t.ranks[pairKey(m[0], m[1])] = i
	}
	t.cache = map[string][]int{}
}

// Kind returns "bpe".
func (t *BPE) Kind() string { return "bpe" }

// VocabSize is 256 plus the number of merges: the vocabSize asked of
// TrainBPE, or fewer if the corpus ran out of pairs to merge.
func (t *BPE) VocabSize() int { return len(t.vocab) }

// Encode cuts s into chunks and applies the merges to each, lowest rank
// first, exactly as training did.
func (t *BPE) Encode(s string) []int {
	ids := make([]int, 0, len(s)/2)
	for c := range chunks(s) {
		ids = append(ids, t.chunk(c)...)
	}
	return ids
}

func (t *BPE) chunk(c string) []int {
	t.mu.Lock()
	ids, ok := t.cache[c]
	t.mu.Unlock()
	if ok {
		return ids
	}
	ids = t.encode(c)
	t.mu.Lock()
	if len(t.cache) >= cacheLimit {
		clear(t.cache)
	}
	t.cache[strings.Clone(c)] = ids // a clone, so the cache does not pin the caller's whole text
	t.mu.Unlock()
	return ids
}

// noRank is the rank of a pair that no merge joins.
const noRank = math.MaxInt

func (t *BPE) rank(a, b int) int {
	if r, ok := t.ranks[pairKey(a, b)]; ok {
		return r
	}
	return noRank
}

// encode applies the merges to one chunk, lowest rank first. rank[i] is the
// rank of the pair at i, kept in step with ids, so a pass costs comparisons
// and only pairs next to a merge cost a map lookup.
func (t *BPE) encode(c string) []int {
	ids := make([]int, len(c))
	for i := range len(c) {
		ids[i] = int(c[i])
	}
	if len(ids) < 2 {
		return ids
	}
	rank := make([]int, len(ids)-1)
	for i := range rank {
		rank[i] = t.rank(ids[i], ids[i+1])
	}
	for {
		best := noRank
		for _, r := range rank {
			best = min(best, r)
		}
		if best == noRank {
			return ids
		}
		// Merge every (a, b) left to right, as training did. Writes go to
		// j <= i, behind the reads, so both slices shrink in place.
		id, j, prev := 256+best, 0, false
		for i := 0; i < len(ids); i++ {
			merged := i < len(rank) && rank[i] == best
			if merged {
				ids[j] = id
			} else {
				ids[j] = ids[i]
			}
			if j > 0 {
				if merged || prev {
					rank[j-1] = t.rank(ids[j-1], ids[j])
				} else {
					rank[j-1] = rank[i-1] // the same pair as before
				}
			}
			if merged {
				i++
			}
			prev = merged
			j++
		}
		ids, rank = ids[:j], rank[:j-1]
	}
}

// Decode concatenates the bytes of the tokens.
func (t *BPE) Decode(ids []int) string {
	var b strings.Builder
	for _, id := range ids {
		if inRange(id, len(t.vocab)) {
			b.WriteString(t.vocab[id])
		} else {
			b.WriteString(bad)
		}
	}
	return b.String()
}

// Token returns the token's bytes in printable form; bytes that are not
// valid UTF-8 on their own, such as half a Hangul syllable, show as <0xEA>.
func (t *BPE) Token(id int) string {
	if !inRange(id, len(t.vocab)) {
		return badToken(id)
	}
	return printable(t.vocab[id])
}

// Save writes the merges as JSON to path, atomically.
func (t *BPE) Save(path string) error {
	return save(path, &file{Kind: t.Kind(), Merges: t.merges})
}

func bpeFromFile(f *file) (*BPE, error) {
	seen := map[uint64]bool{}
	for i, m := range f.Merges {
		if !inRange(m[0], 256+i) || !inRange(m[1], 256+i) {
			return nil, fmt.Errorf("BPE merge %d joins %v, but only ids below %d exist at that point (write the file again with Save)", i, m, 256+i)
		}
		k := pairKey(m[0], m[1])
		if seen[k] {
			return nil, fmt.Errorf("BPE merge %d repeats the pair %v (write the file again with Save)", i, m)
		}
		seen[k] = true
	}
	t := &BPE{merges: f.Merges}
	t.build()
	return t, nil
}

// pairCount is a heap entry: a pair and its count when pushed.
type pairCount struct {
	key uint64
	n   int
}

// pairHeap pops the highest count first, then the smallest pair: the key
// orders pairs by first id, then second.
type pairHeap []pairCount

func (h pairHeap) Len() int { return len(h) }
func (h pairHeap) Less(i, j int) bool {
	if h[i].n != h[j].n {
		return h[i].n > h[j].n
	}
	return h[i].key < h[j].key
}
func (h pairHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *pairHeap) Push(x any)   { *h = append(*h, x.(pairCount)) }
func (h *pairHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

package embed

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/llm-map/lab/lmkit/text"
)

// MaxSentence is the longest sentence trained as one piece; longer lines are cut, as gensim's
// LineSentence does (the C tool cuts at 1000).
const MaxSentence = 10000

// Tokenize splits s into lowercase words with text.SplitWords and drops the tokens that hold
// no letter or digit (punctuation), so "Don't stop, 2 cats!" gives don, t, stop, 2, cats.
// Hangul words stay whole: "강아지가 좋아" gives 강아지가, 좋아.
func Tokenize(s string) []string {
	words := text.SplitWords(s, true)
	out := words[:0]
	for _, w := range words {
		if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			out = append(out, w)
		}
	}
	return out
}

// Sentences tokenizes documents into sentences: each line of each document is one sentence
// (cut into pieces of at most MaxSentence words); blank lines are dropped. A window never
// crosses from one sentence into the next.
func Sentences(docs []string) [][]string {
	var out [][]string
	for _, d := range docs {
		for line := range strings.SplitSeq(d, "\n") {
			words := Tokenize(line)
			for len(words) > 0 {
				n := min(len(words), MaxSentence)
				out = append(out, words[:n:n])
				words = words[n:]
			}
		}
	}
	return out
}

// Vocab is the words kept for training, most frequent first (ties in string order), with
// their counts in the corpus.
type Vocab struct {
	Words  []string
	Counts []int64
	ids    map[string]int32
}

// Len is the number of words.
func (v *Vocab) Len() int { return len(v.Words) }

// ID returns a word's index.
func (v *Vocab) ID(w string) (int, bool) {
	id, ok := v.ids[w]
	return int(id), ok
}

// Corpus is tokenized text as word indices into its vocabulary, with the words under the
// minimum count removed (as the C tool and gensim do, before windows are drawn).
type Corpus struct {
	Vocab    *Vocab
	MinCount int
	RawWords int64 // every token of the text, rare words included
	ids      []int32
	ends     []int // sentence i is ids[ends[i-1]:ends[i]]
}

// NewCorpus counts the words of the sentences, keeps those seen at least minCount times, and
// encodes the sentences. It fails when there are no words, or when minCount leaves none.
func NewCorpus(sentences [][]string, minCount int) (*Corpus, error) {
	if minCount < 0 {
		return nil, fmt.Errorf("embed: Config.MinCount %d must be 0 or more", minCount)
	}
	freq := map[string]int64{}
	var raw int64
	for _, s := range sentences {
		for _, w := range s {
			freq[w]++
		}
		raw += int64(len(s))
	}
	if raw == 0 {
		return nil, fmt.Errorf("embed: the corpus has no words (%d sentences): pass text with letters or digits (check the corpus and whether it is one document per line)", len(sentences))
	}
	all := make([]string, 0, len(freq))
	for w := range freq {
		all = append(all, w)
	}
	slices.SortFunc(all, func(a, b string) int { return cmp.Or(cmp.Compare(freq[b], freq[a]), strings.Compare(a, b)) })
	n := len(all)
	if i := slices.IndexFunc(all, func(w string) bool { return freq[w] < int64(minCount) }); i >= 0 {
		n = i
	}
	if n == 0 {
		top := all[0]
		return nil, fmt.Errorf("embed: vocabulary is empty with min-count %d: the most frequent word, %q, occurs %d times in %d words (use Config.MinCount %d or lower, or train on more text)",
			minCount, top, freq[top], raw, freq[top])
	}
	v := &Vocab{Words: all[:n:n], Counts: make([]int64, n), ids: make(map[string]int32, n)}
	for i, w := range v.Words {
		v.Counts[i] = freq[w]
		v.ids[w] = int32(i)
	}
	c := &Corpus{Vocab: v, MinCount: minCount, RawWords: raw}
	for _, s := range sentences {
		start := len(c.ids)
		for _, w := range s {
			if id, ok := v.ids[w]; ok {
				c.ids = append(c.ids, id)
			}
		}
		if len(c.ids) > start {
			c.ends = append(c.ends, len(c.ids))
		}
	}
	return c, nil
}

// Words is the number of in-vocabulary tokens.
func (c *Corpus) Words() int64 { return int64(len(c.ids)) }

// Len is the number of sentences that kept at least one word.
func (c *Corpus) Len() int { return len(c.ends) }

// Sentence returns sentence i as word indices; the caller must not change it.
func (c *Corpus) Sentence(i int) []int32 {
	start := 0
	if i > 0 {
		start = c.ends[i-1]
	}
	return c.ids[start:c.ends[i]]
}

// Count returns how often word occurs in the corpus (0 if it is not in the vocabulary).
func (c *Corpus) Count(word string) int64 {
	if id, ok := c.Vocab.ID(word); ok {
		return c.Vocab.Counts[id]
	}
	return 0
}

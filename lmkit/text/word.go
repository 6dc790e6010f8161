package text

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// WordOptions shapes a word vocabulary.
type WordOptions struct {
	MinCount int  // keep words seen at least this often; 0 means 1, every word
	MaxVocab int  // most tokens kept, "<unk>" included; 0 means no limit
	Lower    bool // lowercase words before counting and before encoding
}

// Word is a tokenizer whose tokens are the words and punctuation marks that
// SplitWords finds. "<unk>" is id 0 and stands for every word left out of the
// vocabulary; the others follow by falling count, ties in string order.
//
// Decode puts one space between words and none before most punctuation, so
// Decode(Encode(s)) is a normalised s: whitespace runs become one space,
// "Hello , world !" becomes "Hello, world!", and with Lower it is lowercase.
// Text already in that form comes back unchanged if all its words are known.
type Word struct {
	words  []string // id -> word; "<unk>" first
	counts []int    // id -> count in the corpus; for "<unk>", the words left out
	ids    map[string]int
	lower  bool
}

// NewWord counts the words of corpus and keeps the frequent ones.
// It fails if no word survives MinCount and MaxVocab.
func NewWord(corpus string, opt WordOptions) (*Word, error) {
	if opt.MinCount < 0 {
		return nil, fmt.Errorf("text: WordOptions.MinCount is %d (use 0 or more; 0 and 1 both keep every word)", opt.MinCount)
	}
	if opt.MaxVocab < 0 || opt.MaxVocab == 1 {
		return nil, fmt.Errorf("text: WordOptions.MaxVocab is %d, leaving no room for a word beside %s (use 2 or more, or 0 for no limit)", opt.MaxVocab, Unk)
	}
	freq := map[string]int{}
	for _, w := range SplitWords(corpus, opt.Lower) {
		freq[w]++
	}
	// Sort by count, ties by string, so the same corpus always gives the same ids.
	all := slices.SortedFunc(maps.Keys(freq), func(a, b string) int {
		return cmp.Or(cmp.Compare(freq[b], freq[a]), strings.Compare(a, b))
	})
	if len(all) == 0 {
		return nil, fmt.Errorf("text: word vocabulary is empty: the corpus (%d bytes) has no words (pass the training text, not a file name or an empty string)", len(corpus))
	}
	kept := all
	if i := slices.IndexFunc(all, func(w string) bool { return freq[w] < opt.MinCount }); i >= 0 {
		kept = all[:i]
	}
	if opt.MaxVocab > 0 && len(kept) > opt.MaxVocab-1 {
		kept = kept[:opt.MaxVocab-1]
	}
	if len(kept) == 0 {
		return nil, fmt.Errorf("text: word vocabulary is empty with MinCount=%d: the most frequent word, %q, occurs %d times (lower MinCount to at most %d, or train on more text)", opt.MinCount, all[0], freq[all[0]], freq[all[0]])
	}
	words := append([]string{Unk}, kept...)
	counts := make([]int, len(words))
	for i, w := range kept {
		counts[i+1] = freq[w]
	}
	for _, w := range all[len(kept):] {
		counts[0] += freq[w]
	}
	return newWord(words, counts, opt.Lower)
}

func newWord(words []string, counts []int, lower bool) (*Word, error) {
	if len(words) == 0 || words[0] != Unk {
		return nil, fmt.Errorf("word vocabulary must start with %s", Unk)
	}
	if len(counts) != len(words) {
		return nil, fmt.Errorf("word vocabulary has %d words but %d counts", len(words), len(counts))
	}
	ids := make(map[string]int, len(words))
	for id, w := range words {
		if _, dup := ids[w]; dup {
			return nil, fmt.Errorf("word %q appears twice in the vocabulary", w)
		}
		ids[w] = id
	}
	return &Word{words: words, counts: counts, ids: ids, lower: lower}, nil
}

// isWordRune reports whether r continues a word: letters, digits and
// combining marks, so "café" written with a combining accent stays one word.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// SplitWords splits s into words and punctuation: a word is a run of
// letters, digits and combining marks; every other non-space rune, such as
// "," or "'", is a token of its own; whitespace only separates. So "don't"
// is "don", "'", "t". An invalid UTF-8 byte is the token "\uFFFD", which
// keeps every token valid UTF-8. With lower, tokens are lowercased.
func SplitWords(s string, lower bool) []string {
	var out []string
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			out = append(out, bad)
		case unicode.IsSpace(r):
		case isWordRune(r):
			j := i + n
			for j < len(s) {
				r, m := utf8.DecodeRuneInString(s[j:])
				if !isWordRune(r) || (r == utf8.RuneError && m == 1) {
					break
				}
				j += m
			}
			out = append(out, s[i:j])
			n = j - i
		default:
			out = append(out, s[i:i+n])
		}
		i += n
	}
	if lower {
		// Every token, not just words: some symbols have cases too (Ⓐ, Ⅻ).
		for i, w := range out {
			out[i] = strings.ToLower(w)
		}
	}
	return out
}

// Kind returns "word".
func (t *Word) Kind() string { return "word" }

// VocabSize is the number of words kept plus one for "<unk>".
func (t *Word) VocabSize() int { return len(t.words) }

// ID returns the id of a word, as Encode would see it (lowercase it first
// if the vocabulary is lowercase).
func (t *Word) ID(word string) (int, bool) {
	id, ok := t.ids[word]
	return id, ok
}

// Count returns how often the word with this id occurred in the training
// corpus; for "<unk>" (id 0), how many occurrences the vocabulary left out.
// word2vec uses it for subsampling and negative sampling.
func (t *Word) Count(id int) int {
	if !inRange(id, len(t.counts)) {
		return 0
	}
	return t.counts[id]
}

// Encode splits s with SplitWords and maps each word to its id, or to 0,
// "<unk>", if it is not in the vocabulary.
func (t *Word) Encode(s string) []int {
	words := SplitWords(s, t.lower)
	ids := make([]int, len(words))
	for i, w := range words {
		ids[i] = t.ids[w] // a missing word reads as 0, which is "<unk>"
	}
	return ids
}

// Decode joins the words with single spaces, except around punctuation:
// no space before closing marks such as ". , ! ? ) %", none after opening
// marks such as "( [", and none on either side of "'", "’", "-" or "_",
// so "don't" and "well-known" come back whole.
func (t *Word) Decode(ids []int) string {
	var b strings.Builder
	glue := true // no space before the first token
	for _, id := range ids {
		w := bad
		if inRange(id, len(t.words)) {
			w = t.words[id]
		}
		before, after := attach(w)
		if !glue && !before {
			b.WriteByte(' ')
		}
		b.WriteString(w)
		glue = after
	}
	return b.String()
}

// attach reports whether a token sticks to the token before it and to the
// token after it, with no space between.
func attach(w string) (before, after bool) {
	r, n := utf8.DecodeRuneInString(w)
	if n != len(w) || !unicode.IsPunct(r) {
		return false, false
	}
	switch {
	case r == '\'' || r == '’' || unicode.In(r, unicode.Pd, unicode.Pc):
		return true, true
	case unicode.In(r, unicode.Ps, unicode.Pi):
		return false, true
	}
	return true, false
}

// Token returns the word, in printable form.
func (t *Word) Token(id int) string {
	if !inRange(id, len(t.words)) {
		return badToken(id)
	}
	return printable(t.words[id])
}

// Save writes the vocabulary, with counts, as JSON to path, atomically.
func (t *Word) Save(path string) error {
	return save(path, &file{Kind: t.Kind(), Lower: t.lower, Words: t.words, Counts: t.counts})
}

func wordFromFile(f *file) (*Word, error) {
	t, err := newWord(f.Words, f.Counts, f.Lower)
	if err != nil {
		return nil, fmt.Errorf("%w (write the file again with Save)", err)
	}
	return t, nil
}

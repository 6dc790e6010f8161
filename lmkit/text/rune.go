package text

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"
)

// Rune is a tokenizer with one token per Unicode code point: a Hangul
// syllable such as "강" is one token, a letter with a combining accent is two.
//
// Text is read the way Go's range loop reads it, so each invalid UTF-8 byte
// is the rune U+FFFD. Decode(Encode(s)) == s for valid UTF-8 whose runes are
// all in the vocabulary.
//
// Encode maps a rune outside the vocabulary to "<unk>" when that special
// exists, and otherwise drops it; EncodeStrict reports it instead.
type Rune struct {
	tokens   []string // id -> text; specials first, then one rune each
	nspecial int      // tokens[:nspecial] are the specials
	unk      int      // id of "<unk>", or -1

	// Lookup for Encode: a two-level table below U+10000, which holds
	// Hangul and almost all other text, and a map above. Only pages that
	// hold a vocabulary rune are allocated, 1 KiB each. page[r&0xFF] is
	// id+1, so 0 means "not in the vocabulary".
	pages [denseLimit >> 8]*[256]int32
	high  map[rune]int
}

// denseLimit is where the table lookup hands over to the map.
const denseLimit = 0x10000

// NewRune builds the vocabulary from the distinct runes of corpus, in
// code-point order. Specials, such as "<unk>" or "<pad>", get the first ids,
// in the order given; duplicates are ignored. A one-rune special (say "\n")
// is also that rune's token, so the rune never has two ids.
func NewRune(corpus string, specials ...string) *Rune {
	var uniq []string
	for _, s := range specials {
		if !slices.Contains(uniq, s) {
			uniq = append(uniq, s)
		}
	}
	// A bitmap for the common runes keeps a 1 MB corpus scan free of map
	// work, and at 8 KiB it is cheap to clear and walk for a short corpus.
	var seenLow [denseLimit / 64]uint64
	seenHigh := map[rune]bool{}
	for _, r := range corpus {
		if r < denseLimit {
			seenLow[r/64] |= 1 << (r % 64)
		} else {
			seenHigh[r] = true
		}
	}
	for _, s := range uniq {
		if r, ok := oneRune(s); ok {
			if r < denseLimit {
				seenLow[r/64] &^= 1 << (r % 64)
			} else {
				delete(seenHigh, r)
			}
		}
	}
	var runes []rune
	for i, w := range seenLow {
		for ; w != 0; w &= w - 1 {
			runes = append(runes, rune(i*64+bits.TrailingZeros64(w)))
		}
	}
	for r := range seenHigh {
		runes = append(runes, r)
	}
	slices.Sort(runes[len(runes)-len(seenHigh):])
	t, err := newRune(uniq, runes)
	if err != nil {
		panic("text: NewRune: " + err.Error()) // unreachable: the inputs were deduplicated above
	}
	return t
}

// oneRune reports whether s is exactly one valid code point.
func oneRune(s string) (rune, bool) {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || n != len(s) || (r == utf8.RuneError && n == 1) {
		return 0, false
	}
	return r, true
}

// newRune builds the lookup tables; it fails on duplicates, which only a
// hand-edited file can contain.
func newRune(specials []string, runes []rune) (*Rune, error) {
	t := &Rune{unk: -1, high: map[rune]int{}}
	add := func(r rune, id int) error {
		if _, dup := t.id(r); dup {
			return fmt.Errorf("rune %q appears twice in the vocabulary", r)
		}
		if r < denseLimit {
			p := &t.pages[r>>8]
			if *p == nil {
				*p = new([256]int32)
			}
			(*p)[r&0xFF] = int32(id + 1)
		} else {
			t.high[r] = id
		}
		return nil
	}
	for _, s := range specials {
		id := len(t.tokens)
		if slices.Contains(t.tokens, s) {
			return nil, fmt.Errorf("special %q appears twice", s)
		}
		t.tokens = append(t.tokens, s)
		if s == Unk {
			t.unk = id
		}
		if r, ok := oneRune(s); ok {
			if err := add(r, id); err != nil {
				return nil, err
			}
		}
	}
	t.nspecial = len(t.tokens)
	for _, r := range runes {
		if !utf8.ValidRune(r) {
			return nil, fmt.Errorf("rune %U is not a valid code point", r)
		}
		if err := add(r, len(t.tokens)); err != nil {
			return nil, err
		}
		t.tokens = append(t.tokens, string(r))
	}
	return t, nil
}

func (t *Rune) id(r rune) (int, bool) {
	if uint32(r) < denseLimit {
		if p := t.pages[r>>8]; p != nil {
			id := p[r&0xFF]
			return int(id) - 1, id != 0
		}
		return 0, false
	}
	id, ok := t.high[r]
	return id, ok
}

// Kind returns "rune".
func (t *Rune) Kind() string { return "rune" }

// VocabSize is the number of specials plus the number of distinct runes.
func (t *Rune) VocabSize() int { return len(t.tokens) }

// ID returns the id of a special or of a one-rune string.
func (t *Rune) ID(token string) (int, bool) {
	if r, ok := oneRune(token); ok {
		if id, ok := t.id(r); ok {
			return id, true
		}
	}
	i := slices.Index(t.tokens, token)
	return i, i >= 0
}

// Encode returns one id per rune of s. A rune outside the vocabulary becomes
// "<unk>" if that special exists and is dropped otherwise; use EncodeStrict
// to be told about it.
func (t *Rune) Encode(s string) []int {
	ids := make([]int, 0, utf8.RuneCountInString(s))
	for _, r := range s {
		if id, ok := t.id(r); ok {
			ids = append(ids, id)
		} else if t.unk >= 0 {
			ids = append(ids, t.unk)
		}
	}
	return ids
}

// EncodeStrict is Encode that fails on the first rune outside the
// vocabulary, even when "<unk>" exists, naming the rune and its byte offset.
func (t *Rune) EncodeStrict(s string) ([]int, error) {
	ids := make([]int, 0, utf8.RuneCountInString(s))
	for i, r := range s {
		id, ok := t.id(r)
		if !ok {
			if r == utf8.RuneError && s[i] != "\uFFFD"[0] {
				return nil, fmt.Errorf("text: invalid UTF-8 byte 0x%02X at byte %d reads as U+FFFD, which is not in the vocabulary of %d tokens (fix the input's encoding, or build the vocabulary with NewRune(corpus, %q) so unknown runes map to %s)", s[i], i, len(t.tokens), Unk, Unk)
			}
			return nil, fmt.Errorf("text: rune %q (%U) at byte %d is not in the vocabulary of %d tokens (build it again with NewRune on text that contains it, or with NewRune(corpus, %q) so unknown runes map to %s)", r, r, i, len(t.tokens), Unk, Unk)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// Decode concatenates the tokens; a special decodes to its own text.
func (t *Rune) Decode(ids []int) string {
	var b strings.Builder
	b.Grow(len(ids))
	for _, id := range ids {
		if inRange(id, len(t.tokens)) {
			b.WriteString(t.tokens[id])
		} else {
			b.WriteString(bad)
		}
	}
	return b.String()
}

// Token returns the printable form of a token: "\n" for a newline.
func (t *Rune) Token(id int) string {
	if !inRange(id, len(t.tokens)) {
		return badToken(id)
	}
	return printable(t.tokens[id])
}

// Save writes the vocabulary as JSON to path, atomically.
func (t *Rune) Save(path string) error {
	return save(path, &file{
		Kind:     t.Kind(),
		Specials: t.tokens[:t.nspecial],
		Runes:    t.tokens[t.nspecial:],
	})
}

func runeFromFile(f *file) (*Rune, error) {
	runes := make([]rune, len(f.Runes))
	for i, s := range f.Runes {
		r, ok := oneRune(s)
		if !ok {
			return nil, fmt.Errorf("rune vocabulary entry %d, %q, is not one code point (write the file again with Save)", i, s)
		}
		runes[i] = r
	}
	t, err := newRune(f.Specials, runes)
	if err != nil {
		return nil, fmt.Errorf("rune vocabulary: %w (write the file again with Save)", err)
	}
	return t, nil
}

package text

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"
)

// seeds are the starting corpus of every fuzz target: Hangul, invalid
// UTF-8, punctuation and whitespace shapes that the tokenizers treat specially.
var seeds = []string{
	"",
	"hello, world!",
	"강아지와 고양이",
	"강아지와 고양이가 놀아요. 정말?",
	"\xff\xfe\xfd",
	"a\xc3b",       // a truncated two-byte rune
	"\xed\xa0\x80", // an encoded surrogate, invalid in UTF-8
	"\xea\xb0",     // half of 강
	"don't stop-now (ok) 50%",
	"  \t\n\n  x  ",
	"cafe\u0301 😀 \u200b",
	"\uFFFD real replacement",
}

func FuzzRuneRoundTrip(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tok := NewRune(s)
		ids, err := tok.EncodeStrict(s)
		if err != nil {
			t.Fatalf("EncodeStrict on its own corpus: %v", err)
		}
		if !slices.Equal(ids, tok.Encode(s)) {
			t.Fatal("Encode and EncodeStrict differ on a known text")
		}
		// Invalid bytes read as U+FFFD, one each, as string([]rune(s)) reads them.
		if got, want := tok.Decode(ids), string([]rune(s)); got != want {
			t.Fatalf("Decode(Encode(%q)) = %q, want %q", s, got, want)
		}
		if utf8.ValidString(s) && tok.Decode(ids) != s {
			t.Fatalf("valid UTF-8 %q did not round-trip", s)
		}
		// Against a fixed vocabulary, unknown runes become <unk>: one id per rune still.
		fixed := fixedRune()
		if got, want := len(fixed.Encode(s)), utf8.RuneCountInString(s); got != want {
			t.Fatalf("Encode with <unk>: %d ids for %d runes", got, want)
		}
	})
}

var fixedRune = sync.OnceValue(func() *Rune { return NewRune(sample, Unk) })

var fixedBPE = sync.OnceValue(func() *BPE {
	tok, err := TrainBPE(sample+strings.Join(seeds, " "), 400)
	if err != nil {
		panic(err)
	}
	return tok
})

func FuzzBPERoundTrip(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var parts []string
		for c := range chunks(s) {
			if c == "" || len(c) > maxChunk {
				t.Fatalf("chunk %q of %d bytes; want 1 to %d", c, len(c), maxChunk)
			}
			parts = append(parts, c)
		}
		if strings.Join(parts, "") != s {
			t.Fatalf("chunks of %q concatenate to %q", s, strings.Join(parts, ""))
		}
		tok := fixedBPE()
		ids := tok.Encode(s)
		if got := tok.Decode(ids); got != s {
			t.Fatalf("Decode(Encode(%q)) = %q", s, got)
		}
		if want := naiveEncode(tok, s); !slices.Equal(ids, want) {
			t.Fatalf("Encode(%q) = %v, the naive encoder gives %v", s, ids, want)
		}
		// Trained on the input itself, the encoding is exact and never longer.
		if len(s) > 2000 {
			return // keep each input fast
		}
		own, err := TrainBPE(s, 300)
		if err != nil {
			t.Fatal(err)
		}
		ids = own.Encode(s)
		if own.Decode(ids) != s {
			t.Fatalf("self-trained: Decode(Encode(%q)) differs", s)
		}
		if len(ids) > len(s) {
			t.Fatalf("self-trained: %d tokens for %d bytes", len(ids), len(s))
		}
		if want := naiveMerges(s, 300-256); !slices.Equal(own.merges, want) {
			t.Fatalf("TrainBPE(%q) merges %v, the naive trainer gives %v", s, own.merges, want)
		}
		for _, id := range ids {
			if !inRange(id, own.VocabSize()) {
				t.Fatalf("id %d outside the vocabulary of %d", id, own.VocabSize())
			}
		}
	})
}

func FuzzWordSplit(f *testing.F) {
	for _, s := range seeds {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, lower bool) {
		words := SplitWords(s, lower)
		var kept []rune // s without whitespace, invalid bytes read as U+FFFD
		for _, r := range s {
			if !unicode.IsSpace(r) {
				kept = append(kept, r)
			}
		}
		joined := strings.Join(words, "")
		want := string(kept)
		if lower {
			want = strings.ToLower(want)
		}
		if joined != want {
			t.Fatalf("SplitWords(%q) = %q, joined %q, want %q", s, words, joined, want)
		}
		for _, w := range words {
			r, n := utf8.DecodeRuneInString(w)
			if w == "" || !utf8.ValidString(w) || strings.ContainsFunc(w, unicode.IsSpace) {
				t.Fatalf("token %q: want non-empty valid UTF-8 without spaces", w)
			}
			if n != len(w) && !isWordRune(r) {
				t.Fatalf("token %q: longer than a rune but not a word", w)
			}
		}
		if len(words) == 0 {
			return
		}
		// Decode's normal form splits back into the same words.
		tok, err := NewWord(s, WordOptions{Lower: lower})
		if err != nil {
			t.Fatal(err)
		}
		ids := tok.Encode(s)
		if slices.Contains(ids, 0) {
			t.Fatalf("Encode of the training text gave <unk>: %v", ids)
		}
		if again := tok.Encode(tok.Decode(ids)); !slices.Equal(again, ids) {
			t.Fatalf("Encode(Decode(ids)) = %v, want %v (decoded %q)", again, ids, tok.Decode(ids))
		}
	})
}

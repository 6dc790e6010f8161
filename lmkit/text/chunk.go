package text

import (
	"iter"
	"unicode"
	"unicode/utf8"
)

// maxChunk caps a chunk's length in bytes. Encoding a chunk costs the square
// of its length, so a megabyte with no spaces must not be one chunk; words
// are far shorter than this, so the cap almost never changes a merge.
const maxChunk = 128

// Rune classes for chunking.
const (
	other = iota // punctuation, symbols, invalid bytes
	letter
	digit
	space
)

func class(r rune, n int) int {
	switch {
	case r == utf8.RuneError && n == 1:
		return other
	case r < utf8.RuneSelf:
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
			return letter
		case '0' <= r && r <= '9':
			return digit
		case r == ' ', '\t' <= r && r <= '\r':
			return space
		}
		return other
	case unicode.IsLetter(r) || unicode.IsMark(r):
		return letter
	case unicode.IsNumber(r):
		return digit
	case unicode.IsSpace(r):
		return space
	}
	return other
}

// chunks splits s into the pieces that BPE merges stay inside, in the
// spirit of GPT-2: a run of letters, of digits, of other symbols, or of
// whitespace, where a single space before a non-space run joins that run
// (" world"). The chunks concatenate back to s exactly, byte for byte.
func chunks(s string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for i := 0; i < len(s); {
			j := chunkEnd(s, i)
			if !yield(s[i:j]) {
				return
			}
			i = j
		}
	}
}

// chunkEnd returns where the chunk that begins at start ends.
func chunkEnd(s string, start int) int {
	i := start
	r, n := utf8.DecodeRuneInString(s[i:])
	c := class(r, n)
	if r == ' ' && i+1 < len(s) {
		if r2, n2 := utf8.DecodeRuneInString(s[i+1:]); class(r2, n2) != space {
			i++ // the space leads the run after it
			n, c = n2, class(r2, n2)
		}
	}
	j := i + n
	for j < len(s) {
		r, m := utf8.DecodeRuneInString(s[j:])
		if class(r, m) != c || j+m-start > maxChunk {
			break
		}
		j += m
	}
	// A whitespace run leaves its last space to the word after it.
	if c == space && j < len(s) && j-1 > start && s[j-1] == ' ' {
		if r, m := utf8.DecodeRuneInString(s[j:]); class(r, m) != space {
			j--
		}
	}
	return j
}

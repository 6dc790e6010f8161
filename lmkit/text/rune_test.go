package text

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRuneRoundTrip(t *testing.T) {
	for _, s := range []string{
		"To be, or not to be: that is the question.\n",
		"강아지와 고양이",
		"mixed 강아지 and emoji 😀 and é (e + \u0301)",
	} {
		tok := NewRune(s)
		ids := tok.Encode(s)
		if got, want := len(ids), utf8.RuneCountInString(s); got != want {
			t.Errorf("Encode(%q): %d ids, want one per rune, %d", s, got, want)
		}
		if got := tok.Decode(ids); got != s {
			t.Errorf("Decode(Encode(%q)) = %q", s, got)
		}
	}
}

func TestRuneHangulSyllables(t *testing.T) {
	s := "강아지와 고양이"
	tok := NewRune(s)
	// 강 아 지 와 고 양 이 and the space: 아 and 이 are distinct syllables, no repeats.
	if got := tok.VocabSize(); got != 8 {
		t.Errorf("VocabSize = %d, want 8 (7 syllables and a space)", got)
	}
	ids := tok.Encode("강")
	if len(ids) != 1 || tok.Token(ids[0]) != "강" {
		t.Errorf("Encode(강) = %v (token %q), want one token 강", ids, tok.Token(ids[0]))
	}
	// Vocabulary is in code-point order: the space first, then the syllables.
	if got := tok.Token(0); got != " " {
		t.Errorf("Token(0) = %q, want the space", got)
	}
}

func TestRuneSpecials(t *testing.T) {
	tok := NewRune("abc", "<pad>", Unk, "<pad>")
	if got := tok.VocabSize(); got != 5 {
		t.Fatalf("VocabSize = %d, want 5 (2 specials, duplicate ignored, 3 runes)", got)
	}
	if got, want := tok.Encode("abz"), []int{2, 3, 1}; !slices.Equal(got, want) {
		t.Errorf("Encode(abz) = %v, want %v (z is <unk>, id 1)", got, want)
	}
	if got := tok.Decode([]int{0, 2, 1}); got != "<pad>a<unk>" {
		t.Errorf("Decode = %q, want specials as their text", got)
	}
	if id, ok := tok.ID("<pad>"); !ok || id != 0 {
		t.Errorf("ID(<pad>) = %d, %v; want 0, true", id, ok)
	}
	// EncodeStrict is strict even when <unk> exists.
	if _, err := tok.EncodeStrict("abz"); err == nil {
		t.Error("EncodeStrict(abz) succeeded; want an error for z")
	}
}

func TestRuneOneRuneSpecial(t *testing.T) {
	tok := NewRune("a\nb", "\n")
	if got := tok.VocabSize(); got != 3 {
		t.Fatalf("VocabSize = %d, want 3: the special \\n is also the newline's token", got)
	}
	if got, want := tok.Encode("b\na"), []int{2, 0, 1}; !slices.Equal(got, want) {
		t.Errorf("Encode = %v, want %v", got, want)
	}
}

func TestRuneUnknownDropped(t *testing.T) {
	tok := NewRune("ab")
	if got, want := tok.Encode("axb"), []int{0, 1}; !slices.Equal(got, want) {
		t.Errorf("Encode(axb) without <unk> = %v, want x dropped: %v", got, want)
	}
	_, err := tok.EncodeStrict("a강b")
	if err == nil {
		t.Fatal("EncodeStrict(a강b) succeeded; want an error")
	}
	for _, want := range []string{"'강'", "U+AC15", "byte 1", Unk, "NewRune"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	_, err = tok.EncodeStrict("ab\xff")
	if err == nil || !strings.Contains(err.Error(), "0xFF") || !strings.Contains(err.Error(), "byte 2") {
		t.Errorf("EncodeStrict of an invalid byte: error %v, want one naming 0xFF at byte 2", err)
	}
	ids, err := tok.EncodeStrict("abba")
	if err != nil || !slices.Equal(ids, []int{0, 1, 1, 0}) {
		t.Errorf("EncodeStrict(abba) = %v, %v", ids, err)
	}
}

func TestRuneInvalidUTF8(t *testing.T) {
	s := "a\xffb"
	tok := NewRune(s)
	// The invalid byte reads as U+FFFD, as in a range loop.
	if got, want := tok.Decode(tok.Encode(s)), "a\uFFFDb"; got != want {
		t.Errorf("Decode(Encode(%q)) = %q, want %q", s, got, want)
	}
}

func TestRuneToken(t *testing.T) {
	tok := NewRune("a\n\u200b")
	for id, want := range []string{`\n`, "a", `\u200b`} {
		if got := tok.Token(id); got != want {
			t.Errorf("Token(%d) = %q, want %q", id, got, want)
		}
	}
	if got := tok.Token(9); !strings.Contains(got, "9") {
		t.Errorf("Token(9) = %q, want it to name the bad id", got)
	}
	if got := tok.Decode([]int{1, -1, 1}); got != "a\uFFFDa" {
		t.Errorf("Decode with a bad id = %q, want U+FFFD in its place", got)
	}
}

func BenchmarkRuneEncode(b *testing.B) {
	s := strings.Repeat("강아지와 고양이 and a dog. ", 4000)
	tok := NewRune(s)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		tok.Encode(s)
	}
}

package text

import (
	"slices"
	"strings"
	"testing"
)

func TestSplitWords(t *testing.T) {
	for _, c := range []struct {
		in    string
		lower bool
		want  []string
	}{
		{"Hello, World!", true, []string{"hello", ",", "world", "!"}},
		{"Hello, World!", false, []string{"Hello", ",", "World", "!"}},
		{"  don't\tstop\n", false, []string{"don", "'", "t", "stop"}},
		{"강아지와 고양이.", false, []string{"강아지와", "고양이", "."}},
		{"route 66...", false, []string{"route", "66", ".", ".", "."}},
		{"cafe\u0301 ok", false, []string{"cafe\u0301", "ok"}}, // combining accent stays in the word
		{"a\xffb", false, []string{"a", "\uFFFD", "b"}},
		{"", false, nil},
	} {
		if got := SplitWords(c.in, c.lower); !slices.Equal(got, c.want) {
			t.Errorf("SplitWords(%q, %v) = %q, want %q", c.in, c.lower, got, c.want)
		}
	}
}

func TestWordRoundTrip(t *testing.T) {
	// Text in Decode's normal form comes back unchanged.
	for _, s := range []string{
		"the cat sat on the mat.",
		"don't stop, well-known (quietly) 50% done!",
		"강아지와 고양이, 그리고 새.",
	} {
		tok, err := NewWord(s, WordOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := tok.Decode(tok.Encode(s)); got != s {
			t.Errorf("Decode(Encode(%q)) = %q", s, got)
		}
	}
	// Other text comes back normalised: lowercase, single spaces, punctuation attached.
	tok, err := NewWord("Hello ,  World !\nBye", WordOptions{Lower: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tok.Decode(tok.Encode("Hello ,  World !\nBye")), "hello, world! bye"; got != want {
		t.Errorf("normalised round trip = %q, want %q", got, want)
	}
}

func TestWordVocabulary(t *testing.T) {
	tok, err := NewWord("b a b c b a", WordOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// By falling count, ties in string order, after <unk>.
	for id, want := range []string{Unk, "b", "a", "c"} {
		if got := tok.Token(id); got != want {
			t.Errorf("Token(%d) = %q, want %q", id, got, want)
		}
	}
	if got := tok.Count(1); got != 3 {
		t.Errorf("Count(b) = %d, want 3", got)
	}

	tok, err = NewWord("b a b c b a", WordOptions{MinCount: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got := tok.VocabSize(); got != 3 {
		t.Errorf("MinCount 2: VocabSize = %d, want 3 (<unk>, b, a)", got)
	}
	if got := tok.Count(0); got != 1 {
		t.Errorf("MinCount 2: Count(<unk>) = %d, want 1, the one c left out", got)
	}

	tok, err = NewWord("b a b c b a", WordOptions{MaxVocab: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got := tok.VocabSize(); got != 2 {
		t.Errorf("MaxVocab 2: VocabSize = %d, want 2 (<unk> and b)", got)
	}
}

func TestWordUnknown(t *testing.T) {
	tok, err := NewWord("the cat sat", WordOptions{Lower: true})
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := tok.ID("cat")
	if got, want := tok.Encode("The zebra cat"), []int{mustID(t, tok, "the"), 0, cat}; !slices.Equal(got, want) {
		t.Errorf("Encode = %v, want %v with zebra as <unk> (0)", got, want)
	}
	if got, want := tok.Decode(tok.Encode("the zebra")), "the <unk>"; got != want {
		t.Errorf("Decode = %q, want %q", got, want)
	}
}

func mustID(t *testing.T, tok *Word, w string) int {
	t.Helper()
	id, ok := tok.ID(w)
	if !ok {
		t.Fatalf("word %q not in the vocabulary", w)
	}
	return id
}

func TestWordErrors(t *testing.T) {
	_, err := NewWord("the cat the dog the end", WordOptions{MinCount: 5})
	if err == nil {
		t.Fatal("MinCount 5 on words seen at most 3 times: no error")
	}
	for _, want := range []string{"MinCount=5", `"the"`, "3 times", "lower MinCount"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if _, err := NewWord("  \n ", WordOptions{}); err == nil || !strings.Contains(err.Error(), "no words") {
		t.Errorf("blank corpus: error %v, want one saying it has no words", err)
	}
	if _, err := NewWord("a b", WordOptions{MaxVocab: 1}); err == nil || !strings.Contains(err.Error(), "MaxVocab") {
		t.Errorf("MaxVocab 1: error %v, want one about MaxVocab", err)
	}
	if _, err := NewWord("a b", WordOptions{MinCount: -1}); err == nil || !strings.Contains(err.Error(), "MinCount") {
		t.Errorf("MinCount -1: error %v, want one about MinCount", err)
	}
}

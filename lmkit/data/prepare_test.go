package data

import (
	"strings"
	"testing"

	"github.com/llm-map/lab/lmkit/text"
)

// A saved vocabulary that does not cover a new text is an error naming the document and
// the character, unless the vocabulary has <unk>, which was built to take rare characters.
func TestPrepareWithUnknownCharacters(t *testing.T) {
	docs := []string{"가나다", "가나", "나마", "가가", "나나", "다다", "가다", "나가", "다나", "가나다라"}
	in := &Text{Name: "reviews", Content: strings.Join(docs, "\n"), Docs: docs}
	_, err := PrepareWith(in, text.NewRune("가나다", Boundary), 1)
	if err == nil || !strings.Contains(err.Error(), "document 3") || !strings.Contains(err.Error(), "'마'") {
		t.Fatalf("got %v, want an error naming document 3 and '마'", err)
	}
	tok := text.NewRune("가나다", Boundary, text.Unk)
	p, err := PrepareWith(in, tok, 1)
	if err != nil {
		t.Fatal(err)
	}
	unk, _ := tok.ID(text.Unk)
	n := 0
	for _, ids := range append(append([][]int{}, p.Split.Train...), p.Split.Val...) {
		for _, id := range ids {
			if id == unk {
				n++
			}
		}
	}
	if n != 2 { // 마 and 라
		t.Errorf("%d tokens read as <unk>, want 2", n)
	}
}

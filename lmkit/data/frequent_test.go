package data

import (
	"strings"
	"testing"
)

func TestKeepFrequentRunes(t *testing.T) {
	docs := []string{"가나다", "가나", "가라", "나나나", "마"}
	in := &Text{Name: "t", Content: strings.Join(docs, "\n"), Docs: docs}
	// Counts: 나 5, 가 3, 다 1, 라 1, 마 1; the top 3 are 나, 가 and 다 (ties by code point).
	out, err := KeepFrequentRunes(in, 3)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(out.Docs, ","); got != "가나다,가나,나나나" || out.Content != "가나다\n가나\n나나나" {
		t.Errorf("kept %q (content %q), want 가나다,가나,나나나", got, out.Content)
	}
	if _, err := KeepFrequentRunes(in, 0); err == nil {
		t.Error("n = 0 accepted")
	}
	if _, err := KeepFrequentRunes(&Text{Name: "t", Docs: []string{"ab"}}, 1); err == nil || !strings.Contains(err.Error(), "raise n") {
		t.Errorf("no document fits: got %v", err)
	}
}

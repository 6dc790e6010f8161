package embed

import (
	"strings"
	"testing"
)

func TestSplitParticles(t *testing.T) {
	in := [][]string{
		{"강아지가", "귀엽다", "강아지", "강아지를", "좋아해"},
		{"고양이", "고양이가", "강아지", "영화가", "영화", "영화"},
		{"사람들이", "사람", "사람", "abc가"},
	}
	got := SplitParticles(in)
	want := []string{
		"강아지 가 귀엽다 강아지 강아지 를 좋아해",
		// 고양이 stays whole: 고양 never occurs alone; then 고양이가 splits into 고양이 + 가
		// only if 고양이 occurs twice alone, which it does not here.
		"고양이 고양이가 강아지 영화 가 영화 영화",
		"사람 들이 사람 사람 abc가",
	}
	for i := range want {
		if g := strings.Join(got[i], " "); g != want[i] {
			t.Errorf("sentence %d: %q, want %q", i, g, want[i])
		}
	}
}

// A query is cut by the rule the training text taught, not by its own counts: 강아지를 splits
// because the corpus has 강아지 on its own, though the query does not.
func TestParticlesCutQueriesLikeTheCorpus(t *testing.T) {
	p := NewParticles([][]string{{"강아지가", "강아지", "강아지", "영화", "영화", "영화를"}})
	if got := p.Text("강아지를 좋아하는 영화를!"); got != "강아지 를 좋아하는 영화 를" {
		t.Errorf("query cut as %q", got)
	}
	if got := p.Text("고양이가"); got != "고양이가" {
		t.Errorf("a word whose stem the corpus never had alone was cut: %q", got)
	}
}

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
